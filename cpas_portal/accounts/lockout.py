"""What a locked-out client sees (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_STATUS = 429


def lockout_message():
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed login attempts for this account or from this address. Logging in is blocked "
        "for %(minutes)d minutes; try again later or ask a manager to unlock the account."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The API gets a JSON detail; pages get the message inside the site's layout."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=LOCKOUT_STATUS)
    else:
        response = render(request, "registration/locked_out.html", {"message": lockout_message()},
                          status=LOCKOUT_STATUS)
    response["Retry-After"] = retry_after
    return response


def is_locked_out(request):
    """Whether django-axes flagged this request (the failure just recorded reached the limit)."""
    return bool(getattr(request, "axes_locked_out", False))
