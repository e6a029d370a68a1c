"""A sent request's attachments show their original names (never the storage path), and the
e-mails link to the configured SITE_URL."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from information_requests.models import RequestAttachment
from information_requests.services import send_request
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import PDF_BYTES, make_request

pytestmark = pytest.mark.django_db


def test_read_only_attachments_show_the_original_file_name(client, sent_request, auditora, media):
    attachment = RequestAttachment(request=sent_request, title="Formato", original_filename="formato 2026.pdf")
    attachment.file.save("x.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    client.force_login(auditora)
    html = client.get(
        reverse("admin:information_requests_informationrequest_change", args=[sent_request.pk])
    ).content.decode()
    download = reverse("information_requests:attachment", args=[attachment.pk])
    assert f'<a href="{download}">formato 2026.pdf</a>' in html
    assert attachment.file.name not in html


def test_email_links_use_the_configured_site_url(settings, cycle, sep, obligations, auditora, enlace_sep, mailoutbox):
    settings.SITE_URL = "https://seguimiento.example.org/"
    enlace_sep.email = "enlace@sep.gob.mx"
    enlace_sep.save()
    info_request = make_request(cycle, [sep], obligations, by=auditora)
    send_request(info_request, by=auditora)
    addressee = info_request.addressees.get()
    link = "https://seguimiento.example.org" + reverse("information_requests:detail", args=[addressee.pk])
    assert link in mailoutbox[0].body and ":8000" not in mailoutbox[0].body
