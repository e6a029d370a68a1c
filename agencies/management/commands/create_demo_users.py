import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.choices import AgencyKind, Role
from agencies.models import Agency, Membership

# (username, full name, role, agency acronym for liaisons)
DEMO_USERS = [
    ("auditora", "Ana Auditora (demo)", Role.AUDITOR, None),
    ("auditor2", "Bruno Auditor (demo)", Role.AUDITOR, None),
    ("enlace-sep", "Enlace SEP (demo)", Role.LIAISON, "SEP"),
    ("enlace-inm", "Enlace INM (demo)", Role.LIAISON, "INM"),
    ("secretariado", "Secretariado técnico (demo)", Role.SECRETARIAT, None),
]

# Used only when the reference data has not been loaded yet.
MINIMAL_AGENCIES = {
    "SEP": ("Secretaría de Educación Pública", "Ministry of Public Education", AgencyKind.MINISTRY),
    "INM": ("Instituto Nacional de Migración", "National Migration Institute", AgencyKind.DECONCENTRATED),
}


class Command(BaseCommand):
    help = "Create the demo accounts (two auditors, SEP and INM liaisons, the secretariat)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo account (default: random, printed once).")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--if-no-users", action="store_true", help="Do nothing when any user already exists (used by make run)."
        )

    @transaction.atomic
    def handle(self, *args, password=None, force=False, if_no_users=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts are not for production. Pass --force to create them anyway."
            )
        User = get_user_model()
        if if_no_users and User.objects.exists():
            self.stdout.write("Users already exist; demo accounts not created.")
            return
        password = password or secrets.token_urlsafe(12)
        for username, full_name, role, acronym in DEMO_USERS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
            )
            user.set_password(password)
            user.is_staff = role == Role.AUDITOR  # auditors work in the Django admin
            user.save()
            user.groups.add(Group.objects.get(name=role))
            if acronym:
                name_es, name_en, kind = MINIMAL_AGENCIES[acronym]
                agency, _ = Agency.objects.get_or_create(
                    acronym=acronym, defaults={"name_es": name_es, "name_en": name_en, "kind": kind}
                )
                Membership.objects.get_or_create(user=user, agency=agency)
            self.stdout.write(f"{'created' if created else 'updated'}: {username} ({role.label})")
        self.stdout.write(self.style.WARNING(f"Password for all demo accounts: {password}"))
