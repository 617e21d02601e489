"""What the background jobs of claims and statements share: sending them to the queue, and the
watcher's choice of the jobs to send again.

A queue that is down is no error: the jobs stay queued (their page says they wait for the queue)
and Celery beat's watcher sends them once it is back. A job whose worker died (no heartbeat) is sent
again, and given up after ``CLAIM_JOB_MAX_ATTEMPTS`` attempts.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import JobStatus

logger = logging.getLogger(__name__)


def broker_errors():
    """The errors a queue that is down raises (kombu's, the socket's, Redis's)."""
    from kombu.exceptions import OperationalError

    errors = (OperationalError, OSError)
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - the embedded default has no Redis client
        return errors
    return (*errors, RedisError)


def stale_after():
    """How long a running job may go without a heartbeat before its worker counts as dead."""
    return timedelta(seconds=settings.CLAIM_JOB_STALE_SECONDS)


def dispatch(task, model, job_ids, *, what):
    """Send the jobs ``job_ids`` of ``model`` to ``task`` and note when; the number sent."""
    sent = []
    try:
        with task.app.producer_or_acquire() as producer:
            for pk in job_ids:
                task.apply_async(args=[pk], producer=producer, retry=False)
                sent.append(pk)
    except broker_errors() as error:
        logger.warning("The queue is unavailable: %s of %s %s job(s) left waiting for it (%s)",
                       len(job_ids) - len(sent), len(job_ids), what, error)
    if sent:
        model.objects.filter(pk__in=sent).update(dispatched_at=timezone.now())
    return len(sent)


def queue_backlog(task):
    """The messages waiting in the job queue, or None when the broker cannot say."""
    app = task.app
    if app.conf.task_always_eager:
        return 0
    try:
        with app.connection_for_read() as broker:
            return broker.default_channel.queue_declare(queue=app.conf.task_default_queue).message_count
    except broker_errors():
        return None


def jobs_to_send_again(model, *, now, backlog, fail_lost):
    """The watcher's choice among ``model``'s jobs: ``(ids to send again, number given up)``.

    Sent again: a job never sent (past a heartbeat's grace); a job sent long ago and not started while
    the queue is empty (Redis lost its message, or a killed worker holds it unacknowledged — while the
    queue still holds messages it waits its turn); a running job whose worker died, once per stale
    period. A lost job past its attempts is given up: ``fail_lost(job, now)`` under its row lock.
    """
    grace = timedelta(seconds=settings.CLAIM_JOB_HEARTBEAT_SECONDS)
    unpicked = now - timedelta(seconds=settings.CLAIM_JOB_UNPICKED_SECONDS)
    never_sent = Q(dispatched_at__isnull=True, created_at__lt=now - grace)
    queued = model.objects.filter(status=JobStatus.QUEUED).filter(
        never_sent | Q(dispatched_at__lt=unpicked) if backlog in (0, None) else never_sent)
    lost = model.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - stale_after())).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - stale_after()))
    resend, failed = list(queued.values_list("pk", flat=True)), 0
    for job in lost.order_by("pk"):
        if job.attempts >= settings.CLAIM_JOB_MAX_ATTEMPTS:
            with transaction.atomic():
                job = model.objects.select_for_update().get(pk=job.pk)
                if job.status == JobStatus.RUNNING:
                    fail_lost(job, now)
                    failed += 1
        else:
            resend.append(job.pk)
    return sorted(resend), failed

