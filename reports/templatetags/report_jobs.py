"""`{% report_request_panel cycle agency %}`: the "Solicitar reporte PDF" panel of the
scorecard and panorama pages (templates/reports/includes/request_report.html)."""

from django import template

from reports import jobs
from reports.jobs import job_payload
from reports.models import ReportKind, ReportLanguage

register = template.Library()


@register.inclusion_tag("reports/includes/request_report_panel.html", takes_context=True)
def report_request_panel(context, cycle, agency=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = ReportKind.AGENCY if agency else ReportKind.NATIONAL
    allowed = bool(cycle and user) and jobs.can_request(user, kind, cycle, agency)
    # A page rendered for the whole-page cache (lib.page_cache) leaves the latest job out: the
    # panel's script loads it from `latest_url` (reports.job_views.latest).
    deferred = bool(context.get("page_cache"))
    latest = jobs.latest_job(user, kind, cycle, agency) if allowed and not deferred else None
    return {
        "allowed": allowed,
        "kind": kind,
        "cycle": cycle,
        "agency": agency,
        "languages": ReportLanguage.choices,
        "default_language": jobs.interface_language(),
        "latest": job_payload(latest) if latest else None,
        "latest_url": jobs.latest_url(kind, cycle, agency) if allowed and deferred else "",
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
