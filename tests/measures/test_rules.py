"""Rule tables of art. 60 §7 (seed 001 §4.1, seed 004) and art. 61 (seed 001 §4.2), pure: no database."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures import rules

from .lookups import minimum_wage_lookup, ris_lookup


def terms(key=1, **fields):
    base = {"key": key, "region": "wallonia", "start": date(2019, 7, 1), "end": date(2019, 7, 31),
            "birth_date": date(1980, 1, 1), "counts_as_full_time": True, "regime": D("1"), "scheme": "normal",
            "pay": ((date(2019, 7, 1), D("2000.00")),)}
    return rules.PlacementTerms(**{**base, **fields})


def schedule(*placements):
    return rules.subsidy_schedule(list(placements), ris_lookup=ris_lookup, minimum_wage_lookup=minimum_wage_lookup)


def amounts(*placements, key=1):
    return [line.amount for line in schedule(*placements)[key]]


def codes(line):
    return [reason.code for reason in line.reasons]


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, D("1254.82")),  # full-time adult, July 2019: category-3 RIS
    ({"pay": ((date(2019, 7, 1), D("1100.00")),)}, D("1100.00")),  # never above the gross pay
    ({"birth_date": date(1995, 1, 1)}, D("1568.53")),  # under 25: 1254.82 × 1.25 = 1568.525 → 1568.53
    ({"birth_date": date(1994, 7, 1)}, D("1254.82")),  # 25 on the day of the start: no increase
    ({"birth_date": date(1994, 7, 2)}, D("1568.53")),  # 25 the day after the start: increase
    ({"counts_as_full_time": True, "regime": D("0.8")}, D("1254.82")),  # 4/5 opening full rights = full-time
])
def test_full_time_july_2019(fields, expected):
    assert amounts(terms(**fields)) == [expected]


@pytest.mark.parametrize(("month", "expected"), [
    # the day before and the day of each category-3 change around the cases of the issue
    (date(2018, 8, 31), D("1230.27")), (date(2018, 9, 1), D("1254.82")),
    (date(2019, 12, 31), D("1254.82")), (date(2020, 1, 1), D("1270.51")),
    (date(2020, 2, 29), D("1270.51")), (date(2020, 3, 1), D("1295.91")),
    (date(2022, 12, 31), D("1600.03")), (date(2023, 1, 1), D("1640.83")),
])
def test_full_time_follows_the_ris_of_the_month(month, expected):
    line = schedule(terms(start=rules.first_of_month(month), end=rules.last_of_month(month),
                          pay=((date(2010, 1, 1), D("3000")),)))[1][0]
    assert line.amount == expected


def test_before_the_first_ris_row_the_month_is_an_explicit_error():
    line = schedule(terms(start=date(2011, 8, 1), end=date(2011, 9, 30), pay=((date(2011, 8, 1), D("2000")),)))[1]
    assert line[0].amount is None and "no_ris" in codes(line[0])
    assert line[1].amount == D("1026.91")


def test_turning_25_during_the_contract_keeps_the_increase():
    lines = schedule(terms(birth_date=date(1994, 9, 15), start=date(2019, 7, 1), end=date(2019, 12, 31),
                           pay=((date(2019, 7, 1), D("3000")),)))[1]
    assert [line.amount for line in lines] == [D("1568.53")] * 6


def test_incomplete_first_month_is_prorated_then_capped():
    line = schedule(terms(start=date(2019, 7, 16)))[1][0]
    # 1254.82 × 16 / 31 = 647.649… → 647.65; pay for 16 days 2000 × 16/31 = 1032.26 is higher.
    assert (line.amount, line.days_covered, line.days_in_month) == (D("647.65"), 16, 31)
    assert "prorated" in codes(line) and any(reason.interpretation for reason in line.reasons)


def test_incomplete_month_capped_at_the_pay_for_those_days():
    line = schedule(terms(start=date(2019, 7, 16), pay=((date(2019, 7, 16), D("1000.00")),)))[1][0]
    assert line.amount == D("516.13")  # 1000 × 16 / 31


def part_time(key=1, **fields):
    return terms(key=key, **{"counts_as_full_time": False, "regime": D("0.5"),
                             "pay": ((date(2019, 1, 1), D("900.00")),), **fields})


def test_part_time_credit_of_six_months_then_zero_with_the_reason():
    lines = schedule(part_time(start=date(2019, 7, 1), end=date(2020, 1, 31)))[1]
    assert [line.amount for line in lines] == [D("500.00")] * 6 + [D("0.00")]
    assert "part_time_credit_exhausted" in codes(lines[6])


def test_part_time_under_25():
    assert amounts(part_time(birth_date=date(2000, 1, 1))) == [D("625.00")]


def test_part_time_capped_at_gross_pay():
    assert amounts(part_time(pay=((date(2019, 1, 1), D("450.00")),))) == [D("450.00")]


def test_interruption_without_pay_does_not_use_the_credit():
    placement = part_time(start=date(2019, 7, 1), end=date(2020, 1, 31),
                          pay=((date(2019, 7, 1), D("900")), (date(2019, 9, 1), D("0")), (date(2019, 10, 1), D("900"))))
    # Six months of contract time from 1 July = 184 days; July, August, October–December are 154 of them,
    # so January gets the last 30: 500 × 30 / 31 = 483.87.
    assert amounts(placement) == [D("500.00"), D("500.00"), D("0.00")] + [D("500.00")] * 3 + [D("483.87")]


def test_second_part_time_at_the_same_cpas_uses_the_same_credit():
    first = part_time(1, start=date(2019, 1, 1), end=date(2019, 4, 30))
    second = part_time(2, start=date(2019, 9, 1), end=date(2019, 12, 31))
    result = schedule(first, second)
    assert [line.amount for line in result[1]] == [D("500.00")] * 4
    assert [line.amount for line in result[2]] == [D("500.00")] * 2 + [D("0.00")] * 2


def test_part_time_at_another_cpas_opens_a_new_credit():
    # The credit is counted per (CPAS, person): the other CPAS's placements are not in the schedule.
    earlier_elsewhere = schedule(part_time(1, start=date(2019, 1, 1), end=date(2019, 6, 30)))[1]
    here = schedule(part_time(2, start=date(2019, 9, 1), end=date(2019, 12, 31)))[2]
    assert [line.amount for line in earlier_elsewhere] == [D("500.00")] * 6
    assert [line.amount for line in here] == [D("500.00")] * 4


def test_two_part_time_placements_at_once_are_subsidised_as_one_full_time():
    result = schedule(part_time(1, start=date(2019, 7, 1), end=date(2019, 7, 31)),
                      part_time(2, start=date(2019, 7, 1), end=date(2019, 7, 31)))
    # One full-time subsidy (1254.82), capped at both gross pays (900 + 900).
    assert result[1][0].amount == D("1254.82") and "combined_days" in codes(result[1][0])
    assert result[2][0].amount == D("0.00") and "combined_other_days" in codes(result[2][0])


def social(**fields):
    return terms(**{"scheme": "social_economy", "start": date(2025, 1, 1), "end": date(2025, 3, 31),
                    "pay": ((date(2000, 1, 1), D("2500.00")),), **fields})


def test_social_economy_gross_pay_capped_at_the_minimum_wage_of_the_month():
    # Day before and day of the 2025-02-01 indexation of the RMMMG.
    assert amounts(social()) == [D("2070.48"), D("2111.89"), D("2111.89")]


def test_social_economy_below_the_cap_is_the_gross_pay():
    assert amounts(social(pay=((date(2000, 1, 1), D("1800.00")),))) == [D("1800.00")] * 3


def test_social_economy_part_time_proportional_and_six_months():
    lines = schedule(social(counts_as_full_time=False, regime=D("0.5"), end=date(2025, 7, 31)))[1]
    # January: 2070.48 / 2; from February: 2111.89 / 2 = 1055.945 → 1055.95.
    assert [line.amount for line in lines] == [D("1035.24")] + [D("1055.95")] * 5 + [D("0.00")]
    assert "social_economy_part_time_limit" in codes(lines[6])


def test_social_economy_month_without_minimum_wage_is_an_error_not_zero():
    # The table starts on 2013-01-01 (the first scale seeded): December 2012 has no amount.
    lines = schedule(social(start=date(2012, 12, 1), end=date(2013, 1, 31)))[1]
    assert lines[0].amount is None and "no_minimum_wage" in codes(lines[0])
    assert lines[1].amount == D("1501.82")


@pytest.mark.parametrize(("start", "in_budget"), [(date(2013, 3, 14), False), (date(2013, 3, 15), True)])
def test_contracts_before_the_2013_circular_stay_outside_the_budget(start, in_budget):
    line = schedule(social(start=start, end=start))[1][0]
    assert line.counts_against_budget is in_budget


# Art. 61 -------------------------------------------------------------------------------------------

def premium(**fields):
    base = {"month": date(2024, 1, 1), "employment_start": date(2024, 1, 1), "regime": D("1"),
            "organisation_kind": "private_firm", "has_cooperation_convention": True,
            "supervision_costs": D("300"), "training_costs": D("0"), "carried_in": D("0"), "previous_grants": 0}
    return rules.art61_premium(**{**base, **fields})


def test_art61_full_time_cap():
    decision = premium()
    assert (decision.granted, decision.carried_over, decision.grant_number) == (D("250.00"), D("0.00"), 1)


def test_art61_part_time_pro_rata():
    assert premium(regime=D("0.5")).granted == D("125.00")


def test_art61_twelfth_grant_allowed_thirteenth_refused():
    assert premium(previous_grants=11).grant_number == 12
    with pytest.raises(rules.RuleRefusal, match="12"):
        premium(previous_grants=12)


@pytest.mark.parametrize(("month", "allowed"), [(date(2025, 12, 1), True), (date(2026, 1, 1), False)])
def test_art61_month_24_allowed_month_25_refused(month, allowed):
    if allowed:
        assert premium(month=month).granted == D("250.00")
    else:
        with pytest.raises(rules.RuleRefusal, match="25"):
            premium(month=month)


def test_art61_training_costs_carried_over():
    first = premium(supervision_costs=D("0"), training_costs=D("600"))
    assert (first.granted, first.carried_over) == (D("250.00"), D("350.00"))
    second = premium(month=date(2024, 2, 1), supervision_costs=D("0"), carried_in=first.carried_over,
                     previous_grants=1)
    third = premium(month=date(2024, 3, 1), supervision_costs=D("0"), carried_in=second.carried_over,
                    previous_grants=2)
    assert (second.granted, second.carried_over, third.granted, third.carried_over) == (
        D("250.00"), D("100.00"), D("100.00"), D("0.00"))


def test_art61_supervision_costs_are_not_carried_over():
    decision = premium(supervision_costs=D("400"), training_costs=D("0"))
    assert decision.carried_over == D("0.00") and "art61_lost" in [reason.code for reason in decision.reasons]


@pytest.mark.parametrize("kind", ["non_profit", "social_economy", None])
def test_art61_only_for_a_private_firm(kind):
    with pytest.raises(rules.RuleRefusal):
        premium(organisation_kind=kind)


def test_art61_needs_a_cooperation_convention():
    with pytest.raises(rules.RuleRefusal):
        premium(has_cooperation_convention=False)


@given(supervision=st.decimals(0, 2000, places=2), training=st.decimals(0, 2000, places=2),
       carried=st.decimals(0, 2000, places=2))
def test_art61_granted_never_above_the_cap_and_costs_are_kept(supervision, training, carried):
    if supervision + training + carried == 0:
        return
    decision = premium(supervision_costs=supervision, training_costs=training, carried_in=carried)
    assert D("0") < decision.granted <= D("250.00")
    assert decision.granted + decision.carried_over <= supervision + training + carried


# Allocation ----------------------------------------------------------------------------------------

def test_allocation_hand_checked_three_cpas():
    # Averages 100, 200, 300 (sum 600) of an envelope of 1000.00: 166.666… 333.333… 500.
    result = rules.allocate_budgets(D("1000.00"), {"A": [D("100")] * 3, "B": [D("200")] * 3, "C": [D("300")] * 3},
                                    on=date(2025, 1, 1))
    assert {row.key: row.amount for row in result} == {"A": D("166.67"), "B": D("333.33"), "C": D("500.00")}
    assert [row.average for row in result] == [D("100.00"), D("200.00"), D("300.00")]


def test_allocation_averages_the_three_years():
    result = rules.allocate_budgets(D("900.00"), {"A": [D("0"), D("0"), D("300")], "B": [D("200")] * 3},
                                    on=date(2025, 1, 1))
    assert {row.key: row.amount for row in result} == {"A": D("300.00"), "B": D("600.00")}


@given(envelope=st.decimals(0, 10**9, places=2),
       amounts=st.lists(st.lists(st.decimals(0, 10**7, places=2), min_size=3, max_size=3), min_size=1, max_size=40))
def test_allocation_adds_up_to_the_envelope_to_the_cent(envelope, amounts):
    if all(sum(row) == 0 for row in amounts):
        return
    result = rules.allocate_budgets(envelope, dict(enumerate(amounts)), on=date(2025, 1, 1))
    assert sum(row.amount for row in result) == envelope
    assert all(row.amount >= 0 for row in result)


# Budget checks -------------------------------------------------------------------------------------

def test_budget_check_overrun_and_quarter():
    checks = rules.budget_checks(year=2025, granted=D("10000"), committed=D("8000"), requested=D("2500"),
                                 created_by_cpas=True, committed_cpas_created=D("2000"), on=date(2025, 1, 1))
    assert [check.overrun for check in checks] == [D("500"), D("2000.00")]


def test_status_pipeline():
    assert rules.ALLOWED_TRANSITIONS["draft"] == {"approved", "cancelled"}
    assert rules.ALLOWED_TRANSITIONS["ended"] == set()
