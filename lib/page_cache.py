"""Whole-response caching of pages that look the same to everyone with the same view of them
(published scorecards and panoramas, reports.views).

The page is rendered once per key with placeholders where it differs per person — the CSRF token
of its forms and the name in the header — which each request fills in: a cached page never carries
another person's token or name. What changes by the minute (the PDF panel's latest job) is left
out of a page rendered for the cache (its context has `page_cache` set) and loaded by the page's
script from an endpoint of its own. The key is the caller's (what decides the page's content: the frozen data's generation,
the viewer's access, ...) plus the full path and the active language. A request with pending
flash messages is rendered normally and neither read from nor written to the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import get_language

CSRF = "page-cache-csrf-7c1e"
WHOAMI = "page-cache-whoami-7c1e"
TIMEOUT = 24 * 60 * 60


def cached_page(
    request,
    key_parts: tuple,
    render: Callable[[dict], str],
) -> HttpResponse:
    """`render(extra_context)` renders the page with `extra_context` added to its context; the
    template puts `page_cache_whoami` in place of the user's name when it is given."""
    if len(get_messages(request)):  # (does not consume them)
        return HttpResponse(render({}))
    fingerprint = repr((request.get_full_path(), get_language(), key_parts))
    key = "page:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render({"csrf_token": CSRF, "page_cache_whoami": WHOAMI, "page_cache": True})
        cache.set(key, html, TIMEOUT)
    user = request.user
    html = html.replace(CSRF, get_token(request)).replace(WHOAMI, escape(user.get_full_name() or user.username))
    return HttpResponse(html)
