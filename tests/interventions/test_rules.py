"""The pure rules: the month's amount, the 24 months of an intérim d'insertion, the forbidden combination."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpas_portal.dated import NotInForce
from measures.interventions import parameters, rules

D = Decimal
RATE = D("500.00")  # a test amount: the seeds give none


def amount(month, *, start=date(2025, 1, 1), end=None, regime="1", net="9999.00", absence=False):
    return rules.month_amount(programme=rules.ACTIVA, month=month, full_time_amount=RATE,
                              rate_since=date(2020, 1, 1), rate_source="test", regime=D(regime), start=start,
                              end=end, net_pay_due=D(net), unpaid_absence=absence)


@pytest.mark.parametrize(("month", "start", "end", "regime", "net", "absence", "expected", "capped"), [
    # A full month, full time: the row's amount; the net pay does not limit a complete month.
    (date(2025, 3, 1), date(2025, 1, 1), None, "1", "300.00", False, "500.00", False),
    # Half time: half the amount.
    (date(2025, 3, 1), date(2025, 1, 1), None, "0.5", "900.00", False, "250.00", False),
    # Started on 17 March: 15 of 31 days pro rata = 241.94, under the net pay.
    (date(2025, 3, 1), date(2025, 3, 17), None, "1", "900.00", False, "241.94", False),
    # The same incomplete month with a net pay of 200: capped at the net pay due.
    (date(2025, 3, 1), date(2025, 3, 17), None, "1", "200.00", False, "200.00", True),
    # Ended on 14 February (28 days): 14/28 of 500 = 250, capped at 180.
    (date(2025, 2, 1), date(2025, 1, 1), date(2025, 2, 14), "1", "180.00", False, "180.00", True),
    # A complete month with an unpaid absence on the payslip is incomplete: capped.
    (date(2025, 4, 1), date(2025, 1, 1), None, "1", "320.55", True, "320.55", True),
    # The last day of the month only: 1/30.
    (date(2025, 4, 1), date(2025, 4, 30), None, "1", "900.00", False, "16.67", False),
])
def test_month_amount(month, start, end, regime, net, absence, expected, capped):
    result = amount(month, start=start, end=end, regime=regime, net=net, absence=absence)
    assert result.amount == D(expected)
    assert result.capped is capped
    assert ("net_pay_cap" in {reason["code"] for reason in result.reasons}) is capped


def test_the_reasons_name_the_row_used():
    result = amount(date(2025, 3, 1))
    assert result.reasons[0] == {"code": "rate", "amount": "500.00", "since": "2020-01-01", "source": "test",
                                 "regime": "1"}


@pytest.mark.parametrize(("first_day", "last_day"), [
    (date(2024, 3, 1), date(2026, 2, 28)),
    (date(2024, 1, 15), date(2026, 1, 14)),
    (date(2023, 3, 31), date(2025, 3, 30)),
    (date(2022, 12, 31), date(2024, 12, 30)),
    # The first day the decrees apply, and the day before.
    (parameters.LAW_IN_FORCE, date(2004, 9, 30)),
])
def test_interim_last_day(first_day, last_day):
    assert rules.interim_last_day(first_day) == last_day


def test_interim_limit_before_the_decrees_is_not_in_force():
    with pytest.raises(NotInForce):
        rules.interim_last_day(date(2002, 9, 30))


def job(key, programme, start, end, regime):
    return rules.Job(key=key, programme=programme, start=start, end=end, regime=D(regime))


@pytest.mark.parametrize(("new", "other", "forbidden"), [
    # Half-time Activa and half-time PTP at the same time: the circular's own example.
    (job(1, "activa", date(2025, 1, 1), date(2025, 6, 30), "0.5"),
     job(2, "ptp", date(2025, 3, 1), None, "0.5"), True),
    # The same, one day apart: allowed.
    (job(1, "activa", date(2025, 1, 1), date(2025, 2, 28), "0.5"),
     job(2, "ptp", date(2025, 3, 1), None, "0.5"), False),
    # Touching on one day: forbidden.
    (job(1, "activa", date(2025, 1, 1), date(2025, 3, 1), "0.5"),
     job(2, "sine", date(2025, 3, 1), date(2025, 3, 31), "0.5"), True),
    # Two part-time jobs in the same programme: not this rule.
    (job(1, "activa", date(2025, 1, 1), None, "0.5"), job(2, "activa", date(2025, 1, 1), None, "0.5"), False),
    # A full-time job is not a part-time combination.
    (job(1, "activa", date(2025, 1, 1), None, "1"), job(2, "ptp", date(2025, 1, 1), None, "0.5"), False),
    (job(1, "interim", date(2025, 1, 1), None, "0.5"), job(2, "sine", date(2024, 1, 1), None, "1"), False),
])
def test_forbidden_combination(new, other, forbidden):
    assert (rules.forbidden_combination(new, [other]) == other) is forbidden


def test_a_hire_never_conflicts_with_itself():
    one = job(1, "activa", date(2025, 1, 1), None, "0.5")
    assert rules.forbidden_combination(one, [one]) is None


@given(start_day=st.integers(1, 28), regime=st.decimals("0.1", "1", places=3), net=st.decimals("0", "3000", places=2))
def test_the_amount_never_exceeds_the_rate_nor_an_incomplete_month_its_net_pay(start_day, regime, net):
    result = amount(date(2025, 2, 1), start=date(2025, 2, start_day), regime=str(regime), net=str(net))
    assert D(0) <= result.amount <= RATE * regime + D("0.005")
    if result.incomplete:
        assert result.amount <= net
