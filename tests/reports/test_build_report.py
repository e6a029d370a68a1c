"""manage.py build_report: scripted PDFs."""

import pytest
from django.core.management import CommandError, call_command

from reports import jobs
from reports.models import ReportKind
from tests.reports.report_fixtures import KNOWN_BASIS, build_cycle, pdf_text


@pytest.fixture
def cycle(sep, inm):
    return build_cycle([sep, inm])


@pytest.mark.django_db
def test_it_writes_an_agency_report(sep, cycle, tmp_path, capsys):
    output = tmp_path / "sep.pdf"
    call_command("build_report", "--cycle", cycle.slug, "--agency", "sep", "-o", str(output))
    text = pdf_text(output.read_bytes())
    assert "Secretaría de Educación Pública" in text and KNOWN_BASIS in text
    assert "páginas" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_writes_the_national_report_in_english(cycle, tmp_path):
    output = tmp_path / "national.pdf"
    call_command("build_report", "--cycle", cycle.slug, "--lang", "en", "-o", str(output))
    text = pdf_text(output.read_bytes())
    assert output.read_bytes().startswith(b"%PDF")
    assert "SEP" in text and "INM" in text
    assert "(EN)" in text  # obligation titles in English


@pytest.mark.django_db
def test_it_prints_the_data_fingerprint(sep, cycle, capsys):
    call_command("build_report", "--cycle", cycle.slug, "--agency", "SEP", "--fingerprint")
    assert capsys.readouterr().out.strip() == jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep)


@pytest.mark.django_db
def test_it_names_an_unknown_cycle_or_agency(cycle, tmp_path):
    with pytest.raises(CommandError, match="no-existe"):
        call_command("build_report", "--cycle", "no-existe", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="XYZ"):
        call_command("build_report", "--cycle", cycle.slug, "--agency", "XYZ", "-o", str(tmp_path / "x.pdf"))
