"""The interface language follows the user's own choice, stored on their membership (issue 12, item 14).

The language selector of every page and the account page save the choice; from then on it applies at
login and on every page, whatever the browser's Accept-Language. Anonymous users (the login page) keep
the browser's language or the selector's cookie. The API is left alone: its messages follow the
request's Accept-Language, as API clients expect.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ..tenancy import current_membership
from . import services

UI_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def chosen_language(request):
    """The language stored on the user's profile, or None (anonymous, no membership, no choice yet)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    membership = current_membership(request)  # cached for the request: the view reuses it
    language = membership.language if membership is not None else ""
    return language if language in UI_LANGUAGES else None


class UserLanguageMiddleware:
    """After authentication: the user's stored language replaces the browser's for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None if request.path.startswith("/api/") else chosen_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # After a login or a change, the cookie follows too: the login page after logging out stays in it.
        language = None if request.path.startswith("/api/") else chosen_language(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                                path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE,
                                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


@require_POST
def set_language(request):
    """Django's ``set_language`` (cookie and redirect), and the choice stored on the user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if isinstance(response, HttpResponseRedirect) and request.user.is_authenticated and (
            language in UI_LANGUAGES or language == ""):
        services.membership_language_set(acting_user=request.user, language=language)
        if hasattr(request, "_cpas_membership"):
            del request._cpas_membership
        if language:
            translation.activate(language)
        else:  # back to the browser's language: the selector's cookie must not keep the old choice
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                                   samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
