"""Remember the language a logged-in user picks with the switch in the page header."""

from __future__ import annotations

from django.conf import settings

from portal.accounts import services


class LanguagePreferenceMiddleware:
    """After Django's ``set_language`` view set the language cookie for a logged-in user,
    store that language on the account, so it is restored at their next log-in elsewhere.

    The switch posts to Django's own view (the page header and its tests rely on that URL), so
    the preference is picked up here rather than in a view of our own. Must come after
    ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "POST"
            and match is not None
            and match.view_name == "set_language"
            and request.user.is_authenticated
        ):
            cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
            languages = {code for code, _name in settings.LANGUAGES}
            if cookie is not None and cookie.value in languages:
                services.user_set_language(actor=request.user, language=cookie.value)
        return response
