"""Invariants for any shares and amounts: splits add up; advance + balance = final amount, per partner too."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from conventions import rules
from conventions.rules import ConventionStatus, PartnerShare

cents = st.integers(min_value=0, max_value=10_000_000).map(lambda value: Decimal(value) / 100)
shares = st.lists(st.integers(min_value=1, max_value=10_000).map(lambda value: Decimal(value) / 100),
                  min_size=1, max_size=8)
days = st.dates(min_value=date(2004, 9, 23), max_value=date(2030, 12, 31))


@given(amount=cents, shares=shares)
def test_parts_add_up_to_the_amount(amount, shares):
    parts = rules.split_by_shares(amount, shares)
    assert sum(parts) == amount
    assert all(part == part.quantize(Decimal("0.01")) for part in parts)
    assert all(part >= 0 for part in parts)


def _percent_shares(weights):
    """Integer weights → percentage shares with two decimals adding up to exactly 100."""
    return rules.split_by_shares(Decimal("100"), weights)


@given(weights=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=6),
       hours=st.integers(min_value=50, max_value=400), day=days,
       outcome=st.sampled_from([ConventionStatus.COMPLETED, ConventionStatus.EMPLOYED_EARLY, ConventionStatus.STOPPED]))
def test_advance_plus_balance_is_the_final_amount(weights, hours, day, outcome):
    percents = _percent_shares(weights)
    if any(share <= 0 for share in percents):
        return
    assessment = rules.assess(planned_hours=hours, partners=[PartnerShare(False, share) for share in percents], on=day)
    assert sum(assessment.advance_parts) == assessment.advance == assessment.agreed / 2
    settlement = rules.settle(agreed=assessment.agreed, advance_parts=assessment.advance_parts, shares=percents,
                              outcome=outcome, on=day)
    assert assessment.advance + settlement.balance == settlement.final
    assert sum(settlement.final_parts) == settlement.final
    assert sum(settlement.balance_parts) == settlement.balance
    for advance, balance, final in zip(assessment.advance_parts, settlement.balance_parts, settlement.final_parts,
                                       strict=True):
        assert advance + balance == final
        assert balance >= 0
