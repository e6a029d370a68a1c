"""A small, complete world for the security tests: two agencies, every role, a published and
an unpublished cycle, assessments, evidence (confidential and public), report jobs with files,
and an information request — so that every URL can be filled with a real object of each kind.

Names of the roles (the columns of the access matrix):
anonymous, liaison_sep, liaison_inm, secretariat, auditor, superuser, no_role.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from agencies.choices import Role

PASSWORD = "x-Secreta-2026!"
ROLES = ("anonymous", "liaison_sep", "liaison_inm", "secretariat", "auditor", "superuser", "no_role")
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def secrets_hidden_from(role: str) -> list[str]:
    """Markers of the world that `role` must never read, on any page or file.

    Rationales are `RAZON-<agency>-<cycle>`, confidential evidence descriptions
    `DESC-CONFIDENTIAL-<agency>-<cycle>`, request titles `SOLICITUD-<agency>`."""
    if role in ("auditor", "superuser"):
        return []
    hidden = ["BORRADOR-SEP-open", "RAZON-INM-open"]  # drafts: auditors only
    own = {"liaison_sep": "SEP", "liaison_inm": "INM"}.get(role)
    for acronym in ("SEP", "INM"):
        if acronym != own:
            hidden += [f"RAZON-{acronym}-open", f"DESC-CONFIDENTIAL-{acronym}-open", f"SOLICITUD-{acronym}"]
            if role != "secretariat":
                hidden.append(f"DESC-CONFIDENTIAL-{acronym}-published")
    return sorted(set(hidden))


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> user (None for anonymous)
    agencies: dict = field(default_factory=dict)  # "SEP"/"INM" -> Agency
    cycles: dict = field(default_factory=dict)  # "published"/"open" -> ReviewCycle
    obligation: object = None
    assessments: dict = field(default_factory=dict)  # (cycle_label, acronym) -> Assessment
    evidence: dict = field(default_factory=dict)  # (cycle_label, acronym, "confidential"/"public") -> Evidence
    jobs: dict = field(default_factory=dict)  # (cycle_label, acronym or "national") -> ReportJob
    requests: dict = field(default_factory=dict)  # "SEP"/"INM" -> InformationRequest (sent)
    extra: dict = field(default_factory=dict)  # anything else a rule needs (model label -> instance)

    def user(self, role):
        return self.users.get(role)


def _user(username, role=None, agencies=(), **extra):
    from agencies.models import Membership

    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    for agency in agencies:
        Membership.objects.create(user=user, agency=agency)
    return user


def build_world() -> World:
    from agencies.models import Agency
    from obligations.choices import Component, CycleState, EvidenceKind, Level, Status, WorkflowState
    from obligations.models import Assessment, Evidence, LegalInstrument, Obligation, Provision, ReviewCycle

    w = World()
    sep = Agency.objects.get_or_create(acronym="SEP", defaults={"name_es": "Secretaría de Educación Pública"})[0]
    inm = Agency.objects.get_or_create(acronym="INM", defaults={"name_es": "Instituto Nacional de Migración"})[0]
    w.agencies = {"SEP": sep, "INM": inm}
    w.users = {
        "anonymous": None,
        "liaison_sep": _user("mx-enlace-sep", Role.LIAISON, [sep]),
        "liaison_inm": _user("mx-enlace-inm", Role.LIAISON, [inm]),
        "secretariat": _user("mx-secretariado", Role.SECRETARIAT),
        "auditor": _user("mx-auditora", Role.AUDITOR, is_staff=True),
        "auditor2": _user("mx-auditor2", Role.AUDITOR, is_staff=True),
        "superuser": get_user_model().objects.create_superuser("mx-root", "root@example.org", PASSWORD),
        "no_role": _user("mx-sin-rol"),
    }
    law = LegalInstrument.objects.get_or_create(
        code="mx-lgpsedmtp", defaults={"short_name": "LGPSEDMTP", "name_es": "Ley General", "kind": "law"}
    )[0]
    provision = Provision.objects.create(instrument=law, article="89", fraction="XV", summary_es="Capacitación")
    w.obligation = Obligation.objects.create(
        code="MX-OBL-1", title_es="Programa de capacitación", component=Component.PREVENTION, level=Level.DIRECT
    )
    w.obligation.provisions.add(provision)
    w.extra["obligations.provision"] = provision
    w.extra["obligations.legalinstrument"] = law
    w.cycles = {
        "published": ReviewCycle.objects.create(
            slug="mx-publicado",
            name_es="Ciclo publicado",
            period_start=date(2012, 6, 15),
            period_end=date(2017, 7, 31),
            state=CycleState.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        ),
        "open": ReviewCycle.objects.create(
            slug="mx-abierto",
            name_es="Ciclo abierto",
            period_start=date(2018, 1, 1),
            period_end=date(2024, 12, 31),
            state=CycleState.OPEN,
        ),
    }
    auditor, auditor2 = w.users["auditor"], w.users["auditor2"]
    for label, cycle in w.cycles.items():
        for acronym, agency in w.agencies.items():
            validated = label == "published" or acronym == "SEP"
            assessment = Assessment.objects.create(
                cycle=cycle,
                agency=agency,
                obligation=w.obligation,
                status=Status.PARTIALLY_COMPLIED,
                rationale=f"RAZON-{acronym}-{label}",
                workflow_state=WorkflowState.VALIDATED if validated else WorkflowState.DRAFT,
                reviewer=auditor,
                validator=auditor2 if validated else None,
            )
            w.assessments[(label, acronym)] = assessment
            for secrecy in ("confidential", "public"):
                evidence = Evidence(
                    assessment=assessment,
                    kind=EvidenceKind.FILE,
                    title=f"Oficio {acronym} {label} {secrecy}",
                    description=f"DESC-{secrecy.upper()}-{acronym}-{label}",
                    fact_date=cycle.period_start,
                    original_filename=f"oficio-{acronym.lower()}.pdf",
                    sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
                    size=len(PDF_BYTES),
                    confidential=secrecy == "confidential",
                    submitted_by=auditor,
                )
                evidence.file.save(f"oficio-{acronym.lower()}.pdf", ContentFile(PDF_BYTES), save=False)
                evidence.save()
                w.evidence[(label, acronym, secrecy)] = evidence
    # A draft rating of SEP in the open cycle: SEP's liaison sees only validated ones.
    second = Obligation.objects.create(
        code="MX-OBL-2", title_es="Campañas de prevención", component=Component.PREVENTION, level=Level.DIRECT
    )
    w.extra["second_obligation"] = second
    w.assessments[("open-draft", "SEP")] = Assessment.objects.create(
        cycle=w.cycles["open"],
        agency=sep,
        obligation=second,
        status=Status.NOT_COMPLIED,
        rationale="BORRADOR-SEP-open",
        reviewer=auditor,
    )
    _add_report_jobs(w)
    _add_requests(w)
    _add_lockout_records(w)
    _add_catalogue_extras(w)
    return w


def _add_catalogue_extras(w: World) -> None:
    """One object of every other model the admin lists, so its object pages are checked too."""
    from axes.models import AccessLog

    from obligations.models import Indicator, IndicatorValue, Recommendation, RecommendationFollowUp

    indicator = Indicator.objects.create(
        code="MX-IND-1", obligation=w.obligation, statement_es="Personas capacitadas", kind="process"
    )
    w.extra["obligations.indicator"] = indicator
    w.extra["obligations.indicatorvalue"] = IndicatorValue.objects.create(
        indicator=indicator, year=2016, value=10, source="prueba"
    )
    recommendation = Recommendation.objects.create(code="MX-REC-1", issuer="cndh_2019", text_es="Capacitar")
    w.extra["obligations.recommendation"] = recommendation
    w.extra["obligations.recommendationfollowup"] = RecommendationFollowUp.objects.create(
        recommendation=recommendation, cycle=w.cycles["published"], agency=w.agencies["SEP"]
    )
    _add_law_and_figures(w)
    w.extra["axes.accesslog"] = AccessLog.objects.create(
        username="mx-auditora", ip_address="10.0.0.1", user_agent="pytest", path_info="/entrar/"
    )
    from information_requests.models import ReminderSent

    w.extra["information_requests.remindersent"] = ReminderSent.objects.create(
        addressee=w.extra["addressee-SEP"], stage="before_5", recipients="enlace@sep.example"
    )


def _add_law_and_figures(w: World) -> None:
    """One row of each law-catalogue and figures model (issue 11 and 16 data)."""
    from agencies.models import CommissionMembership
    from obligations.models import (
        Duty,
        DutyAssignment,
        DutyBearer,
        LegalInstrument,
        Provision,
        ProvisionVersion,
        RecurringAsk,
        State,
        StateFact,
    )

    law = LegalInstrument.objects.create(
        code="mx-ley", short_name="Ley General", name_es="Ley General de prueba", kind="law"
    )
    provision = Provision.objects.create(instrument=law, article="89", fraction="VI")
    w.extra["obligations.provision"] = provision
    w.extra["obligations.provisionversion"] = ProvisionVersion.objects.create(
        provision=provision, valid_from=date(2012, 6, 15), paraphrase_es="Incluir módulos", source="prueba"
    )
    bearer = DutyBearer.objects.create(
        code="MX-SEP",
        kind="agency",
        name_es="Secretaría de Educación Pública",
        agency=w.agencies["SEP"],
        source="prueba",
    )
    w.extra["obligations.dutybearer"] = bearer
    duty = Duty.objects.create(
        code="MX-DEB-89-VI",
        instrument=law,
        citation="Art. 89, fr. VI",
        theme="prevention",
        paraphrase_es="Deber",
        source="prueba",
    )
    DutyAssignment.objects.create(duty=duty, bearer=bearer)
    w.extra["obligations.duty"] = duty
    w.extra["agencies.commissionmembership"] = CommissionMembership.objects.create(
        agency=w.agencies["SEP"],
        law_name="Secretaría de Educación Pública",
        valid_from=date(2012, 6, 15),
        source="prueba",
    )
    state = State.objects.order_by("code").first() or State.objects.create(
        code="32", name="Zacatecas", short_name="Zacatecas", abbreviation="ZAC", tile_row=6, tile_column=4
    )
    w.extra["obligations.state"] = state
    w.extra["obligations.statefact"] = StateFact.objects.create(
        code="mx-hecho", state=state, topic="victims", text_es="Hecho", source="prueba", quote="cita"
    )
    w.extra["obligations.recurringask"] = RecurringAsk.objects.create(
        code="mx-pedido", title_es="Pedido", summary_es="Qué se pide"
    )


def _add_lockout_records(w: World) -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    for model, extra in ((AccessAttempt, {"failures_since_start": 1}), (AccessFailureLog, {})):
        w.extra[model._meta.label_lower] = model.objects.create(
            username="mx-auditora", ip_address="10.0.0.1", user_agent="pytest", path_info="/entrar/", **extra
        )


def _add_report_jobs(w: World) -> None:
    from reports.models import JobState, ReportJob, ReportKind

    for label, cycle in w.cycles.items():
        subjects = [("national", None), ("SEP", w.agencies["SEP"]), ("INM", w.agencies["INM"])]
        for subject, agency in subjects:
            job = ReportJob.objects.create(
                kind=ReportKind.NATIONAL if agency is None else ReportKind.AGENCY,
                cycle=cycle,
                agency=agency,
                requested_by=w.users["auditor"],
                state=JobState.DONE,
                progress=100,
                finished_at=timezone.now(),
                sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
                size=len(PDF_BYTES),
                page_count=1,
            )
            job.file.save(job.storage_name(), ContentFile(PDF_BYTES), save=True)
            w.jobs[(label, subject)] = job


def _add_requests(w: World) -> None:
    from information_requests.choices import AnswerState, RequestState
    from information_requests.models import (
        Answer,
        AnswerDocument,
        InformationRequest,
        RequestAddressee,
        RequestAttachment,
    )
    from obligations.models import Reply, ReplyDocument

    for acronym, agency in w.agencies.items():
        request = InformationRequest.objects.create(
            cycle=w.cycles["open"],
            title=f"SOLICITUD-{acronym}",
            questions="¿Qué programas de capacitación hay?",
            due_date=date(2030, 1, 31),
            state=RequestState.SENT,
            created_by=w.users["auditor"],
            sent_by=w.users["auditor"],
        )
        request.obligations.add(w.obligation)
        addressee = RequestAddressee.objects.create(request=request, agency=agency)
        w.requests[acronym] = request
        w.extra[f"addressee-{acronym}"] = addressee
        attachment = RequestAttachment(request=request, title="Formato", uploaded_by=w.users["auditor"])
        attachment.file.save("formato.pdf", ContentFile(PDF_BYTES), save=False)
        attachment.save()
        w.extra[f"attachment-{acronym}"] = attachment
        # SEP's answer is still a draft (auditors must not read it); INM's is submitted.
        answer = Answer.objects.create(
            addressee=addressee,
            obligation=w.obligation,
            text=f"RESPUESTA-{acronym}",
            state=AnswerState.DRAFT if acronym == "SEP" else AnswerState.SUBMITTED,
            submitted_at=None if acronym == "SEP" else timezone.now(),
            submitted_by=None if acronym == "SEP" else w.users["liaison_inm"],
        )
        document = AnswerDocument(answer=answer, title="Anexo", uploaded_by=w.users[f"liaison_{acronym.lower()}"])
        document.file.save("anexo.pdf", ContentFile(PDF_BYTES), save=False)
        document.save()
        w.extra[f"answer_document-{acronym}"] = document
        if acronym == "INM":  # the admin shows auditors submitted answers only
            w.extra["information_requests.answer"] = answer
    # SEP's right of reply to its validated rating of the open cycle.
    assessment = w.assessments[("open", "SEP")]
    reply = Reply.objects.create(
        assessment=assessment, text="REPLICA-SEP", filed_by=w.users["liaison_sep"], status_at_filing=assessment.status
    )
    document = ReplyDocument(reply=reply, title="Réplica", uploaded_by=w.users["liaison_sep"])
    document.file.save("replica.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    w.extra["reply_document-SEP"] = document
