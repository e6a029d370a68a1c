from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The apps whose models auditors manage in the admin.
AUDITOR_APPS = ("agencies", "obligations", "information_requests", "reports")


def grant_auditor_permissions(sender, using="default", **kwargs):
    """The role groups exist and auditors may add, change, view and delete the domain's
    records in the admin. Permissions exist only after migrate, so this runs on
    post_migrate, idempotently (also after a test-database flush, which empties the
    groups the 0002 migration created)."""
    from django.contrib.auth.models import Group, Permission

    from agencies.choices import Role

    for role in Role:
        Group.objects.using(using).get_or_create(name=role.value)
    group = Group.objects.using(using).get(name=Role.AUDITOR)
    perms = Permission.objects.using(using).filter(content_type__app_label__in=AUDITOR_APPS)
    group.permissions.add(*perms)


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Dependencias")

    def ready(self):
        post_migrate.connect(grant_auditor_permissions, dispatch_uid="grant_auditor_permissions")
