"""Part-time credit in contract time, pay periods inside a month, the under-25 cap (DOMAIN.md §6; seed 001 §4.1).

Pure rules, no database; every amount is computed by hand in the comments.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpas_portal.money import eur
from cpas_portal.months import add_months
from measures import rules

from .lookups import minimum_wage_lookup, ris_lookup


def terms(key=1, **fields):
    base = {"key": key, "region": "wallonia", "start": date(2019, 7, 1), "end": date(2019, 7, 31),
            "birth_date": date(1980, 1, 1), "counts_as_full_time": True, "regime": D("1"), "scheme": "normal",
            "pay": ((date(2019, 1, 1), D("2000.00")),)}
    return rules.PlacementTerms(**{**base, **fields})


def part_time(key=1, **fields):
    return terms(key, **{"counts_as_full_time": False, "regime": D("0.5"),
                         "pay": ((date(2019, 1, 1), D("900.00")),), **fields})


def schedule(*placements):
    return rules.subsidy_schedule(list(placements), ris_lookup=ris_lookup, minimum_wage_lookup=minimum_wage_lookup)


def codes(line):
    # Every reason renders: its message has all its parameters.
    assert all(str(reason) for reason in line.reasons)
    return [reason.code for reason in line.reasons]


# 1. Part-time credit in contract time ------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "expected", "credit_days"), [
    # From 15 January: six months of contract time = 15/01 → 14/07 = 181 days.
    # January 17/31 × 500 = 274.19; February–June 500; July 14/31 × 500 = 225.81 (total 3,000.00).
    (date(2019, 1, 15), date(2019, 7, 14), ["274.19"] + ["500.00"] * 5 + ["225.81"], [17, 28, 31, 30, 31, 30, 14]),
    # The day before the credit runs out: July 13/31 × 500 = 209.68.
    (date(2019, 1, 15), date(2019, 7, 13), ["274.19"] + ["500.00"] * 5 + ["209.68"], [17, 28, 31, 30, 31, 30, 13]),
    # The day after: the 15th is beyond the credit, July stays 225.81.
    (date(2019, 1, 15), date(2019, 7, 15), ["274.19"] + ["500.00"] * 5 + ["225.81"], [17, 28, 31, 30, 31, 30, 14]),
    # Contract to the end of July: 17 July days are not subsidised.
    (date(2019, 1, 15), date(2019, 7, 31), ["274.19"] + ["500.00"] * 5 + ["225.81"], [17, 28, 31, 30, 31, 30, 14]),
    # From 15 August 2019 to 14 February 2020 (184 days): February 2020 has 29 days, 14/29 × 500 = 241.38.
    (date(2019, 8, 15), date(2020, 2, 14), ["274.19"] + ["500.00"] * 5 + ["241.38"], [17, 30, 31, 30, 31, 31, 14]),
    # From the 1st: six whole calendar months.
    (date(2019, 1, 1), date(2019, 6, 30), ["500.00"] * 6, [31, 28, 31, 30, 31, 30]),
])
def test_part_time_credit_from_a_15th_runs_six_months_of_contract_time(start, end, expected, credit_days):
    lines = schedule(part_time(start=start, end=end))[1]
    assert [line.amount for line in lines] == [D(amount) for amount in expected]
    assert [line.credit_days for line in lines] == credit_days
    assert all("part_time_credit_exhausted" not in codes(line) for line in lines)


def test_the_month_the_credit_runs_out_says_so():
    july = schedule(part_time(start=date(2019, 1, 15), end=date(2019, 7, 31)))[1][-1]
    assert (july.days_covered, july.credit_days, july.amount) == (31, 14, D("225.81"))
    end = next(reason for reason in july.reasons if reason.code == "part_time_credit_end")
    assert end.params == {"day": date(2019, 7, 14), "refused": 17}
    with translation.override("fr"):
        assert "14/07/2019" in str(end) and "17" in str(end)


def test_short_contracts_one_after_another_share_the_credit():
    # 15/01–31/03 (76 days) then 01/05–31/12: the credit from 15/01 is 181 days, 105 are left on 1 May:
    # May 31, June 30, July 31 (92), then 13 August days: 13/31 × 500 = 209.68.
    first = part_time(1, start=date(2019, 1, 15), end=date(2019, 3, 31))
    second = part_time(2, start=date(2019, 5, 1), end=date(2019, 12, 31))
    result = schedule(first, second)
    assert [line.amount for line in result[1]] == [D("274.19"), D("500.00"), D("500.00")]
    assert [line.amount for line in result[2]] == [D("500.00")] * 3 + [D("209.68")] + [D("0.00")] * 4
    assert sum(line.credit_days for placement in result.values() for line in placement) == 181
    assert "part_time_credit_exhausted" in codes(result[2][4])


@pytest.mark.parametrize(("pay_a", "pay_b", "march_a", "march_b", "april_b", "used"), [
    # A 01/03–10/03, B 20/03–30/04, never on the same day: two part-time placements.
    # March: A 10/31 × 500 = 161.29, B 12/31 × 500 = 193.55; April: B 500; credit 10 + 12 + 30 = 52 days.
    ("900", "900", "161.29", "193.55", "500.00", 52),
    # Capped at each one's pay for its days: A 300 × 10/31 = 96.77, B 200 × 12/31 = 77.42, April 200.
    ("300", "200", "96.77", "77.42", "200.00", 52),
])
def test_two_part_time_contracts_in_one_month_that_never_overlap(pay_a, pay_b, march_a, march_b, april_b, used):
    a = part_time(1, start=date(2019, 3, 1), end=date(2019, 3, 10), pay=((date(2019, 3, 1), D(pay_a)),))
    b = part_time(2, start=date(2019, 3, 20), end=date(2019, 4, 30), pay=((date(2019, 3, 20), D(pay_b)),))
    result = schedule(a, b)
    assert [line.amount for line in result[1]] == [D(march_a)]
    assert [line.amount for line in result[2]] == [D(march_b), D(april_b)]
    assert sum(line.credit_days for placement in result.values() for line in placement) == used
    assert not any(code.startswith("combined") for placement in result.values() for line in placement
                   for code in codes(line))


@pytest.mark.parametrize(("pay_a", "pay_b", "march_a", "april_b"), [
    # A 01/03–31/03, B 16/03–30/04; 16 days in common. March 2019, RIS category 3 = 1,254.82.
    # A: 15 days alone, 15/31 × 500 = 241.94, + 16 days as one full-time, 16/31 × 1254.82 = 647.65 → 889.59
    # (under the pay of both on those days: (900 + 800) × 16/31 = 877.42). B: 0 in March, 500 in April.
    ("900", "800", "889.59", "500.00"),
    # Low pays: A alone 15/31 × 500 = 241.94 capped at 400 × 15/31 = 193.55; the 16 common days
    # capped at (400 + 300) × 16/31 = 361.29 → 554.84; B in April capped at its pay, 300.
    ("400", "300", "554.84", "300.00"),
])
def test_two_overlapping_part_time_contracts_are_full_time_only_on_the_common_days(pay_a, pay_b, march_a, april_b):
    a = part_time(1, start=date(2019, 3, 1), end=date(2019, 3, 31), pay=((date(2019, 3, 1), D(pay_a)),))
    b = part_time(2, start=date(2019, 3, 16), end=date(2019, 4, 30), pay=((date(2019, 3, 16), D(pay_b)),))
    result = schedule(a, b)
    assert result[1][0].amount == D(march_a) and "combined_days" in codes(result[1][0])
    assert result[1][0].credit_days == 15
    assert (result[2][0].amount, result[2][0].credit_days) == (D("0.00"), 0)
    other = next(reason for reason in result[2][0].reasons if reason.code == "combined_other_days")
    assert other.params["covered"] == 16 and other.params["other"] == 1
    assert (result[2][1].amount, result[2][1].credit_days) == (D(april_b), 30)


def test_common_days_use_no_credit():
    # Two part-time contracts on the same six months: every day is full-time, the credit stays whole,
    # so a third contract afterwards still gets its six months.
    a = part_time(1, start=date(2019, 1, 1), end=date(2019, 6, 30))
    b = part_time(2, start=date(2019, 1, 1), end=date(2019, 6, 30))
    c = part_time(3, start=date(2019, 7, 1), end=date(2019, 12, 31))
    result = schedule(a, b, c)
    assert [line.amount for line in result[3]] == [D("500.00")] * 6
    assert all(line.credit_days == 0 for line in result[1] + result[2])


def test_social_economy_part_time_limit_counts_days_too():
    # Part-time increased subsidy from 15/01/2025, half time: limited to 15/01 → 14/07 (181 days).
    # RMMMG 2,070.48 (January), 2,111.89 from February; × 0.5 = 1,035.24 / 1,055.95.
    # January: pay 1,000 × 17/31 = 548.39, cap 1,035.24 × 17/31 = 567.74 → 548.39.
    # July: 14 days, pay 1,000 × 14/31 = 451.61, cap 1,055.95 × 14/31 = 476.88 → 451.61; August: nothing.
    lines = schedule(terms(scheme="social_economy", counts_as_full_time=False, regime=D("0.5"),
                           start=date(2025, 1, 15), end=date(2025, 8, 31),
                           pay=((date(2025, 1, 15), D("1000.00")),)))[1]
    assert [line.amount for line in lines] == [D("548.39")] + [D("1000.00")] * 5 + [D("451.61"), D("0.00")]
    assert [line.credit_days for line in lines] == [17, 28, 31, 30, 31, 30, 14, 0]
    assert "se_part_time_credit_end" in codes(lines[6]) and "social_economy_part_time_limit" in codes(lines[7])


# 2. Pay periods inside a month ---------------------------------------------------------------------

JULY = {"start": date(2019, 7, 1), "end": date(2019, 7, 31)}


@pytest.mark.parametrize(("placement", "covered", "gross_pay", "amount"), [
    # Full-time, 2,000 a month, unpaid absence from the 10th to the end of July: 9 paid days.
    # Pay 2,000 × 9/31 = 580.65; subsidy 1,254.82 × 9/31 = 364.30.
    (terms(**JULY, pay=((date(2019, 7, 1), D("2000")), (date(2019, 7, 10), D("0")))), 9, "580.65", "364.30"),
    # The day after: absence from the 11th, 10 paid days: pay 645.16, subsidy 404.78.
    (terms(**JULY, pay=((date(2019, 7, 1), D("2000")), (date(2019, 7, 11), D("0")))), 10, "645.16", "404.78"),
    # Absence from the 10th to the 19th, paid again from the 20th: 9 + 12 = 21 paid days.
    # Pay 2,000 × 21/31 = 1,354.84; subsidy 1,254.82 × 21/31 = 850.04.
    (terms(**JULY, pay=((date(2019, 7, 1), D("2000")), (date(2019, 7, 10), D("0")), (date(2019, 7, 20), D("2000")))),
     21, "1354.84", "850.04"),
    # A raise on the 10th: (1,000 × 9 + 1,200 × 22)/31 = 1,141.94, every day covered, capped at that pay.
    (terms(**JULY, pay=((date(2019, 7, 1), D("1000")), (date(2019, 7, 10), D("1200")))), 31, "1141.94", "1141.94"),
    # Part-time, 900, absence from the 10th: 9/31 × 500 = 145.16 (pay 261.29); 9 days of credit.
    (part_time(**JULY, pay=((date(2019, 7, 1), D("900")), (date(2019, 7, 10), D("0")))), 9, "261.29", "145.16"),
    # Part-time, cut from 900 to 300 on the 10th: pay (900 × 9 + 300 × 22)/31 = 474.19 < 500 → 474.19.
    (part_time(**JULY, pay=((date(2019, 7, 1), D("900")), (date(2019, 7, 10), D("300")))), 31, "474.19", "474.19"),
    # Social economy, January 2025, 1,800, absence from the 10th: pay 1,800 × 9/31 = 522.58,
    # cap RMMMG 2,070.48 × 9/31 = 601.11 → 522.58.
    (terms(scheme="social_economy", start=date(2025, 1, 1), end=date(2025, 1, 31),
           pay=((date(2025, 1, 1), D("1800")), (date(2025, 1, 10), D("0")))), 9, "522.58", "522.58"),
])
def test_unpaid_absence_and_pay_changes_inside_a_month(placement, covered, gross_pay, amount):
    line = schedule(placement)[1][0]
    assert (line.days_covered, line.gross_pay, line.amount) == (covered, D(gross_pay), D(amount))
    assert "pay_period" in codes(line) and "month_pay" in codes(line)


def test_unpaid_days_do_not_use_the_part_time_credit():
    # Absence from 10/07 to 31/07 (22 days): the credit from 01/07 (184 days) ends 22 days later, on 22/01/2020.
    placement = part_time(start=date(2019, 7, 1), end=date(2020, 1, 31),
                          pay=((date(2019, 7, 1), D("900")), (date(2019, 7, 10), D("0")), (date(2019, 8, 1), D("900"))))
    lines = schedule(placement)[1]
    # July 9/31 × 500 = 145.16; August–December 500; January 22/31 × 500 = 354.84.
    assert [line.amount for line in lines] == [D("145.16")] + [D("500.00")] * 5 + [D("354.84")]
    assert sum(line.credit_days for line in lines) == 184
    assert "unpaid_days" in codes(lines[0])


# 3. Under 25: the +25 % up to the gross wage cost --------------------------------------------------

YOUNG = date(2000, 1, 1)


@pytest.mark.parametrize(("birth_date", "pay", "amount", "code"), [
    # July 2019: 1,254.82; under 25: × 1.25 = 1,568.53.
    # No wage cost recorded: the gross pay stands for it.
    (YOUNG, (date(2019, 7, 1), D("1400")), "1400.00", "wage_cost_cap_default"),
    # A wage cost of 1,500: the increase runs up to it, above the gross pay.
    (YOUNG, (date(2019, 7, 1), D("1400"), D("1500")), "1500.00", "wage_cost_cap"),
    # A wage cost of 1,900: 1,568.53 is below it.
    (YOUNG, (date(2019, 7, 1), D("1400"), D("1900")), "1568.53", "wage_cost"),
    # Exactly at the increased amount.
    (YOUNG, (date(2019, 7, 1), D("1400"), D("1568.53")), "1568.53", "wage_cost"),
    # One cent below it.
    (YOUNG, (date(2019, 7, 1), D("1400"), D("1568.52")), "1568.52", "wage_cost_cap"),
    # Adults: no increase, capped at the gross pay; the wage cost does not matter.
    (date(1980, 1, 1), (date(2019, 7, 1), D("1400"), D("1900")), "1254.82", None),
    (date(1980, 1, 1), (date(2019, 7, 1), D("1100"), D("1900")), "1100.00", "gross_pay_cap"),
])
def test_under_25_increase_runs_up_to_the_gross_wage_cost(birth_date, pay, amount, code):
    line = schedule(terms(**JULY, birth_date=birth_date, pay=(pay,)))[1][0]
    assert line.amount == D(amount)
    if code:
        assert code in codes(line)
    assert not ({"wage_cost", "wage_cost_cap", "wage_cost_cap_default"} & set(codes(line))) or birth_date == YOUNG


def test_under_25_wage_cost_cap_follows_the_paid_days():
    # Paid from 1 to 16 July (16 days), unpaid from the 17th: 1,568.53 × 16/31 = 809.56,
    # wage cost 1,500 × 16/31 = 774.19 → 774.19.
    line = schedule(terms(**JULY, birth_date=YOUNG, pay=((date(2019, 7, 1), D("1400"), D("1500")),
                                                          (date(2019, 7, 17), D("0")))))[1][0]
    assert (line.days_covered, line.amount) == (16, D("774.19"))
    assert "wage_cost_cap" in codes(line)


def test_under_25_overlapping_part_time_days_capped_at_both_wage_costs():
    # Two half-time contracts for the whole of July 2019, under 25: one full-time, 1,568.53, capped at
    # 700 + 800 = 1,500 of wage cost (pays 600 and 650).
    a = part_time(1, **JULY, birth_date=YOUNG, pay=((date(2019, 7, 1), D("600"), D("700")),))
    b = part_time(2, **JULY, birth_date=YOUNG, pay=((date(2019, 7, 1), D("650"), D("800")),))
    assert schedule(a, b)[1][0].amount == D("1500.00")


# The invariant ---------------------------------------------------------------------------------------

contracts = st.lists(
    st.tuples(st.integers(0, 500), st.integers(0, 240),
              st.lists(st.tuples(st.integers(0, 240), st.sampled_from(["0", "250", "900"])), max_size=3),
              st.booleans()),
    min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts=contracts)
def test_part_time_credit_never_pays_more_than_six_months_of_contract_time(contracts):
    """Whatever the contracts and pay changes of one person at one CPAS, the days paid under the part-time
    credit are exactly the first six months of contract time (counted in days) of the days worked alone."""
    origin = date(2019, 1, 1)
    placements = []
    for key, (offset, length, changes, young) in enumerate(contracts):
        start = origin + timedelta(days=offset)
        end = start + timedelta(days=length)
        pay = ((start, D("900")),) + tuple((start + timedelta(days=min(at, length)), D(amount))
                                           for at, amount in changes if at)
        placements.append(part_time(key, start=start, end=end, pay=pay,
                                    birth_date=date(2000, 1, 1) if young else date(1980, 1, 1)))
    result = schedule(*placements)
    alone = []
    day = origin
    while day <= origin + timedelta(days=800):
        working = [t for t in placements if t.start <= day <= t.end and t.pay_on(day) > 0]
        if len(working) == 1:
            alone.append(day)
        day += timedelta(days=1)
    credited = sum(line.credit_days for lines in result.values() for line in lines)
    if alone:
        length = (add_months(alone[0], 6) - alone[0]).days
        assert credited == min(len(alone), length)
    else:
        assert credited == 0
    for placement in placements:
        for line in result[placement.key]:
            flat = D("625") if placement.under_25 else D("500")
            assert line.amount >= 0
            if not any(code.startswith("combined") for code in codes(line)):
                # Alone: the flat amount for the days credited, at most the gross pay of the month.
                assert line.amount <= eur(flat * line.credit_days / line.days_in_month)
                assert line.amount <= line.gross_pay
