"""Amount tables and the rules reading them: art. 61 pro rata, RMMMG by age and seniority, confirmation,
the first budget year and the conclusion date of the 2013 circular. Amounts computed by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from measures import rules
from measures.minimum_wage import MinimumWageTable

from .lookups import minimum_wage_lookup, ris_lookup


def premium(**fields):
    base = {"month": date(2024, 3, 1), "employment_start": date(2024, 1, 15), "regime": D("1"),
            "organisation_kind": "private_firm", "has_cooperation_convention": True,
            "supervision_costs": D("400"), "training_costs": D("0"), "carried_in": D("0"), "previous_grants": 0}
    return rules.art61_premium(**{**base, **fields})


# Art. 61: €250 × regime, for any regime below 1 (no "counts as full-time" here).
@pytest.mark.parametrize(("regime", "granted"), [
    (D("1.000"), D("250.00")),   # full time: the cap
    (D("0.800"), D("200.00")),   # 4/5: 250 × 0,8, although 4/5 counts as full-time under art. 60 §7
    (D("0.500"), D("125.00")),   # half time: 250 × 0,5
    (D("0.750"), D("187.50")),
])
def test_art61_pro_rata_for_any_regime_below_one(regime, granted):
    decision = premium(regime=regime)
    assert decision.granted == granted
    assert ("art61_part_time" in [reason.code for reason in decision.reasons]) is (regime < 1)


# RMMMG scales: which row a person uses ----------------------------------------------------------

@pytest.mark.parametrize(("day", "birth", "start", "amount", "band"), [
    # 2013-03: CCT 50, 20 years → 94 % of 1.501,82 = 1.411,71.
    (date(2013, 3, 1), date(1992, 6, 1), date(2013, 1, 1), D("1411.71"), (D("20.0"), 0)),
    # 2013-04: 20 years → 96 % = 1.441,75 (the day of the change); 18 years → 88 % = 1.321,60.
    (date(2013, 4, 1), date(1992, 6, 1), date(2013, 1, 1), D("1441.75"), (D("20.0"), 0)),
    (date(2013, 4, 1), date(1994, 6, 1), date(2013, 1, 1), D("1321.60"), (D("18.0"), 0)),
    # 2014: 18 years → 94 % = 1.411,71.
    (date(2014, 1, 1), date(1995, 6, 1), date(2013, 6, 1), D("1411.71"), (D("18.0"), 0)),
    # 2013: 21½ years with 6 months → 1.541,67; 21½ years with 5 months only → the 21-year 1.501,82.
    (date(2013, 7, 1), date(1991, 12, 1), date(2013, 1, 1), D("1541.67"), (D("21.5"), 6)),
    (date(2013, 7, 1), date(1991, 12, 1), date(2013, 2, 1), D("1501.82"), (D("21.0"), 0)),
    # 2015 (the day of the change): 18 years → the full 1.501,82.
    (date(2015, 1, 1), date(1996, 6, 1), date(2014, 12, 1), D("1501.82"), (D("18.0"), 0)),
    # 2020-03: 19 years with 6 months → 1.668,86 (ACV); with 5 months → 1.625,72.
    (date(2020, 3, 1), date(2000, 1, 1), date(2019, 9, 1), D("1668.86"), (D("19.0"), 6)),
    (date(2020, 3, 1), date(2000, 1, 1), date(2019, 10, 1), D("1625.72"), (D("18.0"), 0)),
    # The day before 2022-04-01: 20 years with 12 months → 1.688,03; from 2022-04-01 one amount, 1.806,16.
    (date(2022, 3, 1), date(1990, 1, 1), date(2020, 1, 1), D("1688.03"), (D("20.0"), 12)),
    (date(2022, 4, 1), date(1990, 1, 1), date(2020, 1, 1), D("1806.16"), (D("18.0"), 0)),
])
def test_minimum_wage_row_by_age_and_seniority(day, birth, start, amount, band):
    wage = minimum_wage_lookup(day, age_months=rules.age_in_months(birth, day),
                               seniority_months=rules.seniority_months(start, day))
    assert wage.amount == amount
    assert (wage.min_age, wage.min_seniority_months) == band


def test_minimum_wage_for_an_age_without_a_row_is_an_error():
    with pytest.raises(rules.NotInForce):
        minimum_wage_lookup(date(2013, 3, 1), age_months=17 * 12, seniority_months=0)


# A social-economy month in 2016, 2020 and 2023 -------------------------------------------------

def social(**fields):
    data = {"key": "p", "region": "wallonia", "start": date(2016, 1, 1), "end": date(2016, 12, 31),
            "birth_date": date(1990, 1, 1), "counts_as_full_time": True, "regime": D("1"),
            "scheme": rules.SOCIAL_ECONOMY, "pay": ((date(2016, 1, 1), D("2000.00")),), **fields}
    return rules.PlacementTerms(**data)


def month_line(terms, month):
    lines = rules.subsidy_schedule([terms], ris_lookup=ris_lookup, minimum_wage_lookup=minimum_wage_lookup)["p"]
    return next(line for line in lines if line.month == month)


@pytest.mark.parametrize(("fields", "month", "amount"), [
    # 2016-05: pay 2.000 capped at the 18+ amount 1.501,82 (6 months of seniority do not reach 19/6 at 26? they
    # do: 26 years, 4 months' seniority → the 18-year row).
    ({}, date(2016, 5, 1), D("1501.82")),
    # 2016-07 (after the index of 2016-06-01), 6 months' seniority → the 19/6 row 1.572,58.
    ({}, date(2016, 7, 1), D("1572.58")),
    # 2020-06: started 2019-01-01, 17 months → the 19/6 row 1.668,86; pay 1.650 is below it: the pay.
    ({"start": date(2019, 1, 1), "end": date(2020, 12, 31), "pay": ((date(2019, 1, 1), D("1650.00")),)},
     date(2020, 6, 1), D("1650.00")),
    # 2020-06: 20 years with 12 months → 1.688,03 caps a pay of 1.900.
    ({"start": date(2019, 1, 1), "end": date(2020, 12, 31), "pay": ((date(2019, 1, 1), D("1900.00")),)},
     date(2020, 6, 1), D("1688.03")),
    # 2023-05: one amount from 18, 1.806,16 as seeded; half time → cap 903,08; pay 1.000 → 903,08.
    ({"start": date(2023, 1, 1), "end": date(2023, 6, 30), "counts_as_full_time": False, "regime": D("0.5"),
      "pay": ((date(2023, 1, 1), D("1000.00")),)}, date(2023, 5, 1), D("903.08")),
    # 2023-02: full time, pay 1.700 is below 1.806,16: the pay.
    ({"start": date(2023, 1, 1), "end": date(2023, 6, 30), "pay": ((date(2023, 1, 1), D("1700.00")),)},
     date(2023, 2, 1), D("1700.00")),
])
def test_social_economy_month_with_the_seeded_minimum_wage(fields, month, amount):
    line = month_line(social(**fields), month)
    assert line.amount == amount


# Confirmation ----------------------------------------------------------------------------------

def test_a_month_past_the_confirmed_date_computes_with_the_last_row_marked_not_confirmed():
    table = MinimumWageTable([(date(2025, 2, 1), D("2111.89"), "test", True)], confirmed_up_to=date(2026, 2, 28))
    confirmed = table(date(2026, 2, 1), age_months=30 * 12)
    past = table(date(2026, 3, 1), age_months=30 * 12)
    assert (confirmed.amount, confirmed.confirmed) == (D("2111.89"), True)
    assert (past.amount, past.confirmed) == (D("2111.89"), False)
    terms = social(start=date(2026, 2, 1), end=date(2026, 3, 31), pay=((date(2026, 2, 1), D("2500.00")),))
    lines = rules.subsidy_schedule([terms], ris_lookup=ris_lookup, minimum_wage_lookup=table)["p"]
    codes = [[reason.code for reason in line.reasons] for line in lines]
    assert [line.amount for line in lines] == [D("2111.89"), D("2111.89")]
    assert "not_confirmed" not in codes[0] and "not_confirmed" in codes[1]


# Conclusion date of the 2013 circular -----------------------------------------------------------

@pytest.mark.parametrize(("concluded_on", "before"), [
    (date(2013, 3, 14), True),    # concluded the day before the circular, starting after it: pre-budget regime
    (date(2013, 3, 15), False),   # concluded on the day of the circular: in the budget
    (None, False),                # no conclusion date recorded: the start decides
])
def test_the_conclusion_date_decides_the_pre_budget_regime(concluded_on, before):
    terms = social(start=date(2013, 4, 1), end=date(2013, 6, 30), concluded_on=concluded_on,
                   pay=((date(2013, 4, 1), D("1400.00")),))
    assert terms.before_budget_regime is before
    line = month_line(terms, date(2013, 4, 1))
    assert line.counts_against_budget is (not before)
    assert line.amount == D("1400.00")


def test_a_contract_held_the_day_before_makes_the_social_economy_job_not_new():
    others = [(1, date(2024, 1, 1), date(2024, 6, 30)), (2, date(2023, 1, 1), date(2023, 3, 31))]
    assert rules.art60_held_before(date(2024, 7, 1), date(2024, 12, 31), others) == [1]
    assert rules.art60_held_before(date(2024, 7, 2), date(2024, 12, 31), others) == []


def test_budget_year_2013_allocates():
    result = rules.allocate_budgets(D("1000.00"), {"A": [D("100")] * 3, "B": [D("300")] * 3}, on=date(2013, 1, 1))
    assert sorted(row.amount for row in result) == [D("250.00"), D("750.00")]
