"""A clean 503 page while the database is unreachable (restart, failover), instead of a traceback.

Connections are checked before reuse (``CONN_HEALTH_CHECKS``), so pages work again as soon as the
database is back, without restarting the application.
"""

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    """The outage page, rendered without touching the database (no user, session or messages)."""
    request.user = AnonymousUser()
    request._cpas_membership = (None, None)
    request._messages = CookieStorage(request)  # the session (and its messages) lives in the database
    message = _("The application cannot reach its database for a moment. Nothing was lost: try again in a "
                "minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "503.html", {"message": message}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answers a view's lost database connection with the outage page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable on %s %s: %s", request.method, request.path,
                           str(exception).strip().splitlines()[0] if str(exception).strip() else type(exception))
            return database_unavailable(request)
        return None


def server_error(request):
    """``handler500``: the outage page when the error came from the database outside a view."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request)
    return django_server_error(request)
