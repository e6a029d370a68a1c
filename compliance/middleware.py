from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
