"""Pure rules of claims to SPP IS: status pipeline, periods, deadlines, corrections, reconciliation.

No ORM, no ``today()``: plain values in, plain values out (CONVENTIONS.md).
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cpas_portal.money import eur
from cpas_portal.months import add_months

from . import parameters

DRAFT, REVIEWED, SIGNED, SENT = "draft", "reviewed", "signed", "sent"
PAID, PARTLY_PAID, REJECTED = "paid", "partly_paid", "rejected"
SUPERSEDED, CANCELLED = "superseded", "cancelled"

# The one place that says which status may follow which (DOMAIN.md §10: a sent form is never
# edited; a correction is a new complete version that supersedes it).
ALLOWED_TRANSITIONS = {
    DRAFT: {REVIEWED, CANCELLED},
    REVIEWED: {SIGNED, DRAFT, CANCELLED},
    SIGNED: {SENT},
    SENT: {PAID, PARTLY_PAID, REJECTED, SUPERSEDED},
    PARTLY_PAID: {PAID, SUPERSEDED},
    PAID: {SUPERSEDED},
    REJECTED: set(),
    SUPERSEDED: set(),
    CANCELLED: set(),
}
# A claim in these statuses holds its items: nobody may claim them again.
LIVE_STATUSES = {DRAFT, REVIEWED, SIGNED, SENT, PARTLY_PAID, PAID}
CORRECTABLE_STATUSES = {SENT, PARTLY_PAID, PAID}
RECONCILABLE_STATUSES = {SENT, PARTLY_PAID, PAID}

SECRETARY, PRESIDENT = "secretary", "president"
SIGNER_CAPACITIES = (SECRETARY, PRESIDENT)


def can_move(current, target):
    return target in ALLOWED_TRANSITIONS.get(current, set())


# Legislation of a line ---------------------------------------------------------------------

# DOMAIN.md §3 and §10: a line is reimbursed under the law of 26 May 2002 (integration income: its
# decisions, conventions and art. 60 §7 for RIS beneficiaries) or under the law of 2 April 1965
# (equivalent financial social aid); forms, statements and deadlines differ by legislation.
LAW_2002, LAW_1965 = "2002", "1965"
LEGISLATIONS = (LAW_2002, LAW_1965)
LEGISLATION_OF_RIGHT = {"ris": LAW_2002, "equivalent_aid": LAW_1965}


def legislation_of(right_type):
    """The legislation of a line for a beneficiary with ``right_type``; a right type not listed is an error.

    ``None`` (a line whose beneficiary is not known) takes the 2002 rule, the earlier deadline, so it
    is never warned about too late [interp].
    """
    if right_type is None:
        return LAW_2002
    try:
        return LEGISLATION_OF_RIGHT[right_type]
    except KeyError:
        raise ValueError(f"No legislation is known for the right type {right_type!r}.") from None


# Amount types of the SPP IS statement (DOMAIN.md §10): 1 grant, 2 arrears, 3 recovery, 4–6 their
# regularisations. Interpretation, configurable: a month claimed on the claim of a later period was
# claimed as arrears.
GRANT, ARREARS, RECOVERY = 1, 2, 3
REGULARISATION_OF = {GRANT: 4, ARREARS: 5, RECOVERY: 6}


def regularisation_amount_type(*, month, claimed_in_period, claimed_amount):
    """The amount type (4–6) of the regularisation of ``month``, first claimed on the claim of the period
    starting ``claimed_in_period`` for ``claimed_amount``."""
    if claimed_amount < 0:
        original = RECOVERY
    elif claimed_in_period > month:
        original = ARREARS
    else:
        original = GRANT
    return REGULARISATION_OF[original]


# Measures whose deadline is their own rather than their lines' legislation's.
ACTIVATION = "activation"


# References --------------------------------------------------------------------------------

# A claim's reference names its measure in the CPAS's language (never an internal code), and a
# quarter by the language's initial (trimestre, kwartaal, Quartal).
REFERENCE_MEASURE_CODES = {
    "fr": {"convention": "CONVPART", "art60": "ART60", "social_economy": "ECOSOC", "art61": "ART61",
           "intervention": "INTFIN", ACTIVATION: "ACTSOC"},
    "nl": {"convention": "PARTNEROVK", "art60": "ART60", "social_economy": "SOCECO", "art61": "ART61",
           "intervention": "FINTUSS", ACTIVATION: "SOCACT"},
    # German-speaking Community: Partnerschaftsvereinbarung, Sozialwirtschaft, finanzielle Beteiligung,
    # soziale Aktivierung.
    "de": {"convention": "PARTNERVB", "art60": "ART60", "social_economy": "SOZWIRT", "art61": "ART61",
           "intervention": "FINBETEIL", ACTIVATION: "SOZAKT"},
}
QUARTER_LETTERS = {"fr": "T", "nl": "K", "de": "Q"}


def claim_reference(*, nis_code, measure, period_kind, period_start, sequence, version, language):
    """``92094-ECOSOC-2026-03-1v1``: CPAS, measure, period, claim number in the period and version."""
    language = language if language in REFERENCE_MEASURE_CODES else "fr"
    label = period_label(period_kind, period_start, language=language)
    return f"{nis_code}-{REFERENCE_MEASURE_CODES[language][measure]}-{label}-{sequence}v{version}"


# Periods -----------------------------------------------------------------------------------

MONTH, QUARTER = "month", "quarter"
ONE_DAY = timedelta(days=1)


def month_period(year, month):
    """First and last day of a calendar month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def quarter_period(year, quarter):
    """First and last day of a calendar quarter (1–4)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("A quarter is 1, 2, 3 or 4.")
    first_month = 3 * (quarter - 1) + 1
    return date(year, first_month, 1), month_period(year, first_month + 2)[1]


def period_bounds(kind, year, number):
    return month_period(year, number) if kind == MONTH else quarter_period(year, number)


def period_label(kind, start, language="fr"):
    if kind == QUARTER:
        return f"{start.year}-{QUARTER_LETTERS.get(language, 'T')}{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


# Deadlines ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    due: date
    explanation: str
    source: str
    interpretation: bool
    legislation: str = LAW_1965
    lost_from: date | None = None


def _month_end(day):
    return month_period(day.year, day.month)[1]


def activation_deadline(covered_end, *, on):
    """Last day to claim a social-activation advance or balance covering a subsidy year ending ``covered_end``.

    Seed 002: the subsidy is paid on the convention of the calendar year, and the final report
    ("financier + contenu") is due by 28 February of the next year; the balance is paid after its
    evaluation. The advance and the balance of a year are claimed by that day [interp: the advance,
    for which the slides set no day of its own, too]. No loss day is set.
    """
    year_start = date(covered_end.year, 1, 1)
    in_force = parameters.ACTIVATION_REPORT_DUE.in_force(year_start)
    month, day = in_force.value
    due = date(covered_end.year + 1, month, day)
    return Deadline(
        due=due,
        explanation=f"social activation: final report of the year {covered_end.year} due {due.isoformat()}",
        source=in_force.source,
        interpretation=True,
        legislation=LAW_2002,
    )


def claim_deadline(period_end, *, on, legislation=LAW_1965, measure=None):
    """Last day to claim items of a period ending on ``period_end``, by the line's legislation.

    Law of 2002 (form B): within 8 days after the month; from day 45 the reimbursement is lost
    until the form is received. Law of 1965: statements of expenses within 12 months of the end of
    the quarter holding the period's end. The parameters in force on ``on`` (the day the claim is
    judged) decide (DOMAIN.md §10). The social-activation subsidy has its own day
    (:func:`activation_deadline`; ``period_end`` is then the end of the subsidy year covered).
    """
    if measure == ACTIVATION:
        return activation_deadline(period_end, on=on)
    if legislation == LAW_2002:
        days, loss = parameters.FORM_B_DAYS_AFTER_MONTH.in_force(on), parameters.FORM_B_LOSS_FROM_DAY.in_force(on)
        month_end = _month_end(period_end)
        return Deadline(
            due=month_end + timedelta(days=days.value),
            explanation=f"form B: {days.value} days after the month ending {month_end.isoformat()}; "
                        f"reimbursement lost from day {loss.value}",
            source=f"{days.source}; {loss.source}",
            interpretation=False,
            legislation=LAW_2002,
            lost_from=month_end + timedelta(days=loss.value),
        )
    in_force = parameters.CLAIM_DEADLINE_MONTHS_AFTER_QUARTER.in_force(on)
    quarter = (period_end.month - 1) // 3 + 1
    quarter_end = quarter_period(period_end.year, quarter)[1]
    due = add_months(quarter_end + ONE_DAY, in_force.value) - ONE_DAY
    return Deadline(
        due=due,
        explanation=f"{in_force.value} months after the end of the quarter ending {quarter_end.isoformat()}",
        source=in_force.source,
        interpretation=False,
        legislation=LAW_1965,
    )


def earliest_deadline(period_end, legislations, *, on, measure=None):
    """The first deadline among the legislations of a claim's lines (a claim may hold both)."""
    return min((claim_deadline(period_end, on=on, legislation=legislation, measure=measure)
                for legislation in set(legislations)),
               key=lambda deadline: deadline.due)


def deadline_state(due, *, on, warning_days=parameters.DEADLINE_WARNING_DAYS, lost_from=None):
    """``lost`` (reimbursement lost), ``overdue``, ``soon`` (in the warning window) or ``later``; and days left."""
    days_left = (due - on).days
    if lost_from is not None and on >= lost_from:
        return "lost", days_left
    if days_left < 0:
        return "overdue", days_left
    if days_left <= warning_days:
        return "soon", days_left
    return "later", days_left


# Corrections -------------------------------------------------------------------------------

NEW, UNCHANGED, CHANGED, WITHDRAWN = "new", "unchanged", "changed", "withdrawn"


@dataclass(frozen=True)
class CorrectedLine:
    source_key: str
    signed_amount: Decimal
    previous_amount: Decimal | None
    change: str

    @property
    def difference(self):
        return eur(self.signed_amount - (self.previous_amount or Decimal("0")))


def correction_lines(previous, current):
    """Compare a claim's lines with today's items of the same period.

    ``previous`` and ``current`` map source keys to signed amounts. A correction is a complete new
    version (DOMAIN.md §10): every current item is a line; an item no longer due stays as a
    ``withdrawn`` line of 0.00 so the version carries the difference it makes.
    """
    lines = []
    for key in sorted(set(previous) | set(current)):
        before, now = previous.get(key), current.get(key)
        if before is None:
            lines.append(CorrectedLine(key, eur(now), None, NEW))
        elif now is None:
            lines.append(CorrectedLine(key, Decimal("0.00"), eur(before), WITHDRAWN))
        else:
            change = UNCHANGED if eur(now) == eur(before) else CHANGED
            lines.append(CorrectedLine(key, eur(now), eur(before), change))
    return lines


# Reconciliation ----------------------------------------------------------------------------

MATCHED, DIFFERS, UNMATCHED, UNPAID = "matched", "differs", "unmatched", "unpaid"
# A record SPP IS refuses (its item may be claimed again) and one a person set aside as not this CPAS's.
REJECTED_LINE, NOT_OURS = "rejected", "not_ours"
# Statement amount types 4–6 regularise types 1–3 (grant, arrears, recovery), DOMAIN.md §10.
REGULARISATION_AMOUNT_TYPES = (4, 5, 6)


@dataclass(frozen=True)
class Payable:
    """A claim line awaiting payment: its id, NISS, period covered and signed amount."""

    line_id: int
    niss: str
    first_day: date
    last_day: date
    amount: Decimal
    reference: str = ""


@dataclass(frozen=True)
class Paid:
    """A record of SPP IS's statement: its id, NISS, period and signed amount."""

    record_id: int
    niss: str
    first_day: date
    last_day: date
    amount: Decimal
    reference: str = ""
    refused: bool = False


def _rank(paid, payable):
    """Lower is better: same amount and reference, same amount, same reference, then the rest."""
    same_reference = bool(paid.reference) and paid.reference == payable.reference
    return (payable.amount != paid.amount, not same_reference, payable.line_id)


def reconcile(payables, payments):
    """Match statement records to claim lines by NISS, period, reference and amount.

    Among the lines of the same NISS and period, a record takes first the line with its amount and
    reference, then its amount, then its reference; exact matches are settled before the others, in
    record order. A record SPP IS refuses (a refusal code, or a sign opposite to its line's: a
    recovery of what was claimed) is ``rejected`` with its line, so the item may be claimed again.
    Returns ``(record outcomes, unpaid line ids)``; an outcome is ``(record_id, line_id or None, state)``.
    Each step is a dictionary lookup: the cost grows with the number of records, not its square.
    """
    by_key = defaultdict(list)
    for payable in sorted(payables, key=lambda item: item.line_id):
        by_key[(payable.niss, payable.first_day, payable.last_day)].append(payable)
    outcomes, waiting = [], []
    ordered = sorted(payments, key=lambda item: item.record_id)
    for exact_only in (True, False):
        for paid in ordered if exact_only else waiting:
            candidates = by_key.get((paid.niss, paid.first_day, paid.last_day), [])
            best = min(candidates, key=lambda item: _rank(paid, item), default=None)
            if exact_only and (best is None or best.amount != paid.amount or paid.refused):
                waiting.append(paid)
                continue
            if best is None:
                outcomes.append((paid.record_id, None, UNMATCHED))
                continue
            candidates.remove(best)
            outcomes.append((paid.record_id, best.line_id, outcome_of(paid, best)))
    unpaid = sorted(item.line_id for items in by_key.values() for item in items)
    return sorted(outcomes), unpaid


def outcome_of(paid, payable):
    """The state of a record paired with a line (also when a person pairs them by hand)."""
    if paid.refused or (paid.amount * payable.amount < 0):
        return REJECTED_LINE
    return MATCHED if paid.amount == payable.amount else DIFFERS


def state_share(amount, percentage):
    """The State's share of an amount paid at 100 % under a budget article (DOMAIN.md §10)."""
    if percentage is None:
        return None
    return eur(amount * percentage / Decimal("100"))


def article_percentage(rows, article, *, on):
    """The percentage of ``article`` in force on ``on`` from ``rows`` of (article, from, percentage), or None."""
    found = [(start, percentage) for name, start, percentage in rows if name == article and start <= on]
    return max(found)[1] if found else None


def status_after_reconciliation(*, lines_total, lines_paid):
    """``paid`` when every line is matched exactly, ``partly_paid`` when some are, else None."""
    if lines_total and lines_paid >= lines_total:
        return PAID
    if lines_paid:
        return PARTLY_PAID
    return None


# Generation jobs as the queue sees them. The job row is the source of truth, not the broker: a job
# the queue never took waits for it, and a running job whose heartbeat stopped has lost its worker.
JOB_QUEUED, JOB_RUNNING = "queued", "running"
JOB_WAITING, JOB_STUCK = "waiting", "stuck"


def job_state(*, status, dispatched_at, heartbeat_at, now, stale_after, unpicked_after):
    """The status shown for a job: ``waiting`` for the queue, ``stuck``, or its own status."""
    if status == JOB_QUEUED:
        if dispatched_at is None:
            return JOB_WAITING
        if now - dispatched_at > unpicked_after:
            return JOB_STUCK
    elif status == JOB_RUNNING and job_worker_lost(heartbeat_at=heartbeat_at, now=now, stale_after=stale_after):
        return JOB_STUCK
    return status


def job_worker_lost(*, heartbeat_at, now, stale_after):
    return heartbeat_at is None or now - heartbeat_at > stale_after


def job_claimable(*, status, heartbeat_at, now, stale_after):
    """A worker may take a job that is queued, or running with no sign of life for ``stale_after``;
    a job running with a live heartbeat, done or failed is left alone (a second delivery is a no-op)."""
    if status == JOB_QUEUED:
        return True
    return status == JOB_RUNNING and job_worker_lost(heartbeat_at=heartbeat_at, now=now, stale_after=stale_after)
