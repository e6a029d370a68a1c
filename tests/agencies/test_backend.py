"""The authentication backend reads a user's roles and liaison agencies with the user (one query
per request, agencies.backends), and they are never older than the request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies import policy
from agencies.backends import AccessModelBackend
from agencies.choices import Role
from agencies.models import Membership

pytestmark = pytest.mark.django_db

HOME_OF = "reports:agency_scorecard"


def test_the_user_comes_with_roles_and_agencies(enlace_sep, sep, inm, secretariado, outsider):
    Membership.objects.create(user=enlace_sep, agency=inm)
    backend = AccessModelBackend()
    with CaptureQueriesContext(connection) as queries:
        liaison = backend.get_user(enlace_sep.pk)
        assert policy.role_names(liaison) == {Role.LIAISON}
        assert policy.liaison_agency_ids(liaison) == {sep.pk, inm.pk}
        assert policy.view_key(liaison) == ((Role.LIAISON,), False, False, tuple(sorted([sep.pk, inm.pk])))
    assert len(queries.captured_queries) == 1
    assert policy.role_names(backend.get_user(secretariado.pk)) == {Role.SECRETARIAT}
    nobody = backend.get_user(outsider.pk)
    assert policy.role_names(nobody) == frozenset() and policy.liaison_agency_ids(nobody) == frozenset()
    assert backend.get_user(987654) is None


def test_an_inactive_user_is_not_loaded(enlace_sep):
    enlace_sep.is_active = False
    enlace_sep.save()
    assert AccessModelBackend().get_user(enlace_sep.pk) is None


def test_a_request_asks_no_separate_role_or_membership_query(client, enlace_sep, sep):
    client.force_login(enlace_sep)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(HOME_OF, args=["SEP"]))
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any(s.lstrip().startswith('SELECT "auth_group"') for s in sql), sql
    assert not any(s.lstrip().startswith('SELECT "agencies_membership"') for s in sql), sql


def test_a_role_taken_away_counts_from_the_next_request(client, enlace_sep, sep):
    client.force_login(enlace_sep)
    url = reverse(HOME_OF, args=["SEP"])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=enlace_sep).delete()
    assert client.get(url).status_code == 404
    Membership.objects.create(user=enlace_sep, agency=sep)
    assert client.get(url).status_code == 200
    enlace_sep.groups.remove(Group.objects.get(name=Role.LIAISON))
    assert client.get(url).status_code == 404
