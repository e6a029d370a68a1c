"""lib.backup on SQLite (the default database): the same round trip as the PostgreSQL drill
(tests/faults/test_backup_restore.py), through SQLite's online backup API."""

import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection

from lib import backup
from tests.security.world import build_world
from tests.support import files_under, private_media

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def role_groups(transactional_db):
    from django.contrib.auth.models import Group

    from agencies.choices import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_sqlite_round_trip(role_groups, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path (the PostgreSQL one is tests/faults/test_backup_restore.py)")
    media_root = tmp_path / "media"
    with private_media(media_root):
        build_world()
        call_command("backup", str(tmp_path / "backup"))
        with connection.cursor() as cursor:
            live = backup._count_rows(cursor, "sqlite")
        originals = {p.relative_to(media_root).as_posix(): backup.sha256_of(p) for p in files_under(media_root)}
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
    summary = backup.restore(tmp_path / "backup", media_root=tmp_path / "restored", database=target)
    with sqlite3.connect(target["NAME"]) as restored:
        assert backup._count_rows(restored.cursor(), "sqlite") == live
    assert summary.history_rows > 0 and summary.files == len(originals) > 0
    copies = {
        p.relative_to(tmp_path / "restored").as_posix(): backup.sha256_of(p) for p in files_under(tmp_path / "restored")
    }
    assert copies == originals
    with pytest.raises(backup.BackupError, match="ya tiene tablas"):
        backup.restore(tmp_path / "backup", media_root=tmp_path / "other", database=target)
