"""How the request's fields are named to people (admin forms, filters, the readable history)."""

from django.utils import translation

from information_requests.models import InformationRequest


def test_who_created_a_request_is_named_in_spanish_and_english():
    field = InformationRequest._meta.get_field("created_by")
    history_field = InformationRequest.history.model._meta.get_field("created_by")
    with translation.override("es-mx"):
        assert str(field.verbose_name) == "creada por" == str(history_field.verbose_name)
    with translation.override("en"):
        assert str(field.verbose_name) == "created by"
