from datetime import date

from celery import shared_task
from django.utils import timezone

from cpas_portal.models import Cpas

from . import services


@shared_task(ignore_result=True)
def plan_evaluations(on=None):
    """Daily: plan the missing evaluation meetings of every CPAS (idempotent). ``on``: ISO date, default today."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    return sum(services.evaluations_plan(cpas=cpas, on=day) for cpas in Cpas.objects.order_by("pk"))
