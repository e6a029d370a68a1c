"""Crawl every link of the portal and the API, as each persona: nothing of the open cycle, no
draft and no confidential evidence is reachable from /publico/ or /api/v1/."""

import json
import re
from urllib.parse import urljoin, urlparse

import pytest

from tests.reports.public_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

SECRETS = ("ciclo-2026", "Ciclo 2026", "Justificación ciclo-2026", "Oficio con nombres de víctimas")
PREFIXES = ("/publico/", "/api/v1/")


def crawl(client, start=("/publico/", "/api/v1/"), limit=300):
    seen, queue, pages = set(), list(start), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # a link that 404s is broken
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        pages[url] = text
        if response["Content-Type"].startswith("application/json"):
            links = re.findall(r'"(https?://[^"]+)"', json.dumps(json.loads(text)))
        else:
            links = re.findall(r'href="([^"#]+)"', text)
        for link in links:
            absolute = urljoin("http://testserver" + url, link.replace("&amp;", "&"))
            parsed = urlparse(absolute)
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if parsed.netloc == "testserver" and parsed.path.startswith(PREFIXES):
                queue.append(path)
    return pages


@pytest.mark.parametrize("persona", [None, "auditora", "enlace_sep"])
def test_nothing_unpublished_is_reachable(client, request, published_world, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    pages = crawl(client)
    assert "/publico/cndh-2019/SEP/" in pages and "/api/v1/assessments/" in pages  # the crawl went deep
    assert len(pages) >= 10
    for url, text in pages.items():
        for secret in SECRETS:
            assert secret not in text, (url, secret)
