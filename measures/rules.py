"""Pure rules of art. 60 §7 placements, the social-economy budget and the art. 61 premium.

No ORM and no "today": plain values in, amounts and their reasons out (parameters.py holds every
number). Table lookups (RIS, RMMMG) are passed in as functions that raise ``NotInForce``.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from cpas_portal.dated import NotInForce
from cpas_portal.money import eur

from . import parameters as p
from .explain import Reason

NORMAL = "normal"
SOCIAL_ECONOMY = "social_economy"
PRIVATE_FIRM = "private_firm"

DRAFT, APPROVED, ENDED, CANCELLED = "draft", "approved", "ended", "cancelled"
ALLOWED_TRANSITIONS = {
    DRAFT: {APPROVED, CANCELLED},
    APPROVED: {ENDED},
    ENDED: set(),
    CANCELLED: set(),
}
ACTIVE_STATUSES = (APPROVED, ENDED)


class RuleRefusal(Exception):
    """The law refuses what was asked; ``field`` says which input, ``reason`` says why (with figures)."""

    def __init__(self, field, message):
        self.field, self.message = field, message
        super().__init__(str(message))


# Calendar helpers -------------------------------------------------------------------------------

def first_of_month(day):
    return day.replace(day=1)


def last_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(month):
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_between(start, end):
    """The first days of the calendar months from ``start`` to ``end`` included."""
    month = first_of_month(start)
    while month <= end:
        yield month
        month = next_month(month)


def month_index(start, month):
    """0 for the calendar month of ``start``, 1 for the next, …"""
    return (month.year - start.year) * 12 + month.month - start.month


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_in_months(birth_date, day):
    """Completed months of age on ``day`` (the RMMMG bands go by half years: 21½)."""
    return max((day.year - birth_date.year) * 12 + day.month - birth_date.month - (day.day < birth_date.day), 0)


def seniority_months(start, day):
    """Completed months of the contract on ``day`` [interpretation: the seniority at the employer]."""
    return age_in_months(start, day)


# Placement subsidy ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlacementTerms:
    """What the subsidy of one placement depends on. ``pay`` is ``((from, gross monthly pay), ...)``."""

    key: object
    region: str
    start: date
    end: date
    birth_date: date
    counts_as_full_time: bool
    regime: Decimal
    scheme: str
    pay: tuple
    concluded_on: date | None = None

    def pay_on(self, day):
        amount = Decimal("0.00")
        for since, gross in sorted(self.pay):
            if since <= day:
                amount = Decimal(gross)
        return amount

    @property
    def under_25(self):
        return age_on(self.birth_date, self.start) < p.UNDER_25_AGE.at(self.start)

    @property
    def before_budget_regime(self):
        """Circular of 15 March 2013: the contract's conclusion (signature) date decides, not its start."""
        return (self.concluded_on or self.start) < p.BUDGET_REGIME_START


@dataclass(frozen=True)
class MonthlySubsidy:
    key: object
    month: date
    amount: Decimal | None
    scheme: str
    legal_basis: str
    rule_set: str
    days_covered: int
    days_in_month: int
    gross_pay: Decimal
    reasons: tuple
    counts_against_budget: bool = False

    @property
    def error(self):
        return self.amount is None


def coverage(terms, month):
    """(days of ``month`` covered by the contract, days in the month)."""
    first, last = max(month, terms.start), min(last_of_month(month), terms.end)
    return max((last - first).days + 1, 0), calendar.monthrange(month.year, month.month)[1]


def _prorate(amount, covered, days, reasons, code="prorated"):
    if covered >= days:
        return amount
    amount = eur(amount * covered / days)
    reasons.append(Reason(code, {"covered": covered, "days": days, "amount": amount}))
    return amount


def _month_pay(terms, month, covered, days, reasons):
    """The gross pay of the month; for an incomplete month, for the days covered (interpretation)."""
    pay = terms.pay_on(max(month, terms.start))
    return _prorate(pay, covered, days, reasons, code="pay_prorated") if pay else pay


def rule_set(region, day):
    return p.RULE_SETS[region].in_force(day)


def full_time_reference(terms, month, ris_lookup, reasons):
    """Category-3 RIS of the month, +25 % if under 25 at the start (law of 26 May 2002, art. 36 §1)."""
    ris = ris_lookup(p.FULL_TIME_RIS_CATEGORY.at(month), month)
    state = "verified" if ris.verified else "not verified"
    reasons.append(Reason("ris", {"category": ris.category, "since": ris.since, "amount": ris.amount,
                                  "source": ris.source, "state": state}))
    _confirmation(reasons, "ris", ris)
    amount = ris.amount
    if terms.under_25:
        rate = p.UNDER_25_INCREASE.in_force(terms.start)
        amount = eur(amount * (1 + rate.value))
        reasons.append(Reason("under_25", {"start": terms.start, "rate": f"{rate.value * 100:.0f} %",
                                           "amount": amount, "source": rate.source}))
    return amount


def _confirmation(reasons, table, row):
    """A month past the table's confirmed date computes with its last row, marked "not confirmed"."""
    if not getattr(row, "confirmed", True):
        reasons.append(Reason("not_confirmed", {"table": table, "since": row.since}))


def _cap_at_pay(amount, pay, reasons):
    if amount > pay:
        reasons.append(Reason("gross_pay_cap", {"amount": pay}))
        return pay
    return amount


def _line(terms, month, amount, reasons, covered, days, pay, legal_basis, set_name, budget=False):
    return MonthlySubsidy(terms.key, month, amount, terms.scheme, legal_basis, set_name, covered, days, pay,
                          tuple(reasons), budget)


def _base_reasons(terms, month):
    in_force = rule_set(terms.region, terms.start)
    if in_force.value != p.FEDERAL_2002:
        raise NotInForce(f"rule set {in_force.value}", month, "not implemented")
    return in_force.value, [Reason("rule_set", {"rule_set": in_force.value, "region": terms.region,
                                                 "since": in_force.since, "source": in_force.source})]


def _full_time_month(terms, month, ris_lookup):
    set_name, reasons = _base_reasons(terms, month)
    covered, days = coverage(terms, month)
    try:
        amount = full_time_reference(terms, month, ris_lookup, reasons)
    except NotInForce:
        reasons.append(Reason("no_ris", {"day": month}))
        return _line(terms, month, None, reasons, covered, days, Decimal("0.00"), p.LAW_2002, set_name)
    amount = _prorate(amount, covered, days, reasons)
    pay = _month_pay(terms, month, covered, days, reasons)
    if not pay:
        reasons.append(Reason("no_pay"))
    return _line(terms, month, _cap_at_pay(amount, pay, reasons), reasons, covered, days, pay, p.LAW_2002, set_name)


def _social_economy_month(terms, month, minimum_wage_lookup, months_paid):
    """AR of 11 July 2002 (increased subsidy): the gross pay, at most the RMMMG; part-time pro rata, 6 months."""
    set_name, reasons = _base_reasons(terms, month)
    covered, days = coverage(terms, month)
    budget = not terms.before_budget_regime
    if terms.before_budget_regime:
        reasons.append(Reason("before_2013", {"day": p.BUDGET_REGIME_START, "source": p.CIRCULAR_2013}))
    limit = p.SOCIAL_ECONOMY_PART_TIME_MONTHS.in_force(terms.start)
    if not terms.counts_as_full_time and months_paid >= limit.value:
        reasons.append(Reason("social_economy_part_time_limit", {"limit": limit.value, "source": limit.source}))
        return _line(terms, month, Decimal("0.00"), reasons, covered, days, Decimal("0.00"),
                     p.AR_SOCIAL_ECONOMY, set_name, budget)
    pay = _month_pay(terms, month, covered, days, [])
    reasons.append(Reason("social_economy", {"amount": pay, "source": p.AR_SOCIAL_ECONOMY}))
    try:
        wage = minimum_wage_lookup(month, age_months=age_in_months(terms.birth_date, month),
                                   seniority_months=seniority_months(terms.start, month))
    except NotInForce:
        reasons.append(Reason("no_minimum_wage", {"day": month}))
        return _line(terms, month, None, reasons, covered, days, pay, p.AR_SOCIAL_ECONOMY, set_name, budget)
    state = "verified" if wage.verified else "not verified"
    reasons.append(Reason("minimum_wage", {"since": wage.since, "amount": wage.amount, "source": wage.source,
                                           "state": state}))
    if hasattr(wage, "min_age"):
        reasons.append(Reason("minimum_wage_band", {"age": wage.min_age, "seniority": wage.min_seniority_months}))
    _confirmation(reasons, "minimum_wage", wage)
    cap = wage.amount
    if not terms.counts_as_full_time:
        cap = eur(cap * terms.regime)
        reasons.append(Reason("regime", {"regime": terms.regime, "amount": cap}))
    cap = _prorate(cap, covered, days, reasons)
    if not pay:
        reasons.append(Reason("no_pay"))
    amount = pay
    if amount > cap:
        reasons.append(Reason("minimum_wage_cap", {"amount": cap}))
        amount = cap
    return _line(terms, month, amount, reasons, covered, days, pay, p.AR_SOCIAL_ECONOMY, set_name, budget)


def _part_time_month(terms, month, credit_used):
    """AR of 11 July 2002 (part-time): €500, €625 under 25, for a credit of six months per CPAS and person."""
    set_name, reasons = _base_reasons(terms, month)
    covered, days = coverage(terms, month)
    limit = p.PART_TIME_CREDIT_MONTHS.in_force(terms.start)
    if credit_used >= limit.value:
        reasons.append(Reason("part_time_credit_exhausted", {"limit": limit.value, "source": limit.source}))
        return _line(terms, month, Decimal("0.00"), reasons, covered, days, Decimal("0.00"), p.AR_PART_TIME,
                     set_name), False
    if terms.under_25:
        flat = p.PART_TIME_MONTHLY_UNDER_25.in_force(terms.start)
        reasons.append(Reason("part_time_under_25", {"start": terms.start, "amount": flat.value,
                                                     "source": flat.source}))
    else:
        flat = p.PART_TIME_MONTHLY.in_force(terms.start)
        reasons.append(Reason("part_time", {"amount": flat.value, "source": flat.source}))
    amount = _prorate(flat.value, covered, days, reasons)
    pay = _month_pay(terms, month, covered, days, reasons)
    if not pay:
        # An interruption without pay does not use the credit.
        reasons.append(Reason("no_pay"))
        return _line(terms, month, Decimal("0.00"), reasons, covered, days, pay, p.AR_PART_TIME, set_name), False
    reasons.append(Reason("part_time_credit", {"used": credit_used + 1, "limit": limit.value}))
    amount = _cap_at_pay(amount, pay, reasons)
    return _line(terms, month, amount, reasons, covered, days, pay, p.AR_PART_TIME, set_name), True


def _combined_month(lead, others, month, ris_lookup):
    """Two part-time placements of one person at one CPAS are subsidised as one full-time placement:
    the earliest carries the full-time subsidy, capped at the gross pay of both."""
    set_name, reasons = _base_reasons(lead, month)
    reasons.append(Reason("combined_lead", {"source": p.AR_PART_TIME}))
    covered, days = coverage(lead, month)
    pay = _month_pay(lead, month, covered, days, reasons) + sum(
        (_month_pay(other, month, *coverage(other, month), []) for other in others), Decimal("0.00"))
    try:
        amount = _prorate(full_time_reference(lead, month, ris_lookup, reasons), covered, days, reasons)
        amount = _cap_at_pay(amount, pay, reasons)
    except NotInForce:
        reasons.append(Reason("no_ris", {"day": month}))
        amount = None
    combined = [_line(lead, month, amount, reasons, covered, days, pay, p.AR_PART_TIME, set_name)]
    for other in others:
        covered, days = coverage(other, month)
        set_name, base = _base_reasons(other, month)
        base.append(Reason("combined_other", {"other": lead.key, "source": p.AR_PART_TIME}))
        combined.append(_line(other, month, Decimal("0.00"), base, covered, days,
                              _month_pay(other, month, covered, days, []), p.AR_PART_TIME, set_name))
    return combined


def subsidy_schedule(placements, *, ris_lookup, minimum_wage_lookup):
    """Monthly subsidies of every placement of ONE person at ONE CPAS, by placement key.

    All of them are needed together: the part-time credit and the combination of two part-time
    placements are counted per (CPAS, person).
    """
    schedule = {terms.key: [] for terms in placements}
    part_time = []
    for terms in placements:
        if terms.scheme == SOCIAL_ECONOMY:
            paid = 0
            for month in months_between(terms.start, terms.end):
                line = _social_economy_month(terms, month, minimum_wage_lookup, paid)
                paid += bool(line.amount)
                schedule[terms.key].append(line)
        elif terms.counts_as_full_time:
            schedule[terms.key] = [_full_time_month(terms, month, ris_lookup)
                                   for month in months_between(terms.start, terms.end)]
        else:
            part_time.append(terms)
    part_time.sort(key=lambda terms: (terms.start, str(terms.key)))
    if part_time:
        credit_used = 0
        first, last = min(t.start for t in part_time), max(t.end for t in part_time)
        for month in months_between(first, last):
            active = [t for t in part_time if coverage(t, month)[0] > 0]
            if len(active) >= 2:
                for line in _combined_month(active[0], active[1:], month, ris_lookup):
                    schedule[line.key].append(line)
            elif active:
                line, used = _part_time_month(active[0], month, credit_used)
                credit_used += used
                schedule[line.key].append(line)
    return schedule


# Art. 61 tutoring premium ------------------------------------------------------------------------

@dataclass(frozen=True)
class Art61Decision:
    granted: Decimal
    carried_over: Decimal
    grant_number: int
    reasons: tuple


def art61_premium(*, month, employment_start, regime, organisation_kind, has_cooperation_convention,
                  supervision_costs, training_costs, carried_in, previous_grants):
    """AR of 11 July 2002 (art. 61): at most €250 per calendar month of full-time work, 12 times within 24 months.

    Pro rata for any regime below 1: a 4/5 regime that counts as full-time under art. 60 §7 does not
    here (circular of 21 October 2002 §4.2). The 24 months count from the start of the employment,
    an art. 60 §7 placement at the firm or a contract with the firm itself.

    Raises :class:`RuleRefusal` when no premium may be granted for ``month``.
    """
    from django.utils.translation import gettext as _

    if organisation_kind != PRIVATE_FIRM:
        raise RuleRefusal("placement", _("The art. 61 premium is only for a private firm (not a non-profit)."))
    if not has_cooperation_convention:
        raise RuleRefusal("placement", _("The art. 61 premium needs a cooperation convention with the firm."))
    cap = p.ART61_MONTHLY_CAP.in_force(month)
    window = p.ART61_WINDOW_MONTHS.in_force(month)
    limit = p.ART61_MAX_GRANTS.in_force(month)
    index = month_index(employment_start, month)
    if index < 0:
        raise RuleRefusal("month", _("The month is before the start of the employment (%(start)s).")
                          % {"start": employment_start.isoformat()})
    if index >= window.value:
        raise RuleRefusal("month", _("Calendar month %(number)s of the employment: the premium is granted only within "
                                     "the first %(window)s calendar months.") % {"number": index + 1,
                                                                                  "window": window.value})
    if previous_grants >= limit.value:
        raise RuleRefusal("month", _("The premium was already granted %(count)s times: at most %(limit)s grants.")
                          % {"count": previous_grants, "limit": limit.value})
    reasons = [Reason("art61_cap", {"cap": cap.value, "source": cap.source})]
    monthly_cap = cap.value
    if Decimal(regime) < 1:
        monthly_cap = eur(cap.value * Decimal(regime))
        reasons.append(Reason("art61_part_time", {"regime": regime, "amount": monthly_cap}))
    supervision, training, carried_in = (eur(value) for value in (supervision_costs, training_costs, carried_in))
    reasons.append(Reason("art61_costs", {"supervision": supervision, "training": training,
                                          "carried_in": carried_in}))
    available = supervision + training + carried_in
    if available <= 0:
        raise RuleRefusal("training_costs", _("The premium covers real supervision or training costs: none given."))
    granted = min(available, monthly_cap)
    # Supervision costs are paid first; only training costs may be spread over later months.
    training_left = training + carried_in - max(granted - supervision, Decimal("0.00"))
    carried_over = max(training_left, Decimal("0.00"))
    lost = supervision - min(supervision, granted)
    reasons.append(Reason("art61_granted", {"number": previous_grants + 1, "limit": limit.value,
                                            "month_number": index + 1, "window": window.value, "amount": granted}))
    if carried_over:
        reasons.append(Reason("art61_carried", {"amount": carried_over}))
    if lost:
        reasons.append(Reason("art61_lost", {"amount": lost}))
    return Art61Decision(granted, carried_over, previous_grants + 1, tuple(reasons))


# Social-economy budget ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AllocatedBudget:
    key: object
    average: Decimal
    weight: Fraction
    amount: Decimal

    @property
    def weight_percent(self):
        return Decimal(self.weight.numerator * 100) / Decimal(self.weight.denominator)


def allocate_budgets(envelope, reimbursed, *, on):
    """Circular of 15 March 2013: each CPAS's budget = envelope × its average / the sum of the averages.

    ``reimbursed`` maps each CPAS key to its amounts reimbursed in the reference years. Rounded to the
    cent by largest remainder, so the budgets add up exactly to the envelope.
    """
    years = p.BUDGET_REFERENCE_YEARS.at(on)
    cents = int(eur(envelope) * 100)
    averages = {key: sum((Fraction(str(eur(amount))) for amount in amounts), Fraction(0)) / years
                for key, amounts in reimbursed.items()}
    total = sum(averages.values(), Fraction(0))
    if cents < 0 or total <= 0:
        raise ValueError("The envelope must be positive and at least one CPAS must have reimbursed amounts.")
    quotas = {key: cents * average / total for key, average in averages.items()}
    floors = {key: int(quota) for key, quota in quotas.items()}
    left = cents - sum(floors.values())
    order = sorted(quotas, key=lambda key: (-(quotas[key] - floors[key]), str(key)))
    for key in order[:left]:
        floors[key] += 1
    return [AllocatedBudget(key, eur(Decimal(average.numerator) / Decimal(average.denominator)),
                            average / total, Decimal(floors[key]) / 100)
            for key, average in averages.items()]


@dataclass(frozen=True)
class BudgetCheck:
    year: int
    granted: Decimal
    committed: Decimal
    requested: Decimal
    limit: Decimal
    share_limited: bool

    @property
    def after(self):
        return self.committed + self.requested

    @property
    def overrun(self):
        return max(self.after - self.limit, Decimal("0.00"))


def budget_checks(*, year, granted, committed, requested, created_by_cpas, committed_cpas_created, on):
    """The checks a placement under the increased subsidy must pass for ``year``: the budget, and the
    quarter of it for initiatives created by the CPAS (circular of 15 March 2013)."""
    checks = [BudgetCheck(year, granted, committed, requested, granted, False)]
    if created_by_cpas:
        share = p.CPAS_CREATED_INITIATIVES_SHARE.at(on)
        checks.append(BudgetCheck(year, granted, committed_cpas_created, requested, eur(granted * share), True))
    return checks


# Increased subsidy: new jobs, not replacements ---------------------------------------------------

def art60_held_before(start, end, others):
    """The recorded art. 60 §7 contracts (``(key, start, end)`` under the normal subsidy) that make a
    new social-economy contract from ``start`` to ``end`` not a new job: one held on the day before it
    starts or during it (circular of 15 March 2013: the workers must not already be employed under
    art. 60 §7)."""
    day_before = start - timedelta(days=1)
    return [key for key, other_start, other_end in others if other_start <= end and other_end >= day_before]
