"""Friendly error pages inside the layout, in the user's language, saying why (403, 404, 500, CSRF).

No English "403 Forbidden", no constraint name and no traceback reaches a user: the handlers below
replace Django's defaults (``handler403``/``handler404``/``handler500`` in ``cpas_portal/urls.py``
and ``CSRF_FAILURE_VIEW``). API paths answer JSON with a translated ``detail``.
"""

import logging
import sys

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

from .outage import DATABASE_ERRORS, database_unavailable

logger = logging.getLogger(__name__)


def _is_api(request):
    return request.path.startswith("/api/")


def _render(request, template, status, context=None):
    """The page in the layout; a bare page in the user's language if the layout itself fails."""
    try:
        html = render_to_string(template, context or {}, request=request)
    except Exception:  # the layout needs the database and the session: neither may be usable now
        logger.exception("Error page %s rendered without the layout", status)
        title = {403: _("Access denied"), 404: _("Page not found")}.get(status, _("Server error"))
        html = (f'<!DOCTYPE html><html lang="{escape(getattr(request, "LANGUAGE_CODE", "fr"))}"><head>'
                f'<meta charset="utf-8"><title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>'
                f'<p><a href="/">{escape(_("Back to my day"))}</a></p></main></body></html>')
    return HttpResponse(html, status=status)


def permission_denied(request, exception=None):
    """A 403: the user's role may not do this. The view's own reason is shown when it gave one."""
    reason = str(exception) if exception is not None and str(exception) else ""
    if _is_api(request):
        return JsonResponse({"detail": reason or _("You do not have permission to perform this action.")},
                            status=403)
    return _render(request, "403.html", 403, {"reason": reason})


def page_not_found(request, exception=None):
    """A 404: nothing here, or it belongs to another CPAS (never told apart: tenancy)."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return _render(request, "404.html", 404)


def server_error(request):
    """A 500: logged (Django's request logger already has the traceback); the user may try again.
    A database outage is the 503 page (cpas_portal/outage.py)."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": _("An unexpected error happened. It has been logged: try again in a "
                                         "moment.")}, status=500)
    return _render(request, "500.html", 500)


def csrf_failure(request, reason=""):
    """The form's security token did not match (a page left open across a login, cookies blocked)."""
    logger.warning("CSRF check failed on %s %s: %s", request.method, request.path, reason)
    if _is_api(request):
        return JsonResponse({"detail": _("The form expired. Reload the page and try again.")}, status=403)
    return _render(request, "403_csrf.html", 403)
