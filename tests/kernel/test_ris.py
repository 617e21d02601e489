"""RIS amounts (DOMAIN.md §3): the day before and the day of each change; nothing before the first row."""

from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

import pytest

from cpas_portal.dated import NotInForce
from measures.models import RisAmount
from measures.ris import ris_monthly

ROWS = import_module("measures.migrations.0002_seed_ris_amounts").ROWS
CHANGES = [
    (date.fromisoformat(day), (Decimal(c1), Decimal(c2), Decimal(c3)), verified)
    for day, c1, c2, c3, verified in ROWS
]


def test_the_migration_seeds_every_row_of_the_domain_table(db):
    assert RisAmount.objects.count() == 29
    assert RisAmount.objects.filter(verified=False).count() == 7


@pytest.mark.parametrize(("day", "amounts", "verified"), CHANGES, ids=[str(row[0]) for row in CHANGES])
def test_amount_on_the_day_of_each_change(db, day, amounts, verified):
    for category, amount in zip((1, 2, 3), amounts, strict=True):
        found = ris_monthly(category, on=day)
        assert (found.amount, found.since, found.verified) == (amount, day, verified)


@pytest.mark.parametrize("index", range(1, len(CHANGES)), ids=[str(row[0]) for row in CHANGES[1:]])
def test_amount_on_the_day_before_each_change_is_the_previous_row(db, index):
    day = CHANGES[index][0] - timedelta(days=1)
    previous_day, previous_amounts, _ = CHANGES[index - 1]
    for category in (1, 2, 3):
        found = ris_monthly(category, on=day)
        assert (found.amount, found.since) == (previous_amounts[category - 1], previous_day)


def test_seed_figures(db):
    # July 2019, category 3: the amount seed 001's art. 60 §7 full-time subsidy refers to.
    assert ris_monthly(3, on=date(2019, 7, 15)).amount == Decimal("1254.82")
    assert ris_monthly(1, on=date(2026, 11, 22)).amount == Decimal("893.65")


def test_before_the_first_row_raises(db):
    with pytest.raises(NotInForce, match="first row from 2011-09-01"):
        ris_monthly(2, on=date(2011, 8, 31))


def test_an_empty_table_raises(db):
    RisAmount.objects.all().delete()
    with pytest.raises(NotInForce, match="table is empty"):
        ris_monthly(2, on=date(2020, 1, 1))


def test_a_corrected_row_is_used_and_described(db):
    RisAmount.objects.filter(effective_date=date(2026, 3, 1)).update(category_2=Decimal("1340.48"), verified=True)
    found = ris_monthly(2, on=date(2026, 3, 1))
    assert found.amount == Decimal("1340.48")
    assert "2026-03-01" in found.describe()


def test_a_bad_category_is_refused(db):
    with pytest.raises(ValueError):
        ris_monthly(4, on=date(2020, 1, 1))
