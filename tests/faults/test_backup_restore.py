"""The restore drill on PostgreSQL: `manage.py backup` of a database with ratings, history,
evidence files and report PDFs; restore into an EMPTY database and an empty folder; every
table's row count, the history and every file's SHA-256 must come back identical."""

import time

import pytest
from django.core.management import call_command
from django.db import connection

from lib import backup
from tests.security.world import build_world
from tests.support import files_under, private_media

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_database():
    """A new, empty PostgreSQL database beside the test database; dropped afterwards."""
    import psycopg

    settings_dict = {**connection.settings_dict, "NAME": f"{connection.settings_dict['NAME']}_restore"}
    admin_db = {**connection.settings_dict, "NAME": "postgres"}

    def run(sql):
        with psycopg.connect(backup._pg_url(admin_db), autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
    run(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    try:
        yield settings_dict
    finally:
        run(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


def test_backup_and_restore_round_trip(role_groups, empty_database, tmp_path, capsys):
    import psycopg

    from obligations.models import Evidence

    media_root = tmp_path / "media"
    with private_media(media_root):
        build_world()
        target = tmp_path / "backup"
        call_command("backup", str(target))
        printed = capsys.readouterr().out

        with connection.cursor() as cursor:
            live = backup._count_rows(cursor, "postgresql")
        originals = {p.relative_to(media_root).as_posix(): backup.sha256_of(p) for p in files_under(media_root)}

        restored_media = tmp_path / "restored-media"
        started = time.monotonic()
        summary = backup.restore(target, media_root=restored_media, database=empty_database)
        seconds = time.monotonic() - started

    with psycopg.connect(backup._pg_url(empty_database), autocommit=True) as conn:
        restored = backup._count_rows(conn.cursor(), "postgresql")
        evidence_files = conn.execute("SELECT file, sha256 FROM obligations_evidence WHERE file <> ''").fetchall()
        history = conn.execute("SELECT COUNT(*) FROM obligations_historicalassessment").fetchone()[0]

    # Every table, row for row; the history with them.
    assert restored == live
    assert history == live["obligations_historicalassessment"] > 0
    assert summary.history_rows == backup._history_rows(live) > 0
    # Every file, hash for hash; and the evidence rows still match their files.
    copies = {p.relative_to(restored_media).as_posix(): backup.sha256_of(p) for p in files_under(restored_media)}
    assert copies == originals and len(copies) >= 5
    assert len(evidence_files) == Evidence.objects.exclude(file="").count() > 0
    for name, sha256 in evidence_files:
        assert backup.sha256_of(restored_media / name) == sha256
    print(
        f"\nrestore drill: {summary.tables} tables, {summary.rows} rows ({summary.history_rows} history), "
        f"{summary.files} files ({summary.file_bytes} bytes), dump {summary.database_bytes} bytes, "
        f"restore {seconds:.1f}s; backup: {printed.strip()}"
    )

    # Never over live data: a database with tables, or a folder with files, is refused.
    with pytest.raises(backup.BackupError, match="ya tiene tablas"):
        backup.restore(target, media_root=tmp_path / "other", database=empty_database)
    with pytest.raises(backup.BackupError, match="no está vacía"):
        backup.restore(target, media_root=restored_media, database=empty_database)


def test_a_damaged_backup_is_refused_before_anything_is_written(role_groups, empty_database, tmp_path):
    with private_media(tmp_path / "media"):
        build_world()
        target = tmp_path / "backup"
        call_command("backup", str(target))
    victim = next(p for p in files_under(target / "files"))
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(backup.BackupError, match="dañado"):
        backup.restore(target, media_root=tmp_path / "restored", database=empty_database)
    assert files_under(tmp_path / "restored") == []
    import psycopg

    with psycopg.connect(backup._pg_url(empty_database), autocommit=True) as conn:
        assert backup._count_rows(conn.cursor(), "postgresql") == {}
