from datetime import date
from decimal import Decimal

import pytest

from cpas_portal.dated import REPEALED, Dated, NotInForce

TIER = Dated(
    name="coaching amount",
    source="AR 23/09/2004 art. 3",
    steps=(
        (date(2004, 10, 1), Decimal("250.00")),
        (date(2012, 11, 4), Decimal("500.00"), "AR 08/10/2012"),
        (date(2030, 1, 1), REPEALED),
    ),
)


@pytest.mark.parametrize(
    ("day", "value", "source"),
    [
        (date(2004, 10, 1), Decimal("250.00"), "AR 23/09/2004 art. 3"),
        (date(2012, 11, 3), Decimal("250.00"), "AR 23/09/2004 art. 3"),
        (date(2012, 11, 4), Decimal("500.00"), "AR 08/10/2012"),
        (date(2029, 12, 31), Decimal("500.00"), "AR 08/10/2012"),
    ],
)
def test_value_and_source_in_force(day, value, source):
    found = TIER.in_force(day)
    assert (found.value, found.source) == (value, source)
    assert TIER.at(day) == value


@pytest.mark.parametrize("day", [date(2004, 9, 30), date(2030, 1, 1), date(2031, 5, 5)])
def test_no_value_before_the_first_date_or_after_a_repeal(day):
    with pytest.raises(NotInForce, match="coaching amount: no value in force"):
        TIER.at(day)


def test_two_values_on_one_day_are_refused():
    with pytest.raises(ValueError):
        Dated(name="x", source="s", steps=((date(2020, 1, 1), 1), (date(2020, 1, 1), 2)))
