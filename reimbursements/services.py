"""Every write of reimbursement claims: generation, sign-off, sending, corrections, statements, batches."""

import logging
import threading
from contextlib import contextmanager, nullcontext
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cpas_portal.bulk_copy import copy_rows
from cpas_portal.bulk_history import CHANGED, CREATED, record_history
from cpas_portal.models import Cpas, Role
from cpas_portal.money import eur

from . import job_queue, parameters, rules, sources
from .models import (
    Claim,
    ClaimBatch,
    ClaimLine,
    ClaimSeries,
    ClaimSignature,
    GenerationJob,
    JobStatus,
    Measure,
)

logger = logging.getLogger(__name__)

# Finance prepares and sends; only the CPAS's management signs (secretary/director, president).
PREPARING_ROLES = {Role.FINANCE, Role.MANAGER}
SIGNING_ROLES = {Role.MANAGER}


def _role_of(user, cpas):
    membership = getattr(user, "membership", None)
    if membership is None or membership.cpas_id != cpas.pk:
        return None
    return membership.role


def _require_role(user, cpas, roles):
    if _role_of(user, cpas) not in roles:
        raise PermissionDenied(_("Your role may not do this."))


def _move(claim, target, acting_user, **changes):
    if not rules.can_move(claim.status, target):
        raise ValidationError({"status": _("A claim in status “%(current)s” cannot become “%(target)s”.") % {
            "current": claim.get_status_display(), "target": target}})
    claim.status = target
    for name, value in changes.items():
        setattr(claim, name, value)
    claim.full_clean()
    claim._history_user = acting_user
    claim.save()
    return claim


def _locked(claim):
    return Claim.objects.select_for_update(of=("self",)).select_related("cpas").get(pk=claim.pk)


# Generation --------------------------------------------------------------------------------

def _period(period_kind, year, number):
    try:
        return rules.period_bounds(period_kind, int(year), int(number))
    except (TypeError, ValueError):
        raise ValidationError({"number": _("Choose a month from 1 to 12 or a quarter from 1 to 4.")}) from None


def _start_job(job):
    """Save a new job, or hand back the one already under way for the same claim."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            running = GenerationJob.objects.filter(
                cpas=job.cpas, measure=job.measure, period_start=job.period_start, period_end=job.period_end,
                status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            ).first()
            if running is not None:
                return running
            # The job in the way ended in between: this one may start.
            continue
        transaction.on_commit(lambda pk=job.pk: job_dispatch([pk]))
        return job
    raise ValidationError({"measure": _("A claim of this measure and period is being prepared: try again.")})


_broker_errors = job_queue.broker_errors


def job_dispatch(job_ids):
    """Send claim jobs to the queue (``job_queue.dispatch``: a queue that is down leaves them queued)."""
    from .tasks import generate_claim

    return job_queue.dispatch(generate_claim, GenerationJob, job_ids, what="claim")


def _render_dispatch(claim_id):
    from .tasks import render_pdf

    try:
        render_pdf.apply_async(args=[claim_id], retry=False)
    except _broker_errors() as error:
        # The signature is saved; the watcher renders the PDF again once the queue is back.
        logger.warning("The queue is unavailable: the PDF of claim %s will be rendered later (%s)", claim_id, error)


@transaction.atomic
def claim_generation_request(*, acting_user, cpas, measure, period_kind, year, number, today=None):
    """Ask for the claim of ``measure`` for a month or a quarter; the work runs in the background."""
    _require_role(acting_user, cpas, PREPARING_ROLES)
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Choose a measure.")})
    start, end = _period(period_kind, year, number)
    if start > (today or timezone.localdate()):
        raise ValidationError({"number": _("This period has not started yet.")})
    job = GenerationJob(cpas=cpas, measure=measure, period_kind=period_kind, period_start=start, period_end=end,
                        requested_by=acting_user, language=_request_language())
    job.full_clean(validate_constraints=False)
    return _start_job(job)


@transaction.atomic
def claim_correction_request(*, acting_user, claim):
    """Ask for a corrected version of a sent claim; it will supersede the claim and carry the differences."""
    _require_role(acting_user, claim.cpas, PREPARING_ROLES)
    claim = _locked(claim)
    if claim.status not in rules.CORRECTABLE_STATUSES:
        raise ValidationError({"status": _(
            "Only a sent claim is corrected by a new version; cancel a draft and ask for it again instead.")})
    job = GenerationJob(cpas=claim.cpas, measure=claim.measure, period_kind=claim.period_kind,
                        period_start=claim.period_start, period_end=claim.period_end, corrects=claim,
                        requested_by=acting_user, language=_request_language())
    return _start_job(job)


@transaction.atomic
def job_retry(*, acting_user, job):
    """Start a failed job again (as a new job), or send again a job waiting for the queue or stuck."""
    _require_role(acting_user, job.cpas, PREPARING_ROLES)
    job = GenerationJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        if job.queue_state not in (rules.JOB_WAITING, rules.JOB_STUCK):
            raise ValidationError({"status": _("This job is under way: wait for it to finish.")})
        transaction.on_commit(lambda: job_dispatch([job.pk]))
        return job
    if job.status != JobStatus.FAILED:
        raise ValidationError({"status": _("Only a failed, waiting or stuck job can be started again.")})
    retry = GenerationJob(cpas=job.cpas, measure=job.measure, period_kind=job.period_kind,
                          period_start=job.period_start, period_end=job.period_end, corrects=job.corrects,
                          batch=job.batch, requested_by=acting_user, language=_request_language())
    return _start_job(retry)


def _progress(job_id, **fields):
    GenerationJob.objects.filter(pk=job_id).update(**fields)


_stale_after = job_queue.stale_after


def _job_claim(job_id):
    """Take the job for this worker under its row lock; the attempt number, or None when the job is
    done, failed, or running with a live heartbeat elsewhere (a second delivery changes nothing)."""
    now = timezone.now()
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not rules.job_claimable(status=job.status, heartbeat_at=job.heartbeat_at, now=now,
                                                  stale_after=_stale_after()):
            return None
        if job.attempts >= settings.CLAIM_JOB_MAX_ATTEMPTS:
            _fail_lost_job(job, now)
            return None
        attempt = job.attempts + 1
        with translation.override(job_language(job)):
            step = _("Gathering the items and writing the claim lines")
        _progress(job.pk, status=JobStatus.RUNNING, percent=max(job.percent, 10), heartbeat_at=now,
                  step=step, started_at=job.started_at or now, attempts=attempt)
        return attempt


def _fail_lost_job(job, now):
    logger.error("Claim generation job %s: its worker stopped %s times; not started again", job.pk, job.attempts)
    with translation.override(job_language(job)):
        _progress(job.pk, status=JobStatus.FAILED, step=_("Failed"), finished_at=now, error=_(
            "The worker stopped %(count)s times during this job; it was not started again.") % {"count": job.attempts})


@contextmanager
def _heartbeat(job_id, attempt):
    """Write the job's heartbeat from a thread while the task works (PDF rendering holds the task for
    seconds): a worker killed mid-way stops it, which is how the watcher knows the job was lost."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.CLAIM_JOB_HEARTBEAT_SECONDS):
                try:
                    GenerationJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt).update(
                        heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Claim job %s: heartbeat not written", job_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"claim-job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def run_generation_job(job_id, *, heartbeat=False):
    """The body of the generation task. Safe to run again: a finished job, or one running with a live
    heartbeat, is left as it is; a claim is made once (its job row says which) in one transaction (all
    its lines or nothing), and its PDF is one document per claim, so a re-dispatch finishes the job once.
    ``heartbeat``: write signs of life while working (in a worker; not when run in-process)."""
    attempt = _job_claim(job_id)
    if attempt is None:
        return GenerationJob.objects.filter(pk=job_id).first()  # None: a message outlived its job
    with _heartbeat(job_id, attempt) if heartbeat else nullcontext():
        job = GenerationJob.objects.select_related("cpas", "claim").get(pk=job_id)
        try:
            # The claim is written in the CPAS's language (_make_claim); the job's messages in the asker's.
            claim = job.claim
            if claim is None:
                claim, note = _make_claim(job)
            else:
                note = ""
            if claim is None:
                # Nothing to claim is an outcome of its own, with its reason, not a "done" without a claim.
                _progress(job.pk, status=JobStatus.EMPTY, percent=100, step=note, finished_at=timezone.now())
                return GenerationJob.objects.get(pk=job_id)
            with translation.override(job_language(job)):
                step = _("Rendering the PDF form")
            _progress(job.pk, percent=60, step=step)
            claim_pdf_render(claim=claim)
            with translation.override(job_language(job)):
                note = _("Claim %(reference)s: %(count)s lines.") % {"reference": claim.reference,
                                                                    "count": claim.line_count}
            _progress(job.pk, status=JobStatus.DONE, percent=100, step=note, finished_at=timezone.now())
        except Exception as error:
            logger.exception("Claim generation job %s failed", job.pk)
            with translation.override(job_language(job)):
                step = _("Failed")
            _progress(job.pk, status=JobStatus.FAILED, step=step, error=str(error)[:2000],
                      finished_at=timezone.now())
    return GenerationJob.objects.get(pk=job_id)


def _queue_backlog():
    """The messages waiting in the job queue, or None when the broker cannot say."""
    from .tasks import generate_claim

    return job_queue.queue_backlog(generate_claim)


# Signatures older than this are not looked at again: their PDF was rendered, or the watcher said
# why not in the log every half-minute for a week.
RENDER_WATCH_WINDOW = timedelta(days=7)


def jobs_watch(*, now=None):
    """What Celery beat runs: send again the jobs the queue never took (or lost), the running jobs
    whose worker died, and the PDF renderings a signature asked for that never came. Returns counts."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.CLAIM_JOB_HEARTBEAT_SECONDS)
    resend, failed = job_queue.jobs_to_send_again(GenerationJob, now=now, backlog=_queue_backlog(),
                                                   fail_lost=_fail_lost_job)
    sent = job_dispatch(resend) if resend else 0
    renders = list(Claim.objects.filter(signatures__signed_at__gte=now - RENDER_WATCH_WINDOW).annotate(
        last_signed=Max("signatures__signed_at")).filter(last_signed__lt=now - grace).filter(
        Q(document__isnull=True) | Q(document__rendered_at__lt=F("last_signed"))).values_list("pk", flat=True))
    for claim_id in renders:
        _render_dispatch(claim_id)
    if resend or failed or renders:
        logger.info("Claim jobs watch: %s sent again (%s taken by the queue), %s failed, %s PDF(s) rendered again",
                    len(resend), sent, failed, len(renders))
    return {"resent": len(resend), "dispatched": sent, "failed": failed, "renders": len(renders)}


def claim_language(cpas):
    """The language of the CPAS's forms: the texts copied onto the lines are in it too."""
    return cpas.language if cpas.language in ("fr", "nl", "de") else "fr"


def _request_language():
    """The language of the request asking for a job (stored on the job for its messages)."""
    return translation.get_language() or ""


def job_language(job):
    """The language of a generation job's messages: the asker's, else (jobs asked before it was stored) the
    CPAS's."""
    return job.language or claim_language(job.cpas)


def _make_claim(job):
    """Gather and write the claim of ``job`` under the measure's lock; ``(claim or None, note)``."""
    with transaction.atomic(), translation.override(claim_language(job.cpas)):
        series, _created = ClaimSeries.objects.get_or_create(cpas=job.cpas, measure=job.measure)
        ClaimSeries.objects.select_for_update().get(pk=series.pk)
        # Read under the measure's lock, which every claim-making of this CPAS and measure holds: an
        # earlier attempt of this job that made its claim is seen here. The job row itself stays
        # unlocked so the heartbeat can still be written while the lines are.
        job = GenerationJob.objects.select_related("cpas", "claim").get(pk=job.pk)
        if job.claim_id:
            return job.claim, ""
        items = sources.gather(measure=job.measure, cpas=job.cpas, start=job.period_start, end=job.period_end)
        claim = _write_correction(job, items) if job.corrects_id else _write_claim(job, items)
        with translation.override(job_language(job)):
            if claim is not None:
                note = ""
            elif job.corrects_id:
                note = _("Nothing changed since the claim was sent: no correction was made.")
            else:
                note = (_("Every item of this period is already claimed: no new claim.") if items
                        else _("Nothing to claim: this measure has no reimbursable item in this period."))
        if claim is not None:
            GenerationJob.objects.filter(pk=job.pk).update(claim=claim, percent=55)
        return claim, note


def _claimed_keys(cpas, start, end, exclude_claim=None):
    """Keys held by live lines covering the period, or on a live claim of the period (a regularisation of
    an earlier month claimed on it)."""
    lines = ClaimLine.objects.filter(cpas=cpas, live=True).filter(
        Q(covered_start__lte=end, covered_end__gte=start)
        | Q(claim__period_start__lte=end, claim__period_end__gte=start))
    if exclude_claim is not None:
        lines = lines.exclude(claim=exclude_claim)
    return set(lines.values_list("source_key", flat=True))


def _legal_basis(measure, on):
    return parameters.LEGAL_BASIS[measure].at(on)


def _new_claim(job, **fields):
    claim = Claim(
        cpas=job.cpas, measure=job.measure, period_kind=job.period_kind, period_start=job.period_start,
        period_end=job.period_end, legal_basis=_legal_basis(job.measure, job.period_end),
        generated_at=timezone.now(), generated_by=job.requested_by, **fields,
    )
    claim._history_user = job.requested_by
    claim.full_clean(validate_constraints=False)
    claim.save()
    return claim


# The columns of a claim line, in the order of the rows :func:`_line` gives.
LINE_FIELDS = ("claim", "cpas", "position", "source_key", "niss", "beneficiary_name", "covered_start",
               "covered_end", "amount", "sign", "legal_basis", "legislation", "description", "tier_code", "partner",
               "unconfirmed", "unconfirmed_rows", "previous_amount", "change", "live")


def _line(claim, position, item, *, previous_amount=None, change="", live=True):
    """The row of a claim line (values in the order of ``LINE_FIELDS``): a plain tuple, as thousands are
    written at once; the database's constraints check them (sign, amount not negative, claimed once)."""
    return (
        claim.pk, claim.cpas_id, position, item.source_key, item.niss, item.beneficiary_name[:170],
        item.covered_start, item.covered_end, abs(item.amount), -1 if item.amount < 0 else 1,
        item.legal_basis[:250], item.legislation, item.description[:500], item.tier_code, item.partner[:150],
        bool(item.unconfirmed_rows), item.unconfirmed_rows[:120], previous_amount, change, live,
    )


_AMOUNT, _SIGN = LINE_FIELDS.index("amount"), LINE_FIELDS.index("sign")


def _save_lines(claim, rows, acting_user):
    # The lines in one COPY (PostgreSQL), then their history in one INSERT … SELECT from the rows just
    # written: a model instance and a historical instance built per line were most of the time of a
    # 5,000-line claim.
    copy_rows(ClaimLine, [f"{name}_id" if name in ("claim", "cpas") else name for name in LINE_FIELDS], rows)
    record_history(ClaimLine.objects.filter(claim=claim), history_type=CREATED, user=acting_user)
    claim.line_count = len(rows)
    claim.total = eur(sum((row[_AMOUNT] * row[_SIGN] for row in rows), start=eur(0)))
    claim._history_user = acting_user
    claim.save(update_fields=["line_count", "total"])


def _write_claim(job, items):
    claimed = _claimed_keys(job.cpas, job.period_start, job.period_end)
    fresh = [item for item in items if item.source_key not in claimed]
    if not fresh:
        return None
    sequence = 1 + max(Claim.objects.filter(
        cpas=job.cpas, measure=job.measure, period_start=job.period_start, period_end=job.period_end,
    ).values_list("sequence", flat=True), default=0)
    claim = _new_claim(job, sequence=sequence)
    _save_lines(claim, [_line(claim, index, item) for index, item in enumerate(fresh, start=1)], job.requested_by)
    sources.freeze(measure=job.measure, keys=[item.source_key for item in fresh], reference=claim.reference,
                   acting_user=job.requested_by)
    return claim


def _write_correction(job, items):
    previous = _locked(job.corrects)
    if previous.status not in rules.CORRECTABLE_STATUSES:
        raise ValidationError(_("This claim was already corrected or may not be corrected."))
    old_lines = {line.source_key: line for line in previous.lines.filter(live=True)}
    claimed_elsewhere = _claimed_keys(job.cpas, job.period_start, job.period_end, exclude_claim=previous)
    current = {item.source_key: item for item in items if item.source_key not in claimed_elsewhere}
    corrected = rules.correction_lines(
        {key: line.signed_amount for key, line in old_lines.items()},
        {key: item.amount for key, item in current.items()},
    )
    if all(line.change == rules.UNCHANGED for line in corrected):
        return None
    _withdraw_lines(previous.lines.filter(live=True), job.requested_by)
    _move(previous, rules.SUPERSEDED, job.requested_by)
    claim = _new_claim(job, sequence=previous.sequence, version=previous.version + 1, supersedes=previous)
    lines, new_keys = [], []
    for position, change in enumerate(corrected, start=1):
        if change.change == rules.WITHDRAWN:
            old = old_lines[change.source_key]
            item = sources.ClaimItem(
                source_key=old.source_key, niss=old.niss, beneficiary_name=old.beneficiary_name,
                covered_start=old.covered_start, covered_end=old.covered_end, amount=change.signed_amount,
                legal_basis=old.legal_basis, legislation=old.legislation, description=old.description,
                tier_code=old.tier_code, partner=old.partner, unconfirmed_rows=old.unconfirmed_rows,
            )
            live = False
        else:
            item, live = current[change.source_key], True
        lines.append(_line(claim, position, item, previous_amount=change.previous_amount, change=change.change,
                           live=live))
        if change.change == rules.NEW:
            new_keys.append(change.source_key)
    _save_lines(claim, lines, job.requested_by)
    sources.freeze(measure=job.measure, keys=new_keys, reference=claim.reference, acting_user=job.requested_by)
    claim.difference_total = eur(claim.total - previous.total)
    claim.save(update_fields=["difference_total"])
    return claim


# PDF ---------------------------------------------------------------------------------------

def claim_pdf_render(*, claim):
    """Render the claim's PDF form and store it with its checksum (same data, same bytes)."""
    from .models import ClaimDocument
    from .pdf import render_claim_pdf

    claim = Claim.objects.select_related("cpas", "supersedes").get(pk=claim.pk)
    rendered = render_claim_pdf(claim)
    with transaction.atomic():
        ClaimDocument.objects.update_or_create(claim=claim, defaults={
            "content": rendered.content, "sha256": rendered.sha256, "language": rendered.language,
            "page_count": rendered.page_count, "rendered_at": timezone.now(),
        })
    return rendered


# Sign-off and sending ----------------------------------------------------------------------

@transaction.atomic
def claim_review(*, acting_user, claim):
    """Finance has checked the lines: the claim may now be signed."""
    _require_role(acting_user, claim.cpas, PREPARING_ROLES)
    claim = _locked(claim)
    return _move(claim, rules.REVIEWED, acting_user, reviewed_at=timezone.now())


@transaction.atomic
def claim_cancel(*, acting_user, claim):
    """Drop a claim not yet signed; its items become claimable again."""
    return _end_and_release(claim, rules.CANCELLED, acting_user)


def _withdraw_lines(lines, acting_user):
    """The claim no longer holds these lines (``live`` false): one UPDATE and their history in one INSERT …
    SELECT, with who and when. The caller holds the claim's lock. Returns the lines' source keys."""
    pks, keys = [], []
    for pk, key in lines.values_list("pk", "source_key"):
        pks.append(pk)
        keys.append(key)
    ClaimLine.objects.filter(pk__in=pks).update(live=False)
    record_history(ClaimLine.objects.filter(pk__in=pks), history_type=CHANGED, user=acting_user)
    return keys


def _release_items(claim, acting_user):
    keys = _withdraw_lines(claim.lines.filter(live=True), acting_user)
    sources.release(measure=claim.measure, keys=keys, acting_user=acting_user)


@transaction.atomic
def claim_sign(*, acting_user, claim, capacity, place=None):
    """Sign a reviewed claim as secretary/director or as president; both signatures make it signed.

    ``place`` is where the signer signs: the municipality of the signer's CPAS unless given. The PDF is
    rendered again after each signature: it shows the signatures, and a DRAFT mark until both are given.
    """
    _require_role(acting_user, claim.cpas, SIGNING_ROLES)
    claim = _locked(claim)
    if capacity not in rules.SIGNER_CAPACITIES:
        raise ValidationError({"capacity": _("Sign as secretary/director or as president.")})
    if claim.status != rules.REVIEWED:
        raise ValidationError({"status": _("Only a reviewed claim can be signed.")})
    _check_confirmed(claim)
    signatures = list(claim.signatures.all())
    if any(signature.signer_id == acting_user.pk for signature in signatures):
        raise ValidationError({"capacity": _("You have already signed this claim: the second signature must be "
                                             "someone else's.")})
    if any(signature.capacity == capacity for signature in signatures):
        raise ValidationError({"capacity": _("This claim is already signed in that capacity.")})
    place = (place or "").strip() or acting_user.membership.cpas.municipality
    signature = ClaimSignature(claim=claim, capacity=capacity, signer=acting_user,
                               signer_name=acting_user.get_full_name() or acting_user.get_username(),
                               signed_at=timezone.now(), place=place)
    signature.full_clean(validate_constraints=False)
    signature._history_user = acting_user
    signature.save()
    if len(signatures) + 1 == len(rules.SIGNER_CAPACITIES):
        _move(claim, rules.SIGNED, acting_user)
    transaction.on_commit(lambda: _render_dispatch(claim.pk))
    return signature


def _check_confirmed(claim):
    """A line computed past an amount table's confirmed date blocks the signature until an administrator
    confirms the table (checked now, against today's confirmation, not the one of the claim's making)."""
    pending = sources.still_unconfirmed(measure=claim.measure, lines=list(claim.lines.filter(live=True)))
    if pending:
        lines = ", ".join(f"{line.position} ({line.covered_start:%m/%Y})" for line, _rows in pending[:10])
        raise ValidationError({"status": _(
            "%(count)s line(s) were computed with an amount table not confirmed for their month (lines %(lines)s): "
            "the claim cannot be signed until an administrator confirms the table in the admin "
            "(“Amount table confirmations”). If the table has changed since, make a correction.") % {
            "count": len(pending), "lines": lines}})


@transaction.atomic
def claim_send(*, acting_user, claim):
    """Mark the claim as sent to SPP IS; from now on it is never edited, only superseded."""
    _require_role(acting_user, claim.cpas, PREPARING_ROLES)
    claim = _locked(claim)
    capacities = set(claim.signatures.values_list("capacity", flat=True))
    if capacities != set(rules.SIGNER_CAPACITIES):
        raise ValidationError({"status": _("A claim is sent only once the secretary/director and the president "
                                           "have both signed it.")})
    return _move(claim, rules.SENT, acting_user, sent_at=timezone.now())


@transaction.atomic
def claim_reject(*, acting_user, claim):
    """SPP IS rejected the claim: its items become claimable again."""
    return _end_and_release(claim, rules.REJECTED, acting_user)


def _end_and_release(claim, status, acting_user):
    _require_role(acting_user, claim.cpas, PREPARING_ROLES)
    claim = _locked(claim)
    _move(claim, status, acting_user)
    _release_items(claim, acting_user)
    return claim


# Payment statements ------------------------------------------------------------------------

def statement_import(**arguments):
    """See :func:`reimbursements.statements.statement_import` (the statements' own service module)."""
    from .statements import statement_import as import_statement

    return import_statement(**arguments)


# Batches -----------------------------------------------------------------------------------

@transaction.atomic
def claim_batch_start(*, acting_user, measure, period_kind, year, number, cpas_list=None):
    """Claims of one measure and period for every CPAS (or those given), one job each, sent to the queue."""
    if not acting_user.is_superuser:
        raise PermissionDenied(_("Only an administrator starts claims for every CPAS."))
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Choose a measure.")})
    start, end = _period(period_kind, year, number)
    batch = ClaimBatch(measure=measure, period_kind=period_kind, period_start=start, period_end=end,
                       requested_by=acting_user)
    batch._history_user = acting_user
    batch.save()
    jobs = []
    for cpas in (cpas_list if cpas_list is not None else Cpas.objects.order_by("nis_code")):
        job = GenerationJob(cpas=cpas, measure=measure, period_kind=period_kind, period_start=start,
                            period_end=end, batch=batch, requested_by=acting_user, language=_request_language())
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            continue
        jobs.append(job.pk)
    if jobs:
        transaction.on_commit(lambda: job_dispatch(jobs))
    return batch

