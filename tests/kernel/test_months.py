from datetime import date

import pytest

from cpas_portal.months import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 5, 31), -3, date(2026, 2, 28)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2026, 7, 1), 24, date(2028, 7, 1)),
    ],
)
def test_add_months_keeps_the_day_or_the_last_one(day, months, expected):
    assert add_months(day, months) == expected
