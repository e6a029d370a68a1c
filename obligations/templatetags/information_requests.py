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


@register.simple_tag(takes_context=True)
def reply_for(context, card, assessment_id):
    """The right-of-reply of one rating on a scorecard or PDF (`card`: a
    reports.services.AgencyScorecard). One query per card, cached on it; filtered through
    Reply.visible_to(user) when the template has a user (web pages), all replies of the card's
    ratings otherwise (PDF jobs render what the requester could already see).

    Usage: {% load information_requests %}{% reply_for card row.assessment_id as reply %}
           {% include "requests/includes/reply.html" with reply=reply %}"""
    from obligations.models import Reply

    cache = getattr(card, "_replies_by_assessment", None)
    if cache is None:
        ids = [row.get("assessment_id") for row in getattr(card, "rows", [])]
        queryset = Reply.objects.filter(assessment_id__in=[pk for pk in ids if pk]).prefetch_related("documents")
        user = context.get("user")
        if user is not None:
            queryset = queryset.visible_to(user)
        cache = {reply.assessment_id: reply for reply in queryset}
        card._replies_by_assessment = cache
    return cache.get(assessment_id)
