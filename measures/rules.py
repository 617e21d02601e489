"""Pure rules of art. 60 §7 placements, the social-economy budget and the art. 61 premium.

No ORM and no "today": plain values in, amounts and their reasons out (parameters.py holds every
number). Table lookups (RIS, RMMMG) are passed in as functions that raise ``NotInForce``.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from cpas_portal.dated import NotInForce
from cpas_portal.money import eur
from cpas_portal.months import add_months

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
    """What the subsidy of one placement depends on.

    ``pay`` holds its pay periods: ``((from, gross monthly pay), ...)`` or ``((from, gross monthly pay,
    gross monthly wage cost or None), ...)``; each applies from its day to the day before the next one.
    A pay of 0 is an unpaid absence; days before the first period have no pay either.
    """

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

    def pay_periods(self):
        rows = [(row[0], Decimal(row[1]), None if len(row) < 3 or row[2] is None else Decimal(row[2]))
                for row in self.pay]
        return sorted(rows, key=lambda row: row[0])

    def pay_on(self, day):
        return self.day_pay(day).pay

    def day_pay(self, day, periods=None):
        found = DayPay(day, Decimal("0.00"), None, None)
        for since, gross, wage_cost in periods if periods is not None else self.pay_periods():
            if since <= day:
                found = DayPay(day, gross, wage_cost, since)
        return found

    @property
    def under_25(self):
        return age_on(self.birth_date, self.start) < p.UNDER_25_AGE.at(self.start)

    @property
    def before_budget_regime(self):
        """Circular of 15 March 2013: the contract's conclusion (signature) date decides, not its start."""
        return (self.concluded_on or self.start) < p.BUDGET_REGIME_START


@dataclass(frozen=True)
class DayPay:
    """One day under contract: the gross monthly pay (and wage cost) of the pay period it falls in."""

    day: date
    pay: Decimal
    wage_cost: Decimal | None
    since: date | None

    @property
    def paid(self):
        return self.pay > 0

    @property
    def cost(self):
        # No wage cost recorded: the gross pay (DOMAIN.md §6, interpretation).
        return self.pay if self.wage_cost is None or not self.paid else self.wage_cost


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
    credit_days: int = 0
    """Days of the month paid under a six-month part-time credit (art. 60 §7 or social economy)."""

    @property
    def error(self):
        return self.amount is None


def coverage(terms, month):
    """(days of ``month`` covered by the contract, days in the month)."""
    first, last = max(month, terms.start), min(last_of_month(month), terms.end)
    return max((last - first).days + 1, 0), calendar.monthrange(month.year, month.month)[1]


def contract_days(terms, month):
    """The days of ``month`` under the contract, each with the pay period it falls in."""
    periods = terms.pay_periods()
    first, last = max(month, terms.start), min(last_of_month(month), terms.end)
    return [terms.day_pay(first + timedelta(days=offset), periods) for offset in range((last - first).days + 1)]


def days_in(month):
    return calendar.monthrange(month.year, month.month)[1]


def pay_of(days, days_in_month, attribute="pay"):
    """The gross pay (or wage cost) of ``days``: each day is 1/``days_in_month`` of its period's monthly pay."""
    total = sum((getattr(day, attribute) for day in days), Decimal("0"))
    return eur(total / days_in_month)


class ContractTimeCredit:
    """Six months of contract time, counted in days (parameters.PART_TIME_CREDIT_MONTHS says how)."""

    def __init__(self, months):
        self.months = months
        self.since = self.length = self.ran_out_on = None
        self.used = 0

    def take(self, day):
        """Use one day of the credit for ``day``; False once six months of contract time are used."""
        if self.since is None:
            self.since = day
            self.length = (add_months(day, self.months.value) - day).days
        if self.used >= self.length:
            return False
        self.used += 1
        if self.used == self.length:
            self.ran_out_on = day
        return True

    def reason(self, code, credited):
        return Reason(code, {"credited": credited, "used": self.used, "length": self.length, "since": self.since,
                             "months": self.months.value, "source": self.months.source})


def _prorate(amount, covered, days, reasons, code="prorated"):
    if covered >= days:
        return amount
    amount = eur(amount * covered / days)
    reasons.append(Reason(code, {"covered": covered, "days": days, "amount": amount}))
    return amount


def _pay_reasons(days, days_in_month, reasons):
    """The month's pay periods and the days of unpaid absence, then the gross pay of the month."""
    periods = []
    for day in days:
        if periods and periods[-1][0].since == day.since:
            periods[-1][1] = day.day
            periods[-1][2] += 1
        else:
            periods.append([day, day.day, 1])
    if len(periods) > 1 or (periods and periods[0][2] < days_in_month):
        for first, last, count in periods:
            reasons.append(Reason("pay_period", {"start": first.day, "until": last, "amount": first.pay,
                                                 "covered": count, "days": days_in_month}))
    unpaid = sum(1 for day in days if not day.paid)
    if unpaid:
        reasons.append(Reason("unpaid_days", {"unpaid": unpaid}))
    pay = pay_of(days, days_in_month)
    if len(periods) > 1 or (periods and periods[0][2] < days_in_month):
        reasons.append(Reason("month_pay", {"amount": pay}))
    return pay


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


def _cap_at_pay(amount, pay, reasons, *, days=None):
    if amount > pay:
        if days is None:
            reasons.append(Reason("gross_pay_cap", {"amount": pay}))
        else:
            reasons.append(Reason("days_pay_cap", {"amount": pay, "covered": days}))
        return pay
    return amount


def _cap_full_time(terms, amount, days, days_in_month, reasons):
    """Full-time: at most the gross pay of ``days``; under 25 the +25 % runs up to their gross wage cost."""
    if not terms.under_25:
        return _cap_at_pay(amount, pay_of(days, days_in_month), reasons)
    cost = pay_of(days, days_in_month, "cost")
    recorded = any(day.wage_cost is not None for day in days if day.paid)
    if recorded:
        reasons.append(Reason("wage_cost", {"amount": cost,
                                            "source": p.UNDER_25_INCREASE.in_force(terms.start).source}))
    if amount > cost:
        reasons.append(Reason("wage_cost_cap" if recorded else "wage_cost_cap_default", {"amount": cost}))
        return cost
    return amount


def _line(terms, month, amount, reasons, covered, days, pay, legal_basis, set_name, budget=False, credit_days=0):
    return MonthlySubsidy(terms.key, month, amount, terms.scheme, legal_basis, set_name, covered, days, pay,
                          tuple(reasons), budget, credit_days)


def _base_reasons(terms, month):
    in_force = rule_set(terms.region, terms.start)
    if in_force.value != p.FEDERAL_2002:
        raise NotInForce(f"rule set {in_force.value}", month, "not implemented")
    return in_force.value, [Reason("rule_set", {"rule_set": in_force.value, "region": terms.region,
                                                 "since": in_force.since, "source": in_force.source})]


def _full_time_month(terms, month, ris_lookup):
    """Law of 26 May 2002, art. 36 §1: the category-3 RIS for the paid days, at most their gross pay."""
    set_name, reasons = _base_reasons(terms, month)
    days_in_month = days_in(month)
    days = contract_days(terms, month)
    pay = _pay_reasons(days, days_in_month, reasons)
    paid = [day for day in days if day.paid]
    try:
        amount = full_time_reference(terms, month, ris_lookup, reasons)
    except NotInForce:
        reasons.append(Reason("no_ris", {"day": month}))
        return _line(terms, month, None, reasons, len(paid), days_in_month, pay, p.LAW_2002, set_name)
    if not paid:
        reasons.append(Reason("no_pay"))
        return _line(terms, month, Decimal("0.00"), reasons, 0, days_in_month, pay, p.LAW_2002, set_name)
    amount = _prorate(amount, len(paid), days_in_month, reasons)
    amount = _cap_full_time(terms, amount, paid, days_in_month, reasons)
    return _line(terms, month, amount, reasons, len(paid), days_in_month, pay, p.LAW_2002, set_name)


def _social_economy_lines(terms, minimum_wage_lookup):
    """AR of 11 July 2002 (increased subsidy): the gross pay, at most the RMMMG; part-time pro rata for at most
    six months of contract time (counted in days like the part-time credit)."""
    credit = None if terms.counts_as_full_time else ContractTimeCredit(
        p.SOCIAL_ECONOMY_PART_TIME_MONTHS.in_force(terms.start))
    lines = []
    for month in months_between(terms.start, terms.end):
        days = contract_days(terms, month)
        paid = [day for day in days if day.paid]
        granted = [day for day in paid if credit is None or credit.take(day.day)]
        lines.append(_social_economy_month(terms, month, days, granted, len(paid) - len(granted), credit,
                                           minimum_wage_lookup))
    return lines


def _social_economy_month(terms, month, days, granted, refused, credit, minimum_wage_lookup):
    set_name, reasons = _base_reasons(terms, month)
    days_in_month = days_in(month)
    budget = not terms.before_budget_regime
    if terms.before_budget_regime:
        reasons.append(Reason("before_2013", {"day": p.BUDGET_REGIME_START, "source": p.CIRCULAR_2013}))
    pay = _pay_reasons(days, days_in_month, reasons)
    paid = [day for day in days if day.paid]

    def line(amount):
        return _line(terms, month, amount, reasons, len(paid), days_in_month, pay, p.AR_SOCIAL_ECONOMY, set_name,
                     budget, len(granted) if credit else 0)

    if credit is not None and granted:
        reasons.append(credit.reason("se_part_time_credit", len(granted)))
    if refused:
        if not granted:
            limit = credit.months
            reasons.append(Reason("social_economy_part_time_limit", {"limit": limit.value, "source": limit.source}))
            return line(Decimal("0.00"))
        reasons.append(Reason("se_part_time_credit_end", {"day": credit.ran_out_on, "refused": refused}))
    subsidised_pay = pay_of(granted, days_in_month)
    reasons.append(Reason("social_economy", {"amount": subsidised_pay, "source": p.AR_SOCIAL_ECONOMY}))
    try:
        wage = minimum_wage_lookup(month, age_months=age_in_months(terms.birth_date, month),
                                   seniority_months=seniority_months(terms.start, month))
    except NotInForce:
        reasons.append(Reason("no_minimum_wage", {"day": month}))
        return line(None)
    state = "verified" if wage.verified else "not verified"
    reasons.append(Reason("minimum_wage", {"since": wage.since, "amount": wage.amount, "source": wage.source,
                                           "state": state}))
    if hasattr(wage, "min_age"):
        reasons.append(Reason("minimum_wage_band", {"age": wage.min_age, "seniority": wage.min_seniority_months}))
    _confirmation(reasons, "minimum_wage", wage)
    if not granted:
        reasons.append(Reason("no_pay"))
        return line(Decimal("0.00"))
    cap = wage.amount
    if not terms.counts_as_full_time:
        cap = eur(cap * terms.regime)
        reasons.append(Reason("regime", {"regime": terms.regime, "amount": cap}))
    cap = _prorate(cap, len(granted), days_in_month, reasons)
    amount = subsidised_pay
    if amount > cap:
        reasons.append(Reason("minimum_wage_cap", {"amount": cap}))
        amount = cap
    return line(amount)


def _part_time_lines(group, ris_lookup):
    """AR of 11 July 2002 (part-time), per (CPAS, person): €500 (€625 under 25) a month for six months of
    contract time shared by all part-time contracts; days on which two part-time contracts overlap are
    subsidised as one full-time placement instead, and use no credit."""
    group = sorted(group, key=lambda terms: (terms.start, str(terms.key)))
    credit = ContractTimeCredit(p.PART_TIME_CREDIT_MONTHS.in_force(group[0].start))
    lines = {terms.key: [] for terms in group}
    for month in months_between(min(t.start for t in group), max(t.end for t in group)):
        members = [terms for terms in group if coverage(terms, month)[0] > 0]
        if not members:
            continue
        days = {terms.key: contract_days(terms, month) for terms in members}
        paid = {key: {day.day: day for day in month_days if day.paid} for key, month_days in days.items()}
        credited, refused, combined = defaultdict(list), defaultdict(int), []
        for offset in range(days_in(month)):
            day = month + timedelta(days=offset)
            active = [terms for terms in members if day in paid[terms.key]]
            if len(active) >= 2:
                combined.append({terms.key: paid[terms.key][day] for terms in active})
            elif active:
                key = active[0].key
                if credit.take(day):
                    credited[key].append(paid[key][day])
                else:
                    refused[key] += 1
        # The earliest placement holding overlapping days carries their full-time subsidy.
        lead = next((terms for terms in members if any(terms.key in held for held in combined)), None)
        for terms in members:
            shared = sum(1 for held in combined if terms.key in held)
            lines[terms.key].append(_part_time_month(
                terms, month, days[terms.key], credited[terms.key], refused[terms.key], credit,
                combined=combined if terms is lead else (), shared=shared if terms is not lead else 0,
                lead=lead, ris_lookup=ris_lookup))
    return lines


def _part_time_month(terms, month, days, credited, refused, credit, *, combined, shared, lead, ris_lookup):
    set_name, reasons = _base_reasons(terms, month)
    days_in_month = days_in(month)
    pay = _pay_reasons(days, days_in_month, reasons)
    paid = [day for day in days if day.paid]

    def line(amount):
        return _line(terms, month, amount, reasons, len(paid), days_in_month, pay, p.AR_PART_TIME, set_name,
                     credit_days=len(credited))

    if not paid:
        # An interruption without pay does not use the credit.
        reasons.append(Reason("no_pay"))
        return line(Decimal("0.00"))
    amount = Decimal("0.00")
    if credited:
        if terms.under_25:
            flat = p.PART_TIME_MONTHLY_UNDER_25.in_force(terms.start)
            reasons.append(Reason("part_time_under_25", {"start": terms.start, "amount": flat.value,
                                                         "source": flat.source}))
        else:
            flat = p.PART_TIME_MONTHLY.in_force(terms.start)
            reasons.append(Reason("part_time", {"amount": flat.value, "source": flat.source}))
        reasons.append(credit.reason("part_time_credit_days", len(credited)))
        if refused:
            reasons.append(Reason("part_time_credit_end", {"day": credit.ran_out_on, "refused": refused}))
        part = _prorate(flat.value, len(credited), days_in_month, reasons)
        if len(credited) == len(paid):
            part = _cap_at_pay(part, pay_of(credited, days_in_month), reasons)
        else:
            part = _cap_at_pay(part, pay_of(credited, days_in_month), reasons, days=len(credited))
        amount += part
    elif refused:
        limit = credit.months
        reasons.append(Reason("part_time_credit_exhausted", {"limit": limit.value, "source": limit.source}))
    if shared:
        reasons.append(Reason("combined_other_days", {"other": lead.key, "covered": shared,
                                                      "source": p.AR_PART_TIME}))
    if combined:
        reasons.append(Reason("combined_days", {"covered": len(combined), "source": p.AR_PART_TIME}))
        try:
            reference = full_time_reference(terms, month, ris_lookup, reasons)
        except NotInForce:
            reasons.append(Reason("no_ris", {"day": month}))
            return line(None)
        full = _prorate(reference, len(combined), days_in_month, reasons)
        # At most the gross pay (under 25: the wage cost) of every contract on those days.
        held = [day for placements in combined for day in placements.values()]
        full = _cap_full_time(terms, full, held, days_in_month, reasons)
        amount += full
    return line(amount)


def subsidy_schedule(placements, *, ris_lookup, minimum_wage_lookup):
    """Monthly subsidies of every placement of ONE person at ONE CPAS, by placement key.

    All of them are needed together: the part-time credit and the combination of two part-time
    placements are counted per (CPAS, person).
    """
    schedule = {terms.key: [] for terms in placements}
    part_time = []
    for terms in placements:
        if terms.scheme == SOCIAL_ECONOMY:
            schedule[terms.key] = _social_economy_lines(terms, minimum_wage_lookup)
        elif terms.counts_as_full_time:
            schedule[terms.key] = [_full_time_month(terms, month, ris_lookup)
                                   for month in months_between(terms.start, terms.end)]
        else:
            part_time.append(terms)
    if part_time:
        schedule.update(_part_time_lines(part_time, ris_lookup))
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


def art61_window_end(employment_start):
    """The last day the art. 61 premium may be granted for: the end of the last of the first 24 calendar
    months of the employment (circular of 21 October 2002 §4.2), the month of the start counting as the first."""
    window = p.ART61_WINDOW_MONTHS.in_force(employment_start)
    return add_months(first_of_month(employment_start), window.value) - timedelta(days=1)


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
