// "Solicitar reporte PDF": submit without leaving the page, then poll the job's status
// until the PDF is ready (or failed). The moment the button is pressed it is disabled and the
// panel says "En proceso" with a moving bar, before the server has even answered; it stays
// disabled while the job is queued or running. Without JavaScript the form posts normally and
// the page shows the job's state after the redirect (the button then comes disabled). On a page
// served from the whole-page cache the panel names an endpoint (data-latest-url) for the latest
// job, fetched on load.
(function () {
  "use strict";
  var FIRST_POLL_MS = 500;
  var POLL_MS = 1500;

  function show(el, visible) { if (el) { el.hidden = !visible; } }

  function active(state) { return state === "queued" || state === "running" || state === "sending"; }

  function stateLabel(panel, state) {
    if (state === "sending") { return panel.dataset.labelActive; }
    if (active(state)) { return panel.dataset.labelActive; }
    if (state === "done") { return panel.dataset.labelDone; }
    if (state === "failed") { return panel.dataset.labelFailed; }
    return "";
  }

  function setBusy(panel, busy) {
    var button = panel.querySelector("[data-report-button]");
    if (button) {
      button.disabled = busy;
      if (busy) { button.setAttribute("aria-busy", "true"); } else { button.removeAttribute("aria-busy"); }
    }
    panel.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function render(panel, job) {
    var status = panel.querySelector("[data-report-status]");
    var bar = panel.querySelector("[data-report-progress]");
    var message = panel.querySelector("[data-report-message]");
    var label = panel.querySelector("[data-report-state]");
    var download = panel.querySelector("[data-report-download]");
    var retry = panel.querySelector("[data-report-retry]");
    show(status, true);
    status.dataset.state = job.state;
    if (job.status_url) { status.dataset.statusUrl = job.status_url; }
    if (label) { label.textContent = stateLabel(panel, job.state); }
    if (job.state === "sending" || (job.state === "queued" && !job.progress)) {
      bar.removeAttribute("value");  // indeterminate: a moving bar until there is a percentage
      bar.textContent = "";
    } else {
      bar.value = job.progress;
      bar.textContent = job.progress + " %";
    }
    message.textContent = job.message;
    if (job.download_url) { download.href = job.download_url; }
    show(download, job.state === "done");
    var fingerprint = panel.querySelector("[data-report-fingerprint]");
    if (fingerprint && job.fingerprint) { fingerprint.querySelector("code").textContent = job.fingerprint.slice(0, 16); }
    show(fingerprint, Boolean(job.fingerprint));
    if (job.retry_url) { retry.action = job.retry_url; }
    show(retry, job.state === "failed");
    setBusy(panel, active(job.state));
  }

  function poll(panel, delay) {
    var status = panel.querySelector("[data-report-status]");
    var url = status.dataset.statusUrl;
    var state = status.dataset.state;
    if (!url || (state !== "queued" && state !== "running")) { return; }
    window.setTimeout(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) { if (job) { render(panel, job); } poll(panel, POLL_MS); })
        .catch(function () { poll(panel, POLL_MS); });
    }, delay);
  }

  function submit(panel, form, event) {
    event.preventDefault();
    var status = panel.querySelector("[data-report-status]");
    if (status.dataset.state === "sending") { return; }  // a second press while the first is on its way
    var data = new FormData(form);  // before render() disables the button
    render(panel, { state: "sending", progress: 0, message: panel.dataset.labelSending });
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) { render(panel, job); poll(panel, FIRST_POLL_MS); })
      .catch(function () { form.submit(); });
  }

  // A page served from the whole-page cache leaves the latest job out (data-latest-url): load it.
  function loadLatest(panel) {
    var url = panel.dataset.latestUrl;
    if (!url) { poll(panel, FIRST_POLL_MS); return; }
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        var status = panel.querySelector("[data-report-status]");
        if (job && job.id && !status.dataset.state) {  // not if a request was sent meanwhile
          render(panel, job);
          poll(panel, FIRST_POLL_MS);
        }
      })
      .catch(function () { return null; });
  }

  document.querySelectorAll("[data-report-panel]").forEach(function (panel) {
    var form = panel.querySelector("[data-report-form]");
    var retry = panel.querySelector("[data-report-retry]");
    if (form) { form.addEventListener("submit", function (event) { submit(panel, form, event); }); }
    if (retry) { retry.addEventListener("submit", function (event) { submit(panel, retry, event); }); }
    loadLatest(panel);
  });
})();
