"""Template helpers of information requests (the liaison's home page)."""

from django import template
from django.utils import timezone

from obligations.models import RequestAddressee
from obligations.request_choices import AddresseeStatus, RequestState

register = template.Library()


@register.simple_tag
def open_requests(user):
    """(addressee, status) of the sent requests the user's agencies still have to answer,
    soonest due first (through RequestAddressee.visible_to: the user's own agencies only)."""
    today = timezone.localdate()
    addressees = (
        RequestAddressee.objects.visible_to(user)
        .filter(request__state=RequestState.SENT)
        .exclude(request__cycle__state="published")
        .with_progress()
        .select_related("agency", "request__cycle")
        .order_by("request__due_date", "agency__acronym")
    )
    rows = [(a, a.status(today)) for a in addressees]
    return [row for row in rows if row[1] != AddresseeStatus.ANSWERED]
