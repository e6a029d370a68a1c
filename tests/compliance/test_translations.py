"""Every user-visible string has its English translation, with the same placeholders."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


@pytest.fixture(scope="module")
def english():
    return polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))


def test_the_english_catalogue_is_complete(english):
    missing = [e.msgid for e in english.untranslated_entries()] + [e.msgid for e in english.fuzzy_entries()]
    assert not missing, f"{len(missing)} strings without English (run `make messages` and translate): {missing[:10]}"


def test_translations_keep_the_placeholders(english):
    wrong = []
    for entry in english.translated_entries():
        allowed = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        targets = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wrong += [entry.msgid for target in targets if not set(PLACEHOLDER.findall(target)) <= allowed]
    assert not wrong, wrong[:10]


def test_the_compiled_catalogue_is_up_to_date(english):
    mo = polib.mofile(str(ROOT / "locale/en/LC_MESSAGES/django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo if not e.msgid_plural}
    stale = [e.msgid for e in english.translated_entries() if not e.msgid_plural and compiled.get(e.msgid) != e.msgstr]
    assert not stale, f"run compilemessages: {stale[:5]}"
