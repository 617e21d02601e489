"""Reads of the authentication records that depend on the user's CPAS."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import timezone


def locked_accounts(*, cpas):
    """The usernames of ``cpas``'s staff locked out now, with their failures and last attempt."""
    usernames = get_user_model().objects.filter(membership__cpas=cpas).values("username")
    return (
        AccessAttempt.objects.filter(username__in=usernames,
                                     attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("username")
    )
