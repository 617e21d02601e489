"""Tasks of the shared kernel."""

from celery import shared_task

from .models import Cpas


@shared_task
def database_health():
    """A worker's view of the database: the number of CPAS it sees (used to check a deployment)."""
    return Cpas.objects.count()
