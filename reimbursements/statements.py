"""Every write of SPP IS's monthly statements: import, automatic and manual matching, "not ours".

The import is set-based: a constant number of queries per chunk of records (existing keys, budget
articles, open claim lines, bulk inserts and updates), never a query per record, so a statement
of 15,000 records costs about as many queries as one of 15.
"""

import logging
import threading
import time
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from cpas_portal.bulk_history import CREATED, insert_rows, record_history
from cpas_portal.money import eur

from . import job_queue, rules, sources, statement
from .models import BudgetArticle, Claim, ClaimLine, JobStatus, StatementImport, StatementJob, StatementRecord
from .services import PREPARING_ROLES, _move, _require_role, claim_language

logger = logging.getLogger(__name__)

CHUNK = 500
# Rows per INSERT of the records (and per step of the progress bar).
WRITE_BATCH = 2000
RECORD_FIELDS = (
    "statement_id", "cpas_id", "row", "record_key", "legislation", "nis_code", "year_month", "dossier", "suffix",
    "niss", "form_reference", "category", "name", "refusal_code", "amount_type", "first_day", "last_day",
    "budget_article", "amount", "state_percentage", "state_share", "manual", "note", "line_id", "state",
)
# StatementImport.total is a DecimalField(max_digits=12, decimal_places=2).
LARGEST_TOTAL = Decimal("9999999999.99")


def _chunks(values, size=CHUNK):
    values = list(values)
    return (values[index:index + size] for index in range(0, len(values), size))


def _keyed(parsed):
    """Each record with its key; a record repeated within the file keeps each occurrence (``:n``)."""
    seen = defaultdict(int)
    for record in parsed:
        base = record.key
        seen[base] += 1
        yield f"{base}:{seen[base]}", record


def _existing_keys(cpas, keys):
    found = set()
    for chunk in _chunks(keys):
        found.update(StatementRecord.objects.filter(cpas=cpas, record_key__in=chunk)
                     .values_list("record_key", flat=True))
    return found


def _percentages(records):
    """The State's percentage of each record's budget article on its first day of payment."""
    articles = {record.budget_article for record in records}
    rows = defaultdict(list)
    for article, start, percentage in BudgetArticle.objects.filter(article__in=articles).values_list(
            "article", "effective_date", "state_percentage"):
        rows[article].append((article, start, percentage))
    return {id(record): rules.article_percentage(rows[record.budget_article], record.budget_article,
                                                 on=record.first_day) for record in records}


def _no_progress(percent, step):
    pass


@transaction.atomic
def statement_import(*, acting_user, cpas, file_name, content, progress=_no_progress):
    """Import SPP IS's monthly statement (TXT or CSV) and match its records to the claim lines.

    Importing the same file again — or the same records in the other format — changes nothing:
    the earlier import is returned with ``created`` False. ``progress(percent, step)`` is told how
    far the import is (the import job shows it). Every step is linear in the number of records:
    one pass to parse, dictionary lookups to match, inserts of 2,000 rows and their history.
    """
    _require_role(acting_user, cpas, PREPARING_ROLES)
    progress(5, _("Reading the file"))
    digest = statement.checksum(content)
    existing = StatementImport.objects.filter(cpas=cpas, sha256=digest).first()
    if existing is not None:
        return existing, False
    parsed = statement.parse(content, file_name=file_name)
    other = next((record for record in parsed if record.nis_code != cpas.nis_code), None)
    if other is not None:
        raise ValidationError({"file": _("Line %(row)s: this statement is for another CPAS (NIS code %(code)s).") % {
            "row": other.row, "code": other.nis_code}})
    total = sum((record.amount for record in parsed), start=Decimal("0.00"))
    if abs(total) > LARGEST_TOTAL:
        raise ValidationError({"file": _("The statement's total (%(total)s €) is beyond what a statement can hold.")
                               % {"total": total}})
    progress(30, _("Matching the records to the claim lines"))
    keyed = list(_keyed(parsed))
    known = _existing_keys(cpas, [key for key, _record in keyed])
    fresh = [(key, record) for key, record in keyed if key not in known]
    if not fresh:
        earlier = StatementRecord.objects.filter(cpas=cpas, record_key=keyed[0][0]).select_related("statement").first()
        return earlier.statement, False
    months = sorted({record.year_month for _key, record in fresh})
    imported = StatementImport(
        cpas=cpas, file_name=file_name[:200], sha256=digest, year_month=months[0],
        record_count=len(fresh), total=eur(sum((record.amount for _key, record in fresh), start=Decimal("0"))),
        imported_by=acting_user, imported_at=timezone.now(),
    )
    imported._history_user = acting_user
    try:
        with transaction.atomic():
            imported.save()
    except IntegrityError:
        # The same file, imported at the same moment by someone else.
        return StatementImport.objects.get(cpas=cpas, sha256=digest), False
    percentages = _percentages([record for _key, record in fresh])
    # Matched before they are written: one insert of the records with their outcome, no update after.
    lines, outcomes = _match([record for _key, record in fresh], cpas)
    progress(50, _("Recording the records"))
    rows = [
        (imported.pk, cpas.pk, record.row, key, record.legislation, record.nis_code, record.year_month,
         record.dossier, record.suffix, record.niss, record.reference, record.category, record.name[:30],
         record.refusal_code, record.amount_type, record.first_day, record.last_day, record.budget_article,
         record.amount, percentages[id(record)], rules.state_share(record.amount, percentages[id(record)]),
         False, "", outcomes[index][0], outcomes[index][1])
        for index, (key, record) in enumerate(fresh)
    ]
    # Tuples, not model instances: 50,000 instances cost more than their inserts (every value is given).
    for start in range(0, len(rows), WRITE_BATCH):
        insert_rows(StatementRecord, RECORD_FIELDS, rows[start:start + WRITE_BATCH], batch_size=WRITE_BATCH)
        progress(50 + 40 * min(len(rows), start + WRITE_BATCH) // len(rows), _("Recording the records"))
    record_history(StatementRecord.objects.filter(statement=imported), history_type=CREATED, user=acting_user)
    rejected = [line_id for line_id, state in outcomes.values() if state == rules.REJECTED_LINE]
    _reopen(list(ClaimLine.objects.filter(pk__in=rejected).select_related("claim")) if rejected else [], acting_user)
    _settle_claims({lines[line_id] for line_id, _state in outcomes.values() if line_id}, acting_user)
    progress(95, _("Settling the claims"))
    return imported, True


OPEN_LINE_FIELDS = ("pk", "niss", "covered_start", "covered_end", "amount", "sign", "claim_id", "position")


def _open_lines(cpas, nisses):
    """The open lines of these people as plain values (no model instance per line)."""
    lines = []
    for chunk in _chunks(nisses, 5000):
        lines.extend(ClaimLine.objects.filter(cpas=cpas, live=True, claim__status__in=rules.RECONCILABLE_STATUSES,
                                              niss__in=chunk, payments__isnull=True).values_list(*OPEN_LINE_FIELDS))
    return lines


def _match(records, cpas):
    """Per record index its ``(line id or None, state)``, and the claims of the lines matched."""
    lines = _open_lines(cpas, {record.niss for record in records})
    outcomes, _unpaid = rules.reconcile(
        [rules.Payable(pk, niss, start, end, amount * sign, f"{claim_id:06d}{position:06d}"[-12:])
         for pk, niss, start, end, amount, sign, claim_id, position in lines],
        [rules.Paid(index, record.niss, record.first_day, record.last_day, record.amount, record.reference,
                    record.refused) for index, record in enumerate(records)],
    )
    claim_of = {pk: claim_id for pk, _niss, _start, _end, _amount, _sign, claim_id, _position in lines}
    return claim_of, {index: (line_id, state) for index, line_id, state in outcomes}


def _reopen(lines, acting_user):
    """Lines SPP IS refused no longer hold their items: a later claim may hold them again."""
    if not lines:
        return
    for line in lines:
        line.live = False
    bulk_update_with_history(lines, ClaimLine, ["live"], batch_size=1000, default_user=acting_user)
    by_measure = defaultdict(list)
    for line in lines:
        by_measure[line.claim.measure].append(line.source_key)
    for measure, keys in by_measure.items():
        sources.release(measure=measure, keys=keys, acting_user=acting_user)


def _settle_claims(claim_ids, acting_user):
    for claim in Claim.objects.select_for_update().filter(pk__in=list(claim_ids)):
        lines = claim.lines.filter(live=True)
        target = rules.status_after_reconciliation(
            lines_total=lines.count(),
            lines_paid=lines.filter(payments__state=rules.MATCHED).distinct().count(),
        )
        if target and target != claim.status and rules.can_move(claim.status, target):
            _move(claim, target, acting_user)


def _locked_record(record):
    return StatementRecord.objects.select_for_update().select_related("statement").get(pk=record.pk)


def _check_unmatched(record):
    if record.state != rules.UNMATCHED:
        raise ValidationError({"record": _("Only an unmatched record can be matched by hand or set aside.")})


@transaction.atomic
def statement_record_match(*, acting_user, record, line):
    """Pair an unmatched record with a claim line by hand (same CPAS, line sent and not yet paid)."""
    _require_role(acting_user, record.cpas, PREPARING_ROLES)
    record = _locked_record(record)
    _check_unmatched(record)
    if line is None or line.cpas_id != record.cpas_id:
        raise ValidationError({"line": _("Choose a claim line of your CPAS.")})
    line = ClaimLine.objects.select_for_update(of=("self",)).select_related("claim").get(pk=line.pk)
    if not line.live or line.claim.status not in rules.RECONCILABLE_STATUSES:
        raise ValidationError({"line": _("This line is not on a claim sent to SPP IS.")})
    if not line.niss:
        # A statement record always names a person; a line of the CPAS itself (the social-activation
        # advance or balance) is never one of them.
        raise ValidationError({"line": _("This line is not a person's: a statement record never pays it.")})
    if line.payments.exists():
        raise ValidationError({"line": _("A statement record already pays this line.")})
    refused = record.refusal_code not in statement.NO_REFUSAL
    record.line = line
    record.state = rules.outcome_of(
        rules.Paid(record.pk, record.niss, record.first_day, record.last_day, record.amount, refused=refused),
        rules.Payable(line.pk, line.niss, line.covered_start, line.covered_end, line.signed_amount))
    record.manual = True
    record._history_user = acting_user
    record.save(update_fields=["line", "state", "manual"])
    if record.state == rules.REJECTED_LINE:
        _reopen([line], acting_user)
    _settle_claims({line.claim_id}, acting_user)
    return record


@transaction.atomic
def statement_record_not_ours(*, acting_user, record, note=""):
    """Set an unmatched record aside: it pays nothing this CPAS claimed (kept, with who and why)."""
    _require_role(acting_user, record.cpas, PREPARING_ROLES)
    record = _locked_record(record)
    _check_unmatched(record)
    record.state, record.manual, record.note = rules.NOT_OURS, True, (note or "")[:250]
    record._history_user = acting_user
    record.save(update_fields=["state", "manual", "note"])
    return record


# Import jobs -------------------------------------------------------------------------------
# An uploaded statement is stored on a job row and imported by a Celery task (``import_statement``),
# as claims are generated: the request returns at once, the page follows the job's progress. The
# row, not the broker, says what is left to do (the watcher sends again a job the queue lost).

PROGRESS_SECONDS = 0.5


@transaction.atomic
def statement_import_request(*, acting_user, cpas, file_name, content):
    """Keep the uploaded statement and start its import in the background; the job."""
    _require_role(acting_user, cpas, PREPARING_ROLES)
    if not content.strip():
        raise ValidationError({"file": _("The file is empty.")})
    job = StatementJob(cpas=cpas, file_name=(file_name or "statement")[:200], content=content,
                       sha256=statement.checksum(content), requested_by=acting_user,
                       language=translation.get_language() or "")
    job.full_clean(validate_constraints=False)
    job.save()
    transaction.on_commit(lambda: statement_job_dispatch([job.pk]))
    return job


def statement_job_dispatch(job_ids):
    """Send import jobs to the queue (``job_queue.dispatch``: a queue that is down leaves them queued)."""
    from .tasks import import_statement

    return job_queue.dispatch(import_statement, StatementJob, job_ids, what="statement")


@transaction.atomic
def statement_job_retry(*, acting_user, job):
    """Send again a job waiting for the queue or stuck; start a failed job again."""
    _require_role(acting_user, job.cpas, PREPARING_ROLES)
    job = StatementJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        if job.queue_state not in (rules.JOB_WAITING, rules.JOB_STUCK):
            raise ValidationError({"status": _("This job is under way: wait for it to finish.")})
    elif job.status == JobStatus.FAILED:
        StatementJob.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED, percent=0, step="", errors={}, attempts=0, started_at=None, finished_at=None,
            dispatched_at=None, heartbeat_at=None)
    else:
        raise ValidationError({"status": _("Only a failed, waiting or stuck job can be started again.")})
    transaction.on_commit(lambda: statement_job_dispatch([job.pk]))
    return job


_stale_after = job_queue.stale_after


def _statement_job_claim(job_id):
    """Take the job under its row lock; the attempt number, or None when another delivery has it or it ended."""
    now = timezone.now()
    with transaction.atomic():
        job = StatementJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not rules.job_claimable(status=job.status, heartbeat_at=job.heartbeat_at, now=now,
                                                  stale_after=_stale_after()):
            return None
        if job.attempts >= settings.CLAIM_JOB_MAX_ATTEMPTS:
            _fail_lost(job, now)
            return None
        attempt = job.attempts + 1
        StatementJob.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, percent=max(job.percent, 1), heartbeat_at=now, step=_("Reading the file"),
            started_at=job.started_at or now, attempts=attempt)
        return attempt


def _fail_lost(job, now):
    logger.error("Statement import job %s: its worker stopped %s times; not started again", job.pk, job.attempts)
    StatementJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, step=_("Failed"), finished_at=now, errors={
        "file": [_("The worker stopped %(count)s times during this import; it was not started again.") % {
            "count": job.attempts}]})


class _Progress:
    """What the import reports, written to the job row from a thread of its own (its own database
    connection, outside the import's transaction, so the page sees it move), with the heartbeat."""

    def __init__(self, job_id, attempt, *, threaded):
        self.job_id, self.attempt, self.threaded = job_id, attempt, threaded
        self.state, self.written = {"percent": 1, "step": ""}, None
        self.stop = threading.Event()

    def __call__(self, percent, step):
        self.state = {"percent": percent, "step": str(step)[:120]}
        if not self.threaded:
            self._write(beat=False)

    def _write(self, *, beat):
        fields = dict(self.state) if self.state != self.written else {}
        if beat:
            fields["heartbeat_at"] = timezone.now()
        if fields:
            StatementJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, attempts=self.attempt).update(
                **fields)
            self.written = dict(self.state)

    def _run(self):
        last_beat = time.monotonic()
        try:
            while not self.stop.wait(PROGRESS_SECONDS):
                beat = time.monotonic() - last_beat >= settings.CLAIM_JOB_HEARTBEAT_SECONDS
                try:
                    self._write(beat=beat)
                except DatabaseError:
                    logger.warning("Statement job %s: progress not written", self.job_id, exc_info=True)
                    continue
                if beat:
                    last_beat = time.monotonic()
        finally:
            connection.close()

    def __enter__(self):
        if self.threaded:
            self.thread = threading.Thread(target=self._run, name=f"statement-job-{self.job_id}", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.threaded:
            self.stop.set()
            self.thread.join(timeout=30)


def _errors_of(error):
    """A ValidationError as field errors (``{"file": [...]}``), as the upload form would show them."""
    if hasattr(error, "error_dict"):
        return {field: [str(message) for message in messages] for field, messages in error.message_dict.items()}
    return {"file": [str(message) for message in error.messages]}


def run_statement_job(job_id, *, threaded=False):
    """The body of the import task. Safe to run again: a job done, failed or running with a live heartbeat
    is left as it is, and the import itself is idempotent (the same file imports once, by its checksum).
    ``threaded``: write progress and heartbeat from a thread (in a worker; not when run in-process)."""
    attempt = _statement_job_claim(job_id)
    if attempt is None:
        return StatementJob.objects.filter(pk=job_id).first()
    job = StatementJob.objects.select_related("cpas", "requested_by").get(pk=job_id)
    outcome = {}
    try:
        # Messages are stored as text, in the language of the upload's request (else the CPAS's).
        with _Progress(job_id, attempt, threaded=threaded) as progress, \
                translation.override(job.language or claim_language(job.cpas)):
            imported, created = statement_import(acting_user=job.requested_by, cpas=job.cpas,
                                                 file_name=job.file_name, content=bytes(job.content),
                                                 progress=progress)
            step = (_("Statement imported: %(count)s records.") % {"count": imported.record_count} if created
                    else _("This statement was already imported: nothing changed."))
        # Done: the file is in the statement's records now, the row need not keep it.
        outcome = {"status": JobStatus.DONE, "percent": 100, "step": step, "statement": imported,
                   "created_statement": created, "content": b""}
    except (ValidationError, PermissionDenied) as error:
        errors = _errors_of(error) if isinstance(error, ValidationError) else {"file": [str(error)]}
        outcome = {"status": JobStatus.FAILED, "step": _("The file was refused"), "errors": errors}
    except Exception as error:
        logger.exception("Statement import job %s failed", job_id)
        outcome = {"status": JobStatus.FAILED, "step": _("Failed"), "errors": {"file": [str(error)[:2000]]}}
    StatementJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), **outcome)
    return StatementJob.objects.get(pk=job_id)


def statement_jobs_watch(*, now=None):
    """Send again the import jobs the queue never took or lost and those whose worker died; counts."""
    from .tasks import import_statement

    now = now or timezone.now()
    resend, failed = job_queue.jobs_to_send_again(
        StatementJob, now=now, backlog=job_queue.queue_backlog(import_statement), fail_lost=_fail_lost)
    sent = statement_job_dispatch(resend) if resend else 0
    if resend or failed:
        logger.info("Statement jobs watch: %s sent again (%s taken by the queue), %s failed", len(resend), sent, failed)
    return {"resent": len(resend), "dispatched": sent, "failed": failed}
