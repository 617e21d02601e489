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
    """The legislation of a line for a beneficiary with ``right_type``; a right type not listed is an error."""
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


# References --------------------------------------------------------------------------------

# A claim's reference names its measure in the CPAS's language (never an internal code), and a
# quarter by the language's initial (trimestre, kwartaal).
REFERENCE_MEASURE_CODES = {
    "fr": {"convention": "CONVPART", "art60": "ART60", "social_economy": "ECOSOC", "art61": "ART61"},
    "nl": {"convention": "PARTNEROVK", "art60": "ART60", "social_economy": "SOCECO", "art61": "ART61"},
}
QUARTER_LETTERS = {"fr": "T", "nl": "K"}


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


def claim_deadline(period_end, *, on):
    """Last day to claim items of a period ending on ``period_end``.

    Statements of expenses are due within the configured number of months after the end of the
    quarter holding the period's end (DOMAIN.md §10; applied to every measure: interpretation).
    The parameter in force on ``on`` (the day the claim is judged) decides.
    """
    in_force = parameters.CLAIM_DEADLINE_MONTHS_AFTER_QUARTER.in_force(on)
    quarter = (period_end.month - 1) // 3 + 1
    quarter_end = quarter_period(period_end.year, quarter)[1]
    due = add_months(quarter_end + ONE_DAY, in_force.value) - ONE_DAY
    return Deadline(
        due=due,
        explanation=f"{in_force.value} months after the end of the quarter ending {quarter_end.isoformat()}",
        source=in_force.source,
        interpretation=True,
    )


def deadline_state(due, *, on, warning_days=parameters.DEADLINE_WARNING_DAYS):
    """``overdue``, ``soon`` (within the warning window) or ``later``; and the days left."""
    days_left = (due - on).days
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


@dataclass(frozen=True)
class Payable:
    """A claim line awaiting payment: its id, NISS, period covered and signed amount."""

    line_id: int
    niss: str
    first_day: date
    last_day: date
    amount: Decimal


@dataclass(frozen=True)
class Paid:
    """A record of SPP IS's statement: its id, NISS, period and signed amount."""

    record_id: int
    niss: str
    first_day: date
    last_day: date
    amount: Decimal


def reconcile(payables, payments):
    """Match statement records to claim lines by NISS, period and amount.

    First the exact matches (same NISS, same first and last day, same amount), then, among what is
    left with the same NISS and period, pairs whose amounts differ, in a stable order. Returns
    ``(record outcomes, unpaid line ids)``; an outcome is ``(record_id, line_id or None, state)``.
    """
    by_key = defaultdict(list)
    for payable in sorted(payables, key=lambda item: item.line_id):
        by_key[(payable.niss, payable.first_day, payable.last_day)].append(payable)
    outcomes, waiting = [], []
    for paid in sorted(payments, key=lambda item: item.record_id):
        candidates = by_key.get((paid.niss, paid.first_day, paid.last_day), [])
        exact = next((item for item in candidates if item.amount == paid.amount), None)
        if exact is not None:
            candidates.remove(exact)
            outcomes.append((paid.record_id, exact.line_id, MATCHED))
        else:
            waiting.append(paid)
    for paid in waiting:
        candidates = by_key.get((paid.niss, paid.first_day, paid.last_day), [])
        if candidates:
            outcomes.append((paid.record_id, candidates.pop(0).line_id, DIFFERS))
        else:
            outcomes.append((paid.record_id, None, UNMATCHED))
    unpaid = sorted(item.line_id for items in by_key.values() for item in items)
    return sorted(outcomes), unpaid


def status_after_reconciliation(*, lines_total, lines_paid):
    """``paid`` when every line is matched exactly, ``partly_paid`` when some are, else None."""
    if lines_total and lines_paid >= lines_total:
        return PAID
    if lines_paid:
        return PARTLY_PAID
    return None
