"""`{% report_request_panel cycle agency %}`: the "Solicitar reporte PDF" panel of the
scorecard and panorama pages (templates/reports/includes/request_report.html)."""

from django import template

from reports import jobs
from reports.jobs import job_payload
from reports.models import ReportJob, ReportKind, ReportLanguage

register = template.Library()


@register.inclusion_tag("reports/includes/request_report_panel.html", takes_context=True)
def report_request_panel(context, cycle, agency=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = ReportKind.AGENCY if agency else ReportKind.NATIONAL
    allowed = bool(cycle and user) and jobs.can_request(user, kind, cycle, agency)
    latest = None
    if allowed:
        latest = (
            ReportJob.objects.visible_to(user)
            .filter(kind=kind, cycle=cycle, agency=agency)
            .order_by("-created_at", "-pk")
            .first()
        )
    return {
        "allowed": allowed,
        "kind": kind,
        "cycle": cycle,
        "agency": agency,
        "languages": ReportLanguage.choices,
        "default_language": jobs.interface_language(),
        "latest": job_payload(latest) if latest else None,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
