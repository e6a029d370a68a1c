import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from lib.downloads import PRIVATE


class SpanishFirstLocaleMiddleware(LocaleMiddleware):
    """Spanish (es-MX) unless the user chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language; many of our users'
    machines are set up in English, yet the product's working language is Spanish. So
    only the language cookie (set by the header's switch) changes the language."""

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# C0 control characters and DEL. In a path or a query value they are never legitimate, and
# some reach PostgreSQL (which refuses NUL in text: a 500) or log lines.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RejectControlCharactersMiddleware:
    """400 for a request whose path or query string (names or values) carries a control
    character. Early in the chain: no view, query or template ever sees such a value. (Form
    fields are the forms' business: Django's CharField refuses NUL, text areas hold line breaks.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._hostile(request):
            message = _("La dirección contiene caracteres no permitidos (NUL o de control).")
            if request.path_info.startswith("/api/"):
                response = JsonResponse({"error": message}, status=400)
            else:
                response = HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

    @staticmethod
    def _hostile(request) -> bool:
        if _CONTROL.search(request.path) or _CONTROL.search(request.path_info):
            return True
        for key, values in request.GET.lists():
            if _CONTROL.search(key) or any(_CONTROL.search(value) for value in values):
                return True
        return False


class PrivateByDefaultCacheMiddleware:
    """`Cache-Control: private, no-store` on every response that does not state its own policy.
    Public pages of published cycles, the public API and public downloads set theirs
    (reports.public_views, reports.api, lib.downloads) and keep it; everything else — pages
    behind a login, the admin, private CSV/JSON and files — is never stored by a browser or a
    proxy (a shared computer's back button, a corporate cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE
        return response
