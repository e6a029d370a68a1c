"""Two auditors saving the same assessment at the same moment (two threads, two database
connections, real row locks): one save wins, the other is told who changed what — no update
is lost silently, and the audit trail has exactly the winner's change."""

import threading
from datetime import date

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(role_groups, sep, auditora):
    from obligations.choices import Component, Level
    from obligations.models import Assessment, Obligation, ReviewCycle

    cycle = ReviewCycle.objects.create(
        slug="concurrencia", name_es="Ciclo", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31)
    )
    obligation = Obligation.objects.create(
        code="C-1", title_es="Obligación", component=Component.PREVENTION, level=Level.DIRECT
    )
    return Assessment.objects.create(cycle=cycle, agency=sep, obligation=obligation)


def test_two_simultaneous_saves_one_wins_the_other_is_told(draft, auditora, auditor2):
    from obligations import services
    from obligations.models import Assessment

    version = draft.version
    history_before = draft.history.count()
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, rationale):
        try:
            mine = Assessment.objects.get(pk=draft.pk)  # each auditor loaded the same version
            barrier.wait(timeout=10)
            services.save_rating(mine, user, expected_version=version, status="not_complied", rationale=rationale)
            outcomes[user.username] = "saved"
        except services.ConflictError as conflict:
            outcomes[user.username] = conflict.message
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes[user.username] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(auditora, "Versión de la auditora")),
        threading.Thread(target=save, args=(auditor2, "Versión del auditor 2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(v == "saved" for v in outcomes.values()) == [False, True], outcomes
    winner = next(name for name, v in outcomes.items() if v == "saved")
    loser_message = next(v for v in outcomes.values() if v != "saved")
    assert "Conflicto de edición" in loser_message and "NO se guardaron" in loser_message
    assert winner in loser_message  # who changed it

    draft.refresh_from_db()
    assert draft.version == version + 1
    assert draft.rationale == ("Versión de la auditora" if winner == "auditora" else "Versión del auditor 2")
    assert draft.history.count() == history_before + 1
    assert draft.history.first().history_user.username == winner


def test_the_loser_saves_again_on_the_new_version_and_both_changes_are_in_the_history(draft, auditora, auditor2):
    from obligations import services
    from obligations.models import Assessment

    first = Assessment.objects.get(pk=draft.pk)
    second = Assessment.objects.get(pk=draft.pk)
    services.save_rating(first, auditora, expected_version=first.version, status="not_complied", rationale="A")
    with pytest.raises(services.ConflictError) as conflict:
        services.save_rating(second, auditor2, expected_version=second.version, status="no_information", rationale="B")
    assert "«A»" in conflict.value.message  # what changed, shown to the second auditor
    current = Assessment.objects.get(pk=draft.pk)
    services.save_rating(current, auditor2, expected_version=current.version, status="no_information", rationale="B")
    rationales = list(draft.history.order_by("history_id").values_list("rationale", flat=True))
    assert rationales[-2:] == ["A", "B"]
