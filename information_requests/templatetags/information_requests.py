"""Template helpers of information requests (the liaison's home page)."""

from django import template
from django.utils import timezone

from information_requests.choices import AddresseeStatus, RequestState
from information_requests.models import RequestAddressee
from obligations.choices import CycleState

register = template.Library()


@register.simple_tag
def open_requests(user):
    """(addressee, status) of the sent requests the user's agencies still have to answer,
    soonest due first (through RequestAddressee.visible_to: the user's own agencies only)."""
    today = timezone.localdate()
    addressees = (
        RequestAddressee.objects.visible_to(user)
        .filter(request__state=RequestState.SENT)
        .exclude(request__cycle__state=CycleState.PUBLISHED)
        .with_progress()
        .select_related("agency", "request__cycle")
        .order_by("request__due_date", "agency__acronym")
    )
    rows = [(a, a.status(today)) for a in addressees]
    return [row for row in rows if row[1] != AddresseeStatus.ANSWERED]
