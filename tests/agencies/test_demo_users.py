import pytest
from django.core.management import CommandError, call_command

from agencies.models import Membership


@pytest.fixture(autouse=True)
def debug_on(settings):
    """The command is for development installs (DEBUG on); the test runner turns DEBUG off."""
    settings.DEBUG = True


@pytest.mark.django_db
def test_it_creates_one_account_per_role_with_memberships(capsys):
    from django.contrib.auth import get_user_model

    call_command("create_demo_users", "--password", "una-clave-larga-2026")
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    assert set(users) == {"auditora", "auditor2", "enlace-sep", "enlace-inm", "secretariado"}
    assert [g.name for g in users["auditora"].groups.all()] == ["auditor"]
    assert [g.name for g in users["secretariado"].groups.all()] == ["secretariat"]
    assert users["auditora"].is_staff and not users["enlace-sep"].is_staff
    assert users["enlace-sep"].check_password("una-clave-larga-2026")
    memberships = set(Membership.objects.values_list("user__username", "agency__acronym"))
    assert memberships == {("enlace-sep", "SEP"), ("enlace-inm", "INM")}


@pytest.mark.django_db
def test_a_random_password_is_printed_once(capsys):
    call_command("create_demo_users")
    out = capsys.readouterr().out
    assert out.count("Password for all demo accounts:") == 1
    password = out.rsplit(": ", 1)[1].strip()
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="auditor2").check_password(password)


@pytest.mark.django_db
def test_it_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("create_demo_users")
    call_command("create_demo_users", "--force", "--password", "otra-clave-larga-2026")


@pytest.mark.django_db
def test_if_no_users_leaves_an_existing_install_alone(django_user_model, capsys):
    django_user_model.objects.create_user("alguien")
    call_command("create_demo_users", "--if-no-users")
    assert django_user_model.objects.count() == 1
