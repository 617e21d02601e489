"""Invariants of measures/rules.py for any input the services can send (Hypothesis).

Kept general on purpose (the money rules evolve): no crash on valid terms, amounts never negative and
in cents, one line per month of the contract at most, never more days covered than the month has,
budgets that add up to the envelope, premiums within their cap and the costs given.
"""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpas_portal.months import add_months
from measures import rules
from measures.rules import PlacementTerms, RuleRefusal

from .lookups import minimum_wage_lookup, ris_lookup

CENT = Decimal("0.01")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
starts = st.dates(min_value=date(2002, 10, 1), max_value=date(2030, 12, 31))
regimes = st.sampled_from([Decimal("1.000"), Decimal("0.800"), Decimal("0.750"), Decimal("0.500"), Decimal("0.250")])
pays = st.integers(min_value=0, max_value=600_000).map(lambda cents: Decimal(cents) / 100)


@st.composite
def placement_terms(draw, key):
    start = draw(starts)
    months = draw(st.integers(min_value=0, max_value=41))
    end = add_months(start, months) + timedelta(days=draw(st.integers(min_value=-27, max_value=27)))
    end = max(end, start)
    regime = draw(regimes)
    full_time = True if regime == 1 else draw(st.booleans())
    scheme = draw(st.sampled_from([rules.NORMAL, rules.SOCIAL_ECONOMY]))
    changes = draw(st.lists(st.tuples(st.integers(min_value=1, max_value=(end - start).days or 1), pays), max_size=3))
    pay = ((start, draw(pays)), *((start + timedelta(days=offset), amount) for offset, amount in changes))
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=start - timedelta(days=16 * 365)))
    return PlacementTerms(key=key, region=draw(st.sampled_from(["wallonia", "flanders", "brussels"])), start=start,
                          end=end, birth_date=birth, counts_as_full_time=full_time, regime=regime, scheme=scheme,
                          pay=tuple(dict(pay).items()))


people = st.integers(min_value=1, max_value=3).flatmap(
    lambda count: st.tuples(*[placement_terms(key) for key in range(count)]))


@FAST
@given(placements=people)
def test_a_schedule_never_crashes_and_its_amounts_are_never_negative(placements):
    schedule = rules.subsidy_schedule(list(placements), ris_lookup=ris_lookup, minimum_wage_lookup=minimum_wage_lookup)
    assert set(schedule) == {terms.key for terms in placements}
    for terms in placements:
        lines = schedule[terms.key]
        months = [line.month for line in lines]
        assert len(months) == len(set(months)), "one line per month"
        assert set(months) <= set(rules.months_between(terms.start, terms.end))
        for line in lines:
            assert 0 <= line.days_covered <= line.days_in_month
            if line.amount is not None:
                assert line.amount >= 0 and line.amount == line.amount.quantize(CENT)
            assert line.reasons, "every amount says why"


@FAST
@given(start=starts, offset=st.integers(min_value=-3, max_value=40), regime=regimes,
       supervision=pays, training=pays, carried_in=pays, previous=st.integers(min_value=0, max_value=20))
def test_an_art61_premium_stays_within_its_cap_and_the_costs(start, offset, regime, supervision,
                                                             training, carried_in, previous):
    month = add_months(start.replace(day=1), offset)
    try:
        decision = rules.art61_premium(
            month=month, employment_start=start, regime=regime,
            organisation_kind=rules.PRIVATE_FIRM, has_cooperation_convention=True, supervision_costs=supervision,
            training_costs=training, carried_in=carried_in, previous_grants=previous)
    except RuleRefusal:
        return
    assert 0 < decision.granted <= supervision + training + carried_in
    assert decision.carried_over >= 0
    assert decision.granted + decision.carried_over <= supervision + training + carried_in
    assert decision.grant_number == previous + 1


@FAST
@given(envelope=st.integers(min_value=0, max_value=10**11).map(lambda cents: Decimal(cents) / 100),
       reimbursed=st.dictionaries(st.integers(min_value=1, max_value=600),
                                  st.lists(pays, min_size=3, max_size=3), min_size=1, max_size=30),
       year=st.integers(min_value=2013, max_value=2040))
def test_budgets_add_up_to_the_envelope_and_are_never_negative(envelope, reimbursed, year):
    if sum(sum(amounts) for amounts in reimbursed.values()) <= 0:
        return
    budgets = rules.allocate_budgets(envelope, reimbursed, on=date(year, 12, 31))
    assert sum(budget.amount for budget in budgets) == envelope
    assert all(budget.amount >= 0 and budget.amount == budget.amount.quantize(CENT) for budget in budgets)


@FAST
@given(granted=pays, committed=pays, requested=pays, cpas_created=st.booleans(), day=starts)
def test_a_budget_overrun_is_never_negative(granted, committed, requested, cpas_created, day):
    if day < date(2013, 1, 1):
        return
    for check in rules.budget_checks(year=day.year, granted=granted, committed=committed, requested=requested,
                                     created_by_cpas=cpas_created, committed_cpas_created=committed, on=day):
        assert check.overrun >= 0 and check.limit <= check.granted
