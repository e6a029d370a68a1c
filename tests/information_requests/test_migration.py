"""Information requests moved from the obligations app to their own app: the tables, their rows,
their history and their content types must survive the move (obligations 0006,
information_requests 0001–0002)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Both apps as they were before the move (agencies 0004 later dropped a column the old state still has).
BEFORE = [("obligations", "0005_review_verbose_names"), ("agencies", "0003_agencyname_date_to_verify")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_requests_keep_their_rows_history_and_content_types_when_moved():
    latest = [(key[0], key[1]) for key in MigrationExecutor(connection).loader.graph.leaf_nodes()]
    old = _migrate(BEFORE)
    try:
        Agency = old.get_model("agencies", "Agency")
        Cycle = old.get_model("obligations", "ReviewCycle")
        Obligation = old.get_model("obligations", "Obligation")
        Request = old.get_model("obligations", "InformationRequest")
        HistoricalRequest = old.get_model("obligations", "HistoricalInformationRequest")
        Addressee = old.get_model("obligations", "RequestAddressee")
        Answer = old.get_model("obligations", "Answer")
        ContentType = old.get_model("contenttypes", "ContentType")

        sep = Agency.objects.create(acronym="SEP", name_es="Secretaría de Educación Pública")
        cycle = Cycle.objects.create(
            slug="c", name_es="Ciclo", period_start=date(2020, 1, 1), period_end=date(2021, 1, 1)
        )
        obligation = Obligation.objects.create(code="OB-1", title_es="Obligación", component="prevention", level=1)
        request = Request.objects.create(
            cycle=cycle, title="Módulos escolares", questions="¿Qué hicieron?", due_date=date(2020, 6, 1), state="sent"
        )
        request.obligations.add(obligation)
        HistoricalRequest.objects.create(
            id=request.pk,
            cycle=cycle,
            title=request.title,
            questions=request.questions,
            due_date=request.due_date,
            state="sent",
            created_at=request.created_at,
            history_date=request.created_at,
            history_type="+",
        )
        addressee = Addressee.objects.create(request=request, agency=sep)
        Answer.objects.create(addressee=addressee, obligation=obligation, text="Se aplicaron en 2019.")
        ContentType.objects.get_or_create(app_label="obligations", model="informationrequest")
    finally:
        new = _migrate(latest)

    Request = new.get_model("information_requests", "InformationRequest")
    moved = Request.objects.get()
    assert moved.title == "Módulos escolares"
    assert list(moved.obligations.values_list("code", flat=True)) == ["OB-1"]
    assert list(moved.addressees.values_list("agency__acronym", flat=True)) == ["SEP"]
    answer = new.get_model("information_requests", "Answer").objects.get()
    assert answer.text == "Se aplicaron en 2019." and answer.addressee.request_id == moved.pk
    assert (
        new.get_model("information_requests", "HistoricalInformationRequest").objects.filter(id=moved.pk).count() == 1
    )
    content_types = new.get_model("contenttypes", "ContentType").objects
    assert content_types.filter(app_label="information_requests", model="informationrequest").exists()
    assert not content_types.filter(app_label="obligations", model="informationrequest").exists()
    tables = set(connection.introspection.table_names())
    assert {"information_requests_informationrequest", "information_requests_informationrequest_obligations"} <= tables
    assert not {"obligations_informationrequest", "obligations_informationrequest_obligations"} & tables
