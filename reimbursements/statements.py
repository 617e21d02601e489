"""Every write of SPP IS's monthly statements: import, automatic and manual matching, "not ours".

The import is set-based: a constant number of queries per chunk of records (existing keys, budget
articles, open claim lines, bulk inserts and updates), never a query per record, so a statement
of 15,000 records costs about as many queries as one of 15.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cpas_portal.money import eur

from . import rules, sources, statement
from .models import BudgetArticle, Claim, ClaimLine, StatementImport, StatementRecord
from .services import PREPARING_ROLES, _move, _require_role

CHUNK = 500
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


@transaction.atomic
def statement_import(*, acting_user, cpas, file_name, content):
    """Import SPP IS's monthly statement (TXT or CSV) and match its records to the claim lines.

    Importing the same file again — or the same records in the other format — changes nothing:
    the earlier import is returned with ``created`` False.
    """
    _require_role(acting_user, cpas, PREPARING_ROLES)
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
    bulk_create_with_history([
        StatementRecord(
            statement=imported, cpas=cpas, row=record.row, record_key=key, legislation=record.legislation,
            nis_code=record.nis_code, year_month=record.year_month, dossier=record.dossier, suffix=record.suffix,
            niss=record.niss, form_reference=record.reference, category=record.category, name=record.name[:30],
            refusal_code=record.refusal_code, amount_type=record.amount_type, first_day=record.first_day,
            last_day=record.last_day, budget_article=record.budget_article, amount=record.amount,
            state_percentage=percentages[id(record)],
            state_share=rules.state_share(record.amount, percentages[id(record)]),
            line_id=outcomes[index][0], state=outcomes[index][1],
        )
        for index, (key, record) in enumerate(fresh)
    ], StatementRecord, batch_size=1000, default_user=acting_user)
    _reopen([lines[line_id] for line_id, state in outcomes.values() if state == rules.REJECTED_LINE], acting_user)
    _settle_claims({lines[line_id].claim_id for line_id, _state in outcomes.values() if line_id}, acting_user)
    return imported, True


def _open_lines(cpas, nisses):
    lines = []
    for chunk in _chunks(nisses):
        lines.extend(ClaimLine.objects.filter(cpas=cpas, live=True, claim__status__in=rules.RECONCILABLE_STATUSES,
                                              niss__in=chunk, payments__isnull=True).select_related("claim"))
    return lines


def _match(records, cpas):
    """The open lines read, and per record index its ``(line id or None, state)``."""
    lines = {line.pk: line for line in _open_lines(cpas, {record.niss for record in records})}
    outcomes, _unpaid = rules.reconcile(
        [rules.Payable(line.pk, line.niss, line.covered_start, line.covered_end, line.signed_amount,
                       line.form_reference) for line in lines.values()],
        [rules.Paid(index, record.niss, record.first_day, record.last_day, record.amount, record.reference,
                    record.refused) for index, record in enumerate(records)],
    )
    return lines, {index: (line_id, state) for index, line_id, state in outcomes}


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
