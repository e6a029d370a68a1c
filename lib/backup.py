"""Backup and restore of the whole system: the database and the stored files (MEDIA_ROOT), with
a manifest of SHA-256 sums that the restore checks before and after it writes anything.

A backup is a folder:

    manifest.json        what is inside: every file with its size and SHA-256, the row count of
                         every table, the database vendor and the dump's own SHA-256
    database.dump        PostgreSQL: `pg_dump --format=custom --no-owner --no-privileges`
    database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
    files/...            MEDIA_ROOT as it was (evidence, documents, reports)

`restore` refuses a database that has tables or a media folder that has files (it restores into
EMPTY ones, never over live data), verifies every hash of the manifest first, restores
(`pg_restore --single-transaction --exit-on-error` or the SQLite backup API), copies the files,
then verifies every file's SHA-256 and every table's row count against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
SKIPPED_SUFFIXES = (".part", ".tmp")  # half-written files of an interrupted write


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


@dataclass
class Summary:
    tables: int
    rows: int
    history_rows: int
    files: int
    file_bytes: int
    database_bytes: int
    seconds: float

    def as_text(self) -> str:
        return (
            f"{self.tables} tablas, {self.rows} filas (historial: {self.history_rows}), "
            f"{self.files} archivos ({self.file_bytes} bytes), base de datos {self.database_bytes} bytes, "
            f"{self.seconds:.1f} s"
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and not p.name.endswith(SKIPPED_SUFFIXES)
    )


def _pg_url(db: dict) -> str:
    """Without the password (it goes in PGPASSWORD, never on a command line)."""
    user = quote(db.get("USER") or "", safe="")
    auth = f"{user}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{auth}{host}:{port}/{db['NAME']}"


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} terminó con el código {result.returncode}: {result.stderr.strip()[:2000]}")


# --- Row counts -----------------------------------------------------------------------------


def _count_rows(cursor, vendor: str) -> dict[str, int]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names from the catalogue, not from input
        counts[table] = cursor.fetchone()[0]
    return counts


def _history_rows(counts: dict[str, int]) -> int:
    return sum(n for table, n in counts.items() if "_historical" in table)


# --- Backup ---------------------------------------------------------------------------------


def backup(target: Path, media_root: Path | None = None) -> Summary:
    """Write a backup folder at `target` (which must not exist or be empty)."""
    started = time.monotonic()
    target = Path(target)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"La carpeta de respaldo {target} no está vacía.")
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    db = connection.settings_dict

    if vendor == "postgresql":
        dump = target / "database.dump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", _pg_url(db)],
            env=_pg_env(db),
        )
    elif vendor == "sqlite":
        dump = target / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(dump) as destination:
            connection.connection.backup(destination)
        destination.close()
    else:  # pragma: no cover - the project runs on PostgreSQL or SQLite
        raise BackupError(f"Base de datos no soportada: {vendor}")
    # The counts are taken after the dump: a PostgreSQL dump is one snapshot, and the drill
    # compares the restored counts with these (a write in between would show as a mismatch).
    with connection.cursor() as cursor:
        counts = _count_rows(cursor, vendor)

    files_dir = target / "files"
    entries = []
    for source in _media_files(media_root):
        relative = source.relative_to(media_root).as_posix()
        destination = files_dir / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        digest = sha256_of(destination)
        if digest != sha256_of(source):
            raise BackupError(f"El archivo {relative} cambió mientras se copiaba; repita el respaldo.")
        entries.append({"path": relative, "size": destination.stat().st_size, "sha256": digest})

    manifest = {
        "format": FORMAT_VERSION,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "database": {
            "vendor": vendor,
            "file": dump.name,
            "size": dump.stat().st_size,
            "sha256": sha256_of(dump),
            "tables": counts,
        },
        "files": entries,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return _summary(manifest, time.monotonic() - started)


def _summary(manifest: dict, seconds: float) -> Summary:
    counts = manifest["database"]["tables"]
    return Summary(
        tables=len(counts),
        rows=sum(counts.values()),
        history_rows=_history_rows(counts),
        files=len(manifest["files"]),
        file_bytes=sum(e["size"] for e in manifest["files"]),
        database_bytes=manifest["database"]["size"],
        seconds=seconds,
    )


# --- Restore --------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"{source} no es un respaldo: falta {MANIFEST}.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Formato de respaldo desconocido: {manifest.get('format')!r}.")
    return manifest


def verify(source: Path) -> dict:
    """Check every SHA-256 of a backup folder against its manifest; the manifest if all match."""
    source = Path(source)
    manifest = read_manifest(source)
    problems = []
    database = manifest["database"]
    if sha256_of(source / database["file"]) != database["sha256"]:
        problems.append(database["file"])
    for entry in manifest["files"]:
        path = source / "files" / entry["path"]
        if not path.exists() or sha256_of(path) != entry["sha256"]:
            problems.append(entry["path"])
    if problems:
        raise BackupError(
            f"El respaldo está dañado: {len(problems)} archivo(s) no coinciden: {', '.join(problems[:10])}"
        )
    return manifest


def restore(source: Path, media_root: Path | None = None, database: dict | None = None) -> Summary:
    """Restore a backup into an EMPTY database (`database`: Django settings dict, default the
    configured one) and an EMPTY media folder, verifying every hash and every row count."""
    started = time.monotonic()
    source = Path(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    db = database or connection.settings_dict
    manifest = verify(source)
    vendor = manifest["database"]["vendor"]
    target_vendor = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite" if "sqlite" in db["ENGINE"] else "?"
    if vendor != target_vendor:
        raise BackupError(f"El respaldo es de {vendor}; la base de datos de destino es {db['ENGINE']}.")
    if _media_files(media_root):
        raise BackupError(f"La carpeta de archivos {media_root} no está vacía: restaure en una carpeta vacía.")

    if vendor == "postgresql":
        with _pg_cursor(db) as cursor:
            if _count_rows(cursor, vendor):
                raise BackupError(f"La base de datos {db['NAME']} ya tiene tablas: restaure en una base vacía.")
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={_pg_url(db)}",
                str(source / manifest["database"]["file"]),
            ],
            env=_pg_env(db),
        )
        with _pg_cursor(db) as cursor:
            counts = _count_rows(cursor, vendor)
    else:
        path = Path(db["NAME"])
        if path.exists() and path.stat().st_size:
            with sqlite3.connect(path) as existing:
                if _count_rows(existing.cursor(), "sqlite"):
                    raise BackupError(f"La base de datos {path} ya tiene tablas: restaure en una base vacía.")
        with sqlite3.connect(source / manifest["database"]["file"]) as backup_db, sqlite3.connect(path) as target_db:
            backup_db.backup(target_db)
        with sqlite3.connect(path) as target_db:
            counts = _count_rows(target_db.cursor(), "sqlite")

    expected = manifest["database"]["tables"]
    if counts != expected:
        different = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(f"Las filas restauradas no coinciden con el respaldo en: {', '.join(different[:10])}")

    for entry in manifest["files"]:
        destination = media_root / entry["path"]
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "files" / entry["path"], destination)
        if sha256_of(destination) != entry["sha256"]:
            raise BackupError(f"El archivo restaurado {entry['path']} no coincide con su SHA-256.")
    return _summary(manifest, time.monotonic() - started)


class _pg_cursor:
    """A cursor on any PostgreSQL database given as a Django settings dict (autocommit)."""

    def __init__(self, db: dict):
        import psycopg

        self.connection = psycopg.connect(_pg_url(db), password=db.get("PASSWORD") or None, autocommit=True)

    def __enter__(self):
        return self.connection.cursor()

    def __exit__(self, *exc):
        self.connection.close()
        return False
