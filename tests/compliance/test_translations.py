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


GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
CONTEXT_CALLS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)(?P<rest>[^%]*)%\}""")
CONTEXT_ARG = re.compile(r"""context\s+(?P<q>["'])(?P<ctx>.*?)(?P=q)""")


def _source_msgids() -> set[tuple[str | None, str]]:
    """The literal msgids of the project's Python files and the {% translate %} tags of its
    templates (blocktranslate bodies are left to `make messages`)."""
    import ast

    found = set()
    apps = ["agencies", "obligations", "information_requests", "reports", "compliance", "lib"]
    for path in (p for app in apps for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            strings = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if name in GETTEXT_CALLS and strings[0] is not None:
                found.add((None, strings[0]))
            elif name in CONTEXT_CALLS and len(strings) > 1 and None not in strings[:2]:
                found.add((strings[0], strings[1]))
    for path in (ROOT / "templates").rglob("*.*"):
        for match in TRANSLATE_TAG.finditer(path.read_text()):
            context = CONTEXT_ARG.search(match.group("rest"))
            found.add((context.group("ctx") if context else None, match.group("msgid")))
    return found


def test_every_string_of_the_source_is_in_the_english_catalogue(english):
    """A string added or reworded in the code must reach the catalogue (`make messages`, then
    translate): otherwise the English interface silently shows it in Spanish."""
    catalogue = {(entry.msgctxt, entry.msgid) for entry in english.translated_entries()}
    missing = sorted((msgid for key in _source_msgids() if key not in catalogue for _ctx, msgid in [key]), key=str)
    assert not missing, f"{len(missing)} strings without English: {missing[:15]}"


def test_every_spanish_override_survives_make_messages():
    """locale/es_MX only holds where our Spanish differs from the msgid: Django's own strings said
    our way (lower-case months, «La evaluación … se modificó»). `make messages` keeps an entry
    only if a source file mentions it (compliance/locale_overrides.py, compliance/admin.py)."""
    spanish = polib.pofile(str(ROOT / "locale/es_MX/LC_MESSAGES/django.po"))
    overrides = {
        (entry.msgctxt, entry.msgid)
        for entry in spanish.translated_entries()
        if not entry.msgid_plural and entry.msgstr != entry.msgid and entry.msgid != "English"
    }
    assert len(overrides) > 40  # the months (3 forms) and the gendered admin messages
    missing = sorted(overrides - _source_msgids(), key=str)
    assert not missing, f"overrides that `make messages` would drop: {missing[:10]}"
