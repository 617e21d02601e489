"""Tasks of the shared kernel."""

from celery import shared_task

from .models import Cpas


@shared_task
def database_health():
    """A worker's view of the database: the number of CPAS it sees (used to check a deployment)."""
    return Cpas.objects.count()


@shared_task
def notify_due_items():
    """Daily (``CELERY_BEAT_SCHEDULE``): record each user's due items as notifications, then the optional digest.

    Running it twice the same day adds nothing (one notification per user, item and due date).
    """
    from django.conf import settings
    from django.utils import timezone

    from .notifications import notifications_record_all, notifications_send_digest

    added = notifications_record_all(on=timezone.localdate())
    sent = notifications_send_digest(base_url=settings.CPAS_BASE_URL)
    return {"added": added, "digests": sent}
