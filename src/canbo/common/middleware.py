"""Vietnamese first (DESIGN principle 8): the interface speaks Vietnamese
unless the user has chosen another language (the ``django_language``
cookie set by ``/i18n/setlang/``); the browser's Accept-Language is ignored,
so an English-language browser in a commune office still sees Vietnamese."""

from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
