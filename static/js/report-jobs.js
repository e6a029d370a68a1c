// "Solicitar reporte PDF": submit without leaving the page, then poll the job's status
// until the PDF is ready (or failed). Without JavaScript the form posts normally and the
// page shows the job's state after the redirect.
(function () {
  "use strict";
  var POLL_MS = 1500;

  function show(el, visible) { if (el) { el.hidden = !visible; } }

  function render(panel, job) {
    var status = panel.querySelector("[data-report-status]");
    var bar = panel.querySelector("[data-report-progress]");
    var message = panel.querySelector("[data-report-message]");
    var download = panel.querySelector("[data-report-download]");
    var retry = panel.querySelector("[data-report-retry]");
    show(status, true);
    status.dataset.state = job.state;
    status.dataset.statusUrl = job.status_url;
    bar.value = job.progress;
    bar.textContent = job.progress + " %";
    message.textContent = job.message;
    if (job.download_url) { download.href = job.download_url; }
    show(download, job.state === "done");
    var fingerprint = panel.querySelector("[data-report-fingerprint]");
    if (fingerprint && job.fingerprint) { fingerprint.querySelector("code").textContent = job.fingerprint.slice(0, 16); }
    show(fingerprint, Boolean(job.fingerprint));
    if (job.retry_url) { retry.action = job.retry_url; }
    show(retry, job.state === "failed");
    var button = panel.querySelector("[data-report-button]");
    if (button) { button.disabled = job.state === "queued" || job.state === "running"; }
  }

  function poll(panel) {
    var status = panel.querySelector("[data-report-status]");
    var url = status.dataset.statusUrl;
    var state = status.dataset.state;
    if (!url || (state !== "queued" && state !== "running")) { return; }
    window.setTimeout(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) { if (job) { render(panel, job); } poll(panel); })
        .catch(function () { poll(panel); });
    }, POLL_MS);
  }

  function submit(panel, form, event) {
    event.preventDefault();
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) { render(panel, job); poll(panel); })
      .catch(function () { form.submit(); });
  }

  document.querySelectorAll("[data-report-panel]").forEach(function (panel) {
    var form = panel.querySelector("[data-report-form]");
    var retry = panel.querySelector("[data-report-retry]");
    if (form) { form.addEventListener("submit", function (event) { submit(panel, form, event); }); }
    if (retry) { retry.addEventListener("submit", function (event) { submit(panel, retry, event); }); }
    poll(panel);
  });
})();
