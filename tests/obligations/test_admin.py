"""The auditors' admin: who gets in, the rating page, bulk workflow actions, cycles, history,
and list pages whose query count does not grow with the data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from obligations import services
from obligations.admin.assessments import AssessmentAdmin
from obligations.models import Assessment, Evidence, ReviewCycle
from tests.conftest import make_user
from tests.obligations.workflow_factories import (
    PERIOD,
    add_file_evidence,
    make_catalogue,
    open_test_cycle,
    rate,
    rating_post,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]  # media: tests/conftest.py

CHANGELIST = reverse("admin:obligations_assessment_changelist")


@pytest.fixture
def cycle(auditora, sep, inm):
    make_catalogue([sep, inm], n_obligations=2)
    return open_test_cycle(auditora)


@pytest.fixture
def auditor_client(client, auditora):
    client.force_login(auditora)
    return client


def change_url(assessment):
    return reverse("admin:obligations_assessment_change", args=[assessment.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- who gets in -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["enlace_sep", "secretariado", "outsider"])
def test_non_auditors_do_not_get_into_the_admin(client, persona, request, cycle):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_staff_user_without_the_auditor_role_sees_none_of_these_models(client, django_user_model, cycle):
    staff = make_user(django_user_model, "personal", is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(cycle.assessments.first())).status_code == 403
    assert "Evaluaciones" not in client.get(reverse("admin:index")).content.decode()


def test_a_staff_liaison_is_still_refused(client, django_user_model, sep, cycle):
    # Even if someone ticks "staff" on a liaison by mistake, the role rule keeps them out.
    liaison = make_user(django_user_model, "enlace-staff", "liaison", agencies=[sep], is_staff=True)
    client.force_login(liaison)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:obligations_evidence_changelist")).status_code == 403


def test_the_admin_speaks_spanish_and_lists_the_ratings(auditor_client, cycle):
    response = auditor_client.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Evaluaciones" in html and "PREV-001" in html and "Borrador" in html
    assert "Enviar a validación las seleccionadas" in html
    assert 'name="language"' in html  # the language switch


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=PREV-002", {"PREV-002"}),
        ("q=Obligaci%C3%B3n+de+prueba+1", {"PREV-001"}),
        ("q=82", {"PREV-002"}),  # article number (LGPSEDMTP art. 82)
        ("agency__id__exact={inm}", {"PREV-001", "PREV-002"}),
        ("obligation__component__exact=assistance", {"PREV-002"}),
        ("workflow_state__exact=submitted", set()),
    ],
)
def test_search_and_filters(auditor_client, cycle, inm, query, expected):
    response = auditor_client.get(f"{CHANGELIST}?{query.format(inm=inm.pk)}")
    assert response.status_code == 200
    shown = {a.obligation.code for a in response.context["cl"].result_list}
    assert shown == expected


# --- the rating page -----------------------------------------------------------------------


def test_the_rating_page_shows_the_legal_basis_and_indicators(auditor_client, cycle):
    assessment = cycle.assessments.get(agency__acronym="SEP", obligation__code="PREV-001")
    html = auditor_client.get(change_url(assessment)).content.decode()
    assert "LGPSEDMTP art. 81 fr. XV" in html
    assert "Indicador de la obligación 1" in html and "Oficio de la dependencia" in html
    assert 'name="expected_version"' in html


def test_rating_complied_with_new_evidence_in_one_save(auditor_client, cycle, auditora):
    assessment = cycle.assessments.get(agency__acronym="SEP", obligation__code="PREV-001")
    data = rating_post(
        assessment,
        [{"kind": "file", "title": "Oficio 2020", "fact_date": "2020-05-04", "file": upload(), "confidential": "on"}],
        status="complied",
        rationale="Programa publicado en 2020.",
    )
    response = auditor_client.post(change_url(assessment), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assessment.refresh_from_db()
    assert (assessment.status, assessment.reviewer, assessment.version) == ("complied", auditora, 2)
    evidence = assessment.evidence.get()
    assert evidence.sha256 and evidence.submitted_by == auditora and evidence.confidential


def test_submit_without_saving_first_saves_the_work_then_submits_it(auditor_client, cycle, auditora):
    """What the auditor typed (status, rationale, a PDF) is saved by the workflow button itself."""
    assessment = cycle.assessments.get(agency__acronym="SEP", obligation__code="PREV-001")
    data = rating_post(
        assessment,
        [{"kind": "file", "title": "Oficio 2020", "fact_date": "2020-05-04", "file": upload(), "confidential": "on"}],
        status="complied",
        rationale="Programa publicado en 2020.",
    )
    response = auditor_client.post(change_url(assessment), {**data, "_workflow": "submit"}, follow=True)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.rationale, assessment.workflow_state) == (
        "complied",
        "Programa publicado en 2020.",
        "submitted",
    )
    assert assessment.evidence.get().title == "Oficio 2020"
    assert messages_of(response)[0] == "Cambios guardados. Enviar a validación: hecho."


def test_submit_with_an_invalid_form_keeps_what_was_typed_and_says_why(auditor_client, cycle):
    assessment = cycle.assessments.get(agency__acronym="SEP", obligation__code="PREV-001")
    data = rating_post(assessment, [], status="not_complied", rationale="")
    response = auditor_client.post(change_url(assessment), {**data, "_workflow": "submit"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Todo estatus requiere una justificación escrita." in html
    assert '<option value="not_complied" selected>' in html  # the form is intact
    assessment.refresh_from_db()
    assert (assessment.status, assessment.workflow_state) == ("", "draft")


def test_submit_of_a_form_without_status_saves_and_names_the_real_reason(auditor_client, cycle):
    assessment = cycle.assessments.get(agency__acronym="SEP", obligation__code="PREV-001")
    data = rating_post(assessment, [], status="", rationale="", source_reference="CNDH 2019 ¶150")
    response = auditor_client.post(change_url(assessment), {**data, "_workflow": "submit"}, follow=True)
    assessment.refresh_from_db()
    assert (assessment.source_reference, assessment.workflow_state) == ("CNDH 2019 ¶150", "draft")
    assert messages_of(response) == [
        "Sus cambios se guardaron, pero la evaluación no pudo avanzar: Asigne un estatus antes de enviar a validación."
    ]


def test_rating_complied_with_only_out_of_period_evidence_is_refused(auditor_client, cycle):
    assessment = cycle.assessments.get(agency__acronym="SEP", obligation__code="PREV-001")
    data = rating_post(
        assessment,
        [{"kind": "file", "title": "Oficio 2016", "fact_date": "2016-05-04", "file": upload()}],
        status="complied",
        rationale="Programa publicado.",
    )
    response = auditor_client.post(change_url(assessment), data)
    assert response.status_code == 200
    assert "dentro del periodo" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "" and not assessment.evidence.exists()


def test_a_status_without_rationale_is_refused_on_the_page(auditor_client, cycle):
    assessment = cycle.assessments.first()
    response = auditor_client.post(change_url(assessment), rating_post(assessment, status="not_complied"))
    assert response.status_code == 200
    assert "Todo estatus requiere una justificación escrita." in response.content.decode()


def test_an_executable_disguised_as_pdf_is_refused_on_the_page(auditor_client, cycle):
    assessment = cycle.assessments.first()
    data = rating_post(
        assessment, [{"kind": "file", "title": "Oficio", "fact_date": "2020-05-04", "file": upload("o.pdf", b"MZ\x90")}]
    )
    response = auditor_client.post(change_url(assessment), data)
    assert response.status_code == 200
    assert "no corresponde a su extensión" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_validated_rating_is_read_only_in_the_admin(auditor_client, cycle, auditora, auditor2):
    assessment = cycle.assessments.first()
    evidence = add_file_evidence(assessment, auditora)
    rate(assessment, auditora)
    services.submit(assessment, auditora)
    services.validate(assessment, auditor2)
    page = auditor_client.get(change_url(assessment))
    html = page.content.decode()
    assert page.status_code == 200 and 'name="status"' not in html
    assert evidence.file.name not in html  # never the storage path
    assert reverse("obligations:evidence_download", args=[evidence.pk]) in html
    assert auditor_client.post(change_url(assessment), rating_post(assessment)).status_code == 403
    delete_url = reverse("admin:obligations_evidence_delete", args=[evidence.pk])
    assert auditor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# --- workflow actions ------------------------------------------------------------------------


def test_bulk_submit_reports_each_row(auditor_client, cycle, auditora):
    ready = cycle.assessments.get(agency__acronym="SEP", obligation__code="PREV-001")
    rate(ready, auditora, status="not_complied", rationale="Sin programa (¶161).")
    response = auditor_client.post(
        CHANGELIST,
        {"action": "submit_selected", "_selected_action": list(cycle.assessments.values_list("pk", flat=True))},
        follow=True,
    )
    texts = messages_of(response)
    assert f"{ready}: enviada a validación" in texts
    assert sum("Asigne un estatus antes de enviar" in t for t in texts) == 3
    assert "1 de 4 evaluaciones procesadas." in texts


def test_bulk_validate_refuses_self_validation_per_row(client, cycle, auditora, auditor2):
    for a in cycle.assessments.all():
        rate(a, auditora, status="no_information", rationale="Respuesta evasiva.")
        services.submit(a, auditora)
    ids = list(cycle.assessments.values_list("pk", flat=True))
    client.force_login(auditora)
    texts = messages_of(client.post(CHANGELIST, {"action": "validate_selected", "_selected_action": ids}, follow=True))
    assert sum("No puede validar su propia evaluación" in t for t in texts) == 4
    client.force_login(auditor2)
    texts = messages_of(client.post(CHANGELIST, {"action": "validate_selected", "_selected_action": ids}, follow=True))
    assert "4 de 4 evaluaciones procesadas." in texts
    assert set(cycle.assessments.values_list("workflow_state", flat=True)) == {"validated"}


def test_return_to_draft_asks_for_a_reason(auditor_client, cycle, auditora):
    a = cycle.assessments.first()
    rate(a, auditora, status="no_information", rationale="Respuesta evasiva.")
    services.submit(a, auditora)
    url = reverse("admin:obligations_assessment_return", args=[a.pk])
    assert "Motivo de la devolución" in auditor_client.get(url).content.decode()
    assert auditor_client.post(url, {"reason": ""}).status_code == 200
    response = auditor_client.post(url, {"reason": "Falta el oficio de 2021."})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.workflow_state, a.return_reason) == ("draft", "Falta el oficio de 2021.")


def test_submit_and_validate_buttons_on_the_page(client, cycle, auditora, auditor2):
    a = cycle.assessments.first()
    rate(a, auditora, status="not_complied", rationale="Sin programa.")
    client.force_login(auditora)
    page = client.get(change_url(a)).content.decode()
    assert (
        '<button type="submit" name="_workflow" value="submit" class="button">Guardar y enviar a validación</button>'
        in page
    )
    client.post(
        change_url(a), {**rating_post(a, [], status="not_complied", rationale="Sin programa."), "_workflow": "submit"}
    )
    a.refresh_from_db()
    assert a.workflow_state == "submitted"
    client.force_login(auditor2)
    page = client.get(change_url(a)).content.decode()
    assert "Validar" in page
    client.post(reverse("admin:obligations_assessment_validate", args=[a.pk]))
    a.refresh_from_db()
    assert (a.workflow_state, a.validator) == ("validated", auditor2)


# --- cycles ------------------------------------------------------------------------------------


def test_opening_a_cycle_shows_what_will_be_created_then_creates_it(auditor_client, auditora, sep, inm):
    make_catalogue([sep, inm], n_obligations=3)
    url = reverse("admin:obligations_reviewcycle_open")
    assert auditor_client.get(reverse("admin:obligations_reviewcycle_add")).url == url
    data = {
        "name_es": "Ciclo 2018–2024",
        "slug": "2018-2024",
        "period_start": PERIOD[0].isoformat(),
        "period_end": PERIOD[1].isoformat(),
        "methodology_version": "cndh-2019-v1",
    }
    preview = auditor_client.post(url, data).content.decode()
    assert "Se crearán 6 evaluaciones en borrador" in preview
    assert not ReviewCycle.objects.exists()
    response = auditor_client.post(url, {**data, "confirm": "yes"}, follow=True)
    cycle = ReviewCycle.objects.get(slug="2018-2024")
    assert cycle.assessments.count() == 6
    assert "abierto con 6 evaluaciones en borrador" in " ".join(messages_of(response))


def test_closing_and_publishing_need_confirmation(auditor_client, cycle):
    url = reverse("admin:obligations_reviewcycle_changelist")
    page = auditor_client.post(url, {"action": "close_cycles", "_selected_action": [cycle.pk]})
    assert "¿Cerrar estos ciclos?" in page.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == "open"
    auditor_client.post(url, {"action": "close_cycles", "_selected_action": [cycle.pk], "post": "yes"})
    cycle.refresh_from_db()
    assert cycle.state == "closed"
    response = auditor_client.post(
        url, {"action": "publish_cycles", "_selected_action": [cycle.pk], "post": "yes"}, follow=True
    )
    assert any("no están validadas" in t for t in messages_of(response))


# --- history -------------------------------------------------------------------------------------


def test_the_history_page_shows_before_and_after(client, cycle, auditora, auditor2):
    a = cycle.assessments.first()
    rate(a, auditora, status="not_complied", rationale="Sin programa.")
    rate(a, auditora, status="no_information", rationale="Respuesta evasiva.")
    services.submit(a, auditora)
    services.return_to_draft(a, auditor2, "Revisar el oficio de 2019.")
    client.force_login(auditor2)
    html = client.get(reverse("admin:obligations_assessment_history", args=[a.pk])).content.decode()
    row = re.search(
        r"<td>Estatus</td><td class=\"before\">No cumplida</td><td class=\"after\">Sin información</td>", html
    )
    assert row, html
    assert "Revisar el oficio de 2019." in html and "auditor2" in html


# --- list pages stay fast --------------------------------------------------------------------------


def _populate(cycle, prefix, n_agencies, n_obligations, reviewer):
    """n_agencies × n_obligations assessments in `cycle`, each with a reviewer and an evidence item."""
    from agencies.models import Agency
    from obligations.models import Obligation

    agencies = Agency.objects.bulk_create(
        [Agency(acronym=f"{prefix}{i}", name_es=f"Dependencia {prefix}{i}") for i in range(n_agencies)]
    )
    obligations = Obligation.objects.bulk_create(
        [
            Obligation(code=f"{prefix}-{i:04d}", title_es=f"Obligación {i}", component="prevention", level=1)
            for i in range(n_obligations)
        ]
    )
    rows = Assessment.objects.bulk_create(
        [Assessment(cycle=cycle, agency=a, obligation=o, reviewer=reviewer) for a in agencies for o in obligations]
    )
    Evidence.objects.bulk_create(
        [
            Evidence(assessment=r, title="Oficio", fact_date=PERIOD[0], url="https://example.org", kind="link")
            for r in rows
        ]
    )
    return rows


def test_the_assessment_changelist_query_count_does_not_grow(
    auditor_client, auditora, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(AssessmentAdmin, "list_per_page", 1000)
    small = ReviewCycle.objects.create(slug="c10", name_es="c10", period_start=PERIOD[0], period_end=PERIOD[1])
    big = ReviewCycle.objects.create(slug="c500", name_es="c500", period_start=PERIOD[0], period_end=PERIOD[1])
    _populate(small, "S", 2, 5, auditora)
    _populate(big, "B", 10, 50, auditora)
    auditor_client.get(CHANGELIST)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = auditor_client.get(f"{CHANGELIST}?cycle__id__exact={small.pk}")
    assert len(response.context["cl"].result_list) == 10
    n10 = len(ctx.captured_queries)
    with django_assert_max_num_queries(n10):
        response = auditor_client.get(f"{CHANGELIST}?cycle__id__exact={big.pk}")
    assert len(response.context["cl"].result_list) == 500
    assert "1 / 1" in response.content.decode()  # evidence counts come from the annotation


def test_import_export_only_where_a_strict_resource_exists(auditor_client, client, django_user_model, cycle):
    # Evidence files must pass validate_upload: no bulk import around it (not even the screen).
    with pytest.raises(NoReverseMatch):
        reverse("admin:obligations_evidence_import")
    assert "Importar" not in auditor_client.get(reverse("admin:obligations_evidence_changelist")).content.decode()
    staff = make_user(django_user_model, "personal", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:obligations_assessment_import")).status_code == 403


def test_the_language_switch_turns_the_admin_to_english(auditor_client, cycle):
    assert "Cerrar sesión" in auditor_client.get(CHANGELIST).content.decode()
    auditor_client.post(reverse("set_language"), {"language": "en", "next": CHANGELIST})
    assert "Log out" in auditor_client.get(CHANGELIST).content.decode()


def test_validated_evidence_can_only_be_marked_publishable_in_the_admin(auditor_client, cycle, auditora, auditor2):
    assessment = cycle.assessments.first()
    evidence = add_file_evidence(assessment, auditora)
    rate(assessment, auditora)
    services.submit(assessment, auditora)
    services.validate(assessment, auditor2)
    url = reverse("admin:obligations_evidence_change", args=[evidence.pk])
    html = auditor_client.get(url).content.decode()
    assert 'name="title"' not in html and 'name="confidential"' not in html  # read-only page
    assert evidence.file.name not in html
    response = auditor_client.post(url, {"title": "Cambiado", "_save": "1"})  # confidential unticked
    assert response.status_code == 403  # only the action (which asks "testado?") publishes it
    evidence.refresh_from_db()
    assert (evidence.title, evidence.confidential) == ("Oficio de respuesta", True)
    # The bulk action asks for confirmation that the item is redacted.
    other = add_file_evidence(cycle.assessments.exclude(pk=assessment.pk).first(), auditora)
    changelist = reverse("admin:obligations_evidence_changelist")
    page = auditor_client.post(changelist, {"action": "mark_publishable", "_selected_action": [other.pk]})
    assert "testado" in page.content.decode()
    auditor_client.post(changelist, {"action": "mark_publishable", "_selected_action": [other.pk], "post": "yes"})
    other.refresh_from_db()
    assert other.confidential is False
