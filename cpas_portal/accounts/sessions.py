"""Session lifetimes: an idle timeout and an absolute lifetime, whatever the activity.

Times are kept in the session as Unix seconds. The last request is recorded at most once a minute,
which spares a session write on every request and makes the idle timeout exact to the minute.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED_KEY = "cpas_session_started"
SEEN_KEY = "cpas_session_seen"
SEEN_RESOLUTION_SECONDS = 60


def now_seconds():
    return int(timezone.now().timestamp())


def stamp_login(session):
    """A new login: both clocks start now."""
    session[STARTED_KEY] = session[SEEN_KEY] = now_seconds()


def expiry_reason(session, now):
    """Why the session has ended (a message for the user), or ``None`` while it is alive."""
    if now - session[STARTED_KEY] > settings.SESSION_MAX_AGE.total_seconds():
        return _("Your session has reached its maximum duration. Please log in again.")
    if now - session[SEEN_KEY] > settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return _("Your session has ended after a period of inactivity. Please log in again.")
    return None


class SessionTimeoutMiddleware:
    """Log out a session that was idle too long or is older than its absolute lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = now_seconds()
            if STARTED_KEY not in session or SEEN_KEY not in session:
                stamp_login(session)
            elif reason := expiry_reason(session, now):
                logout(request)
                messages.info(request, reason)
            elif now - session[SEEN_KEY] >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_KEY] = now
        return self.get_response(request)
