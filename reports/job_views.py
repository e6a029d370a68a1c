"""Report jobs on the site: request a PDF, poll its progress, download it.

Thin views: access through `ReportJob.objects.visible_to(user)` and
`reports.jobs.can_request` (both agencies.policy); anything outside the user's
scope answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agencies.models import Agency
from lib.downloads import attachment_response
from obligations.models import ReviewCycle
from reports import jobs
from reports.jobs import job_message, job_payload
from reports.models import JobState, ReportJob, ReportKind


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request, job: ReportJob):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    return redirect(target)


def _target(user, params) -> tuple[str, ReviewCycle, Agency | None]:
    """The report named by kind, cycle (slug) and agency (acronym, for an agency report) among
    what the user may see; 404 otherwise (a form's body is not checked by
    compliance.middleware, which reads query strings only: PostgreSQL refuses NUL in text)."""
    if any("\x00" in value for value in params.values()):
        raise Http404
    kind = params.get("kind", ReportKind.AGENCY)
    cycle = get_object_or_404(ReviewCycle.objects.visible_to(user), slug=params.get("cycle", ""))
    agency = None
    if kind == ReportKind.AGENCY:
        agency = get_object_or_404(Agency.objects.visible_to(user), acronym=params.get("agency", ""))
    return kind, cycle, agency


@login_required
@require_POST
def request_report(request):
    """Create (or reuse) a report job. Form fields: kind, cycle (slug), agency (acronym,
    for an agency report), language (es|en; by default the interface's), next."""
    user = request.user
    kind, cycle, agency = _target(user, request.POST)
    try:
        job = jobs.request_report(
            user, kind, cycle, agency, language=request.POST.get("language") or jobs.interface_language()
        )
    except jobs.ReportNotAllowed:
        raise Http404 from None
    reused = getattr(job, "reused", False)
    job.refresh_from_db()  # on_commit already ran (no surrounding transaction): state, enqueued_at
    job.reused = reused
    if _wants_json(request):
        return JsonResponse(job_payload(job), status=200 if reused else 202)
    messages.info(request, job_message(job))
    return _back(request, job)


@login_required
@require_POST
def retry(request, job_id: int):
    job = get_object_or_404(ReportJob.objects.visible_to(request.user).select_related("cycle", "agency"), pk=job_id)
    try:
        job = jobs.retry_job(job, request.user)
    except jobs.ReportNotAllowed:
        raise Http404 from None
    if _wants_json(request):
        return JsonResponse(job_payload(job), status=202)
    messages.info(request, job_message(job))
    return _back(request, job)


@never_cache
@login_required
@require_GET
def status(request, job_id: int):
    """Polled by static/js/report-jobs.js every second or two while a job runs."""
    job = get_object_or_404(ReportJob.objects.visible_to(request.user), pk=job_id)
    if job.lease_expired():  # its worker died: re-queued (published on commit) or failed
        jobs.reap_dead_jobs(params_key=job.params_key)
        job.refresh_from_db()
    return JsonResponse(job_payload(job))


@never_cache
@login_required
@require_GET
def latest(request):
    """The newest job of a report (?kind=&cycle=<slug>&agency=<acronym>) the user may request,
    for the PDF panel of a cached page: its status JSON, or {"id": null} when there is none.
    A report the user may not request answers 404, as everywhere."""
    user = request.user
    kind, cycle, agency = _target(user, request.GET)
    if not jobs.can_request(user, kind, cycle, agency):
        raise Http404
    job = jobs.latest_job(user, kind, cycle, agency)
    return JsonResponse(job_payload(job) if job else {"id": None})


@login_required
@require_GET
def download(request, job_id: int):
    job = get_object_or_404(ReportJob.objects.visible_to(request.user).select_related("cycle", "agency"), pk=job_id)
    if job.state != JobState.DONE:
        raise Http404
    return attachment_response(job.file, job.download_name(), "application/pdf")
