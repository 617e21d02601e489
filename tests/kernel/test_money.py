from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpas_portal.money import eur, split_by_shares


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("1568.525", "1568.53")],
)
def test_eur_rounds_half_up_to_the_cent(value, rounded):
    assert eur(Decimal(value)) == Decimal(rounded)


def test_split_gives_the_leftover_cent_to_the_largest_share():
    assert split_by_shares(Decimal("100.00"), [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert split_by_shares(Decimal("250.00"), [60, 40]) == [Decimal("150.00"), Decimal("100.00")]


@given(
    total=st.decimals(min_value=0, max_value=10**7, places=2),
    shares=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=8),
)
def test_parts_always_add_up_to_the_total(total, shares):
    parts = split_by_shares(total, shares)
    assert sum(parts) == total
    assert all(part == eur(part) for part in parts)
