"""Pure rules of the CPAS financial interventions (DOMAIN.md §8, seed 001 §4.3).

Plain values in, plain values out, an explicit legal date; no ORM, no ``today()``. Each amount comes
with its reasons (the parameters and table row used, and their sources).
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from cpas_portal.money import eur
from cpas_portal.months import add_months

from . import parameters

ACTIVA, INTERIM, PTP, SINE = "activa", "interim", "ptp", "sine"
PROGRAMMES = (ACTIVA, INTERIM, PTP, SINE)

EMPLOYER, WORKER = "employer", "worker"
# The intervention is paid to the employer on a supporting document (seed 001 §4.3, "Généralités"),
# except in a transition programme, where the cooperation agreement of 4 March 1997 has it paid to the
# worker and deducted by the employer from the pay (seed 001 §4.3.3).
PAID_TO = {ACTIVA: EMPLOYER, INTERIM: EMPLOYER, PTP: WORKER, SINE: EMPLOYER}

PAYSLIP, EMPLOYER_FORM = "payslip", "employer_form"
# The supporting document fixed by each decree: the worker's payslip for an intérim d'insertion, a form
# the employer fills in at the end of the month for the three others (seed 001 §4.3 and §4.3.2).
SUPPORTING_DOCUMENT = {ACTIVA: EMPLOYER_FORM, INTERIM: PAYSLIP, PTP: EMPLOYER_FORM, SINE: EMPLOYER_FORM}


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# The 24 months of an intérim d'insertion ------------------------------------------------------------

def interim_last_day(first_day: date) -> date:
    """The last day an intérim d'insertion may receive the intervention: 24 calendar months from the first
    day of the person's first intérim d'insertion, whatever the interruptions (AR of 11/07/2002, seed 001
    §4.3.2: "la période de vingt-quatre mois ne peut être prolongée suite à une quelconque interruption").

    Counted from date to date (1 March 2024 → 28 February 2026) [interp, configurable].
    """
    months = parameters.INTERIM_MAX_MONTHS.at(first_day)
    return add_months(first_day, months) - timedelta(days=1)


# The combination of two part-time jobs -------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    """A hire as the combination rule sees it; ``end`` None while it lasts."""

    key: object
    programme: str
    start: date
    end: date | None
    regime: Decimal


def overlaps(first: Job, second: Job) -> bool:
    return ((first.end is None or second.start <= first.end)
            and (second.end is None or first.start <= second.end))


def forbidden_combination(job: Job, others) -> Job | None:
    """The other job ``job`` may not be combined with, or ``None``.

    Two part-time jobs in two different programmes with a CPAS financial intervention at the same time
    are excluded, e.g. a half-time Activa job and a half-time transition programme (seed 001 §4.3,
    "combinaison ... exclue"). Two part-time jobs in the same programme are not this case.
    """
    if job.regime >= 1:
        return None
    for other in sorted(others, key=lambda other: (other.start, str(other.key))):
        if other.key == job.key or other.regime >= 1 or other.programme == job.programme:
            continue
        if overlaps(job, other):
            return other
    return None


# The amount of a month ------------------------------------------------------------------------------

@dataclass(frozen=True)
class MonthAmount:
    amount: Decimal
    days_covered: int
    days_in_month: int
    incomplete: bool
    capped: bool
    reasons: list = field(default_factory=list)


def days_covered(*, month: date, start: date, end: date | None) -> int:
    """Days of the calendar ``month`` between ``start`` and ``end`` (both included)."""
    first, last = first_of_month(month), last_of_month(month)
    covered_from, covered_to = max(first, start), min(last, end) if end else last
    return max(0, (covered_to - covered_from).days + 1)


def month_amount(*, programme, month, full_time_amount, rate_since, rate_source, regime, start, end,
                 net_pay_due, unpaid_absence=False) -> MonthAmount:
    """The intervention of one calendar month of a hire (seed 001 §4.3, DOMAIN.md §8).

    - the full-time monthly amount of the programme's table row in force × the work regime;
    - an incomplete month (the hire covers only part of it) pro rata of its calendar days
      [interp, configurable];
    - for an incomplete month (part covered, or an unpaid absence on the supporting document) the
      intervention is limited to the net pay due for that calendar month (seed 001 §4.3, "en cas
      d'occupation incomplète, l'intervention financière ... est limitée à la rémunération nette").

    ``end`` is the last day the intervention may be paid (the hire's end, or the intérim limit).
    """
    if programme not in PROGRAMMES:
        raise ValueError(f"Unknown programme {programme!r}.")
    regime, net_pay_due = Decimal(regime), Decimal(net_pay_due)
    if not Decimal(0) < regime <= Decimal(1):
        raise ValueError("The work regime is above 0 and at most 1.")
    if net_pay_due < 0:
        raise ValueError("The net pay due is not negative.")
    in_month = calendar.monthrange(month.year, month.month)[1]
    covered = days_covered(month=month, start=start, end=end)
    reasons = [{"code": "rate", "amount": str(full_time_amount), "since": rate_since.isoformat(),
                "source": rate_source, "regime": str(regime)}]
    amount = Decimal(full_time_amount) * regime
    if covered < in_month:
        amount = amount * covered / in_month
        reasons.append({"code": "pro_rata", "days": covered, "days_in_month": in_month})
    incomplete = covered < in_month or bool(unpaid_absence)
    capped = False
    if incomplete and amount > net_pay_due:
        amount, capped = net_pay_due, True
        reasons.append({"code": "net_pay_cap", "net_pay_due": str(net_pay_due), "source": parameters.CIRCULAR})
    return MonthAmount(amount=eur(amount), days_covered=covered, days_in_month=in_month, incomplete=incomplete,
                       capped=capped, reasons=reasons)
