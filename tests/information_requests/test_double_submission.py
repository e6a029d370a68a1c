"""The same answer (or reply) sent twice at once — two tabs, a double click: one submission
wins, the other gets a clear message and changes nothing; its text is not kept and its
document is not left behind in storage. Never a 500. Threads on PostgreSQL (row locks and
unique constraints are what this is about); SQLite runs them too (IMMEDIATE transactions)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from information_requests.models import Answer, AnswerDocument
from information_requests.services import save_answer
from obligations.models import Assessment, Evidence, Reply, ReplyDocument
from obligations.replies import file_reply
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import addressee_of, make_cycle, make_obligation, pdf
from tests.support import files_under

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls at the same instant in threads; {index: "ok" | message of the refusal}."""
    barrier = threading.Barrier(len(calls))
    results = {}

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            results[index] = "ok"
        except ValidationError as exc:
            results[index] = " ".join(exc.messages)
        except Exception as exc:  # anything else would have been a 500
            results[index] = f"ERROR {exc.__class__.__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def referenced_files(*models):
    return sorted(str(obj.file.path) for model in models for obj in model.objects.all() if obj.file)


def test_two_first_submissions_at_once_one_is_sent_the_other_changes_nothing(
    sent_request, sep, obligations, enlace_sep, media
):
    addressee = addressee_of(sent_request, sep)
    results = race(
        lambda: save_answer(
            addressee, obligations[0], by=enlace_sep, text="Pestaña A", files=[pdf("a.pdf")], submit=True
        ),
        lambda: save_answer(
            addressee, obligations[0], by=enlace_sep, text="Pestaña B", files=[pdf("b.pdf")], submit=True
        ),
    )
    assert sorted(results.values()) == ["La respuesta ya fue enviada y no puede modificarse.", "ok"], results
    winner = "A" if results[0] == "ok" else "B"
    answer = Answer.objects.get()
    assert answer.state == "submitted" and answer.text == f"Pestaña {winner}"
    assert [d.original_filename for d in answer.documents.all()] == [f"{winner.lower()}.pdf"]
    assert answer.documents.get().evidence is not None  # the document became evidence
    assert Evidence.objects.filter(provided_by_agency=True).count() == 2  # the text and the document
    # No file of the losing tab in storage: every file there belongs to a row.
    assert sorted(str(p) for p in files_under(media)) == referenced_files(AnswerDocument, Evidence)


def test_two_first_drafts_at_once_never_fail(sent_request, sep, obligations, enlace_sep, media):
    addressee = addressee_of(sent_request, sep)
    results = race(
        *(lambda n=n: save_answer(addressee, obligations[0], by=enlace_sep, text=f"Borrador {n}") for n in range(4))
    )
    assert list(results.values()) == ["ok"] * 4, results  # drafts take turns; the last one stands
    assert Answer.objects.count() == 1 and Answer.objects.get().history.count() == 4


def test_a_submission_that_fails_after_storing_its_document_leaves_no_file(
    sent_request, sep, obligations, enlace_sep, media, monkeypatch
):
    from information_requests import services

    def refuse(*args, **kwargs):
        raise ValidationError("El archivo no pudo incorporarse como evidencia.")

    monkeypatch.setattr(services, "add_evidence", refuse)
    with pytest.raises(ValidationError):
        save_answer(
            addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="x", files=[pdf()], submit=True
        )
    assert not Answer.objects.exists() and not AnswerDocument.objects.exists()
    assert files_under(media) == []


@pytest.fixture
def validated(sep, auditora, auditor2):
    return Assessment.objects.create(
        cycle=make_cycle(start=date(2024, 1, 1), end=date(2026, 6, 30)),
        agency=sep,
        obligation=make_obligation("LG-89-XV"),
        status="not_complied",
        rationale="No se acreditó el programa.",
        workflow_state="validated",
        reviewer=auditora,
        validator=auditor2,
    )


def test_two_replies_at_once_one_is_filed_the_other_is_told(validated, enlace_sep, media):
    results = race(
        lambda: file_reply(validated, by=enlace_sep, text="Réplica A", files=[pdf("a.pdf")]),
        lambda: file_reply(validated, by=enlace_sep, text="Réplica B", files=[pdf("b.pdf")]),
    )
    assert sorted(results.values()) == ["Ya se presentó una réplica para esta calificación.", "ok"], results
    reply = Reply.objects.get()
    winner = "A" if results[0] == "ok" else "B"
    assert reply.text == f"Réplica {winner}"
    assert [d.original_filename for d in reply.documents.all()] == [f"{winner.lower()}.pdf"]
    assert sorted(str(p) for p in files_under(media)) == referenced_files(ReplyDocument)
