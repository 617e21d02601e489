"""Second factor (TOTP, django-otp): who must give a code, and the gate that asks for it.

A user with a confirmed device logs in with their password, then gives a code before anything else;
the session is then "verified". In production the roles of ``CPAS_REQUIRE_2FA_ROLES`` (managers and
finance officers by default) must enrol a device before anything else.

Whether the user has a device is read once per login and kept in the session, so the gate costs no
query on an ordinary request.
"""

from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..tenancy import current_membership, membership_of

ENROLLED_KEY = "cpas_otp_enrolled"
# Pages reachable before the second factor: logging in and out, giving or setting up the code.
OPEN_URL_NAMES = ("login", "logout", "set_language", "two_factor_verify", "two_factor_setup")


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def role_requires_two_factor(membership):
    return membership is not None and membership.role in settings.CPAS_REQUIRE_2FA_ROLES


def user_requires_two_factor(user):
    return role_requires_two_factor(membership_of(user))


def remember_enrolment(session, enrolled):
    session[ENROLLED_KEY] = bool(enrolled)


def session_enrolled(request):
    if ENROLLED_KEY not in request.session:
        remember_enrolment(request.session, confirmed_device(request.user) is not None)
    return request.session[ENROLLED_KEY]


def pending_step(request):
    """The URL name of the step the session still owes (``None`` when it may go anywhere)."""
    # The session key first: it spares loading the user of an anonymous request.
    if SESSION_KEY not in request.session or not request.user.is_authenticated or request.user.is_verified():
        return None
    if session_enrolled(request):
        return "two_factor_verify"
    if role_requires_two_factor(current_membership(request)):
        return "two_factor_setup"
    return None


@cache
def open_paths():
    return frozenset(reverse(name) for name in OPEN_URL_NAMES)


def is_open_path(path):
    if path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))):
        return True
    return path in open_paths()


class TwoFactorMiddleware:
    """Send a session that owes its code (or its enrolment) to that step; the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = None if is_open_path(request.path_info) else pending_step(request)
        if step is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            message = (_("Give the code of your authenticator app first.") if step == "two_factor_verify"
                       else _("Set up two-step verification first."))
            return JsonResponse({"detail": message}, status=403)
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
