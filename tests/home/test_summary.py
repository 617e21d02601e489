"""The home pages count and cut in the database what the notification job reads item by item: both must agree,
for every group, caseworker and cut, and a deadline computed from its decision day falls in the right group."""

import random
from datetime import date, timedelta

import pytest

from cpas_portal import due, home
from cpas_portal.models import RightDecision
from measures.piis import due as piis_due
from tests.factories import BeneficiaryFactory

from .world import person_with_items, today, world

pytestmark = pytest.mark.django_db


def expected_bands(items, uppers):
    """The bands as the old page computed them: every item read, then grouped in Python."""
    bands = [[] for _upper in uppers]
    for item in items:
        if item.due <= uppers[-1]:
            bands[next(index for index, upper in enumerate(uppers) if item.due <= upper)].append(item.key)
    return bands


def new_income(cpas, referent, decided_on):
    """A new integration income with no PIIS: a PIIS to conclude within 3 months of ``decided_on``."""
    person = BeneficiaryFactory(cpas=cpas, referent=referent, right_type=None)
    RightDecision.objects.create(cpas=cpas, beneficiary=person, right_type="ris", category=1, start=decided_on,
                                 decided_on=decided_on)
    return person


@pytest.fixture
def crowded(cpas_a, alice):
    on = today()
    workers = [alice, *world(cpas_a, caseworker_count=3, people_each=2)]
    person_with_items(cpas_a, alice)
    rng = random.Random(7)
    for index in range(24):
        # Decisions around month ends and around the group limits, so that deadlines land on every side of them.
        decided = on - timedelta(days=rng.choice([60, 80, 85, 88, 89, 90, 91, 92, 95, 100, 120, 400, 10, 0]))
        new_income(cpas_a, workers[index % len(workers)] if index % 5 else None, decided)
    return on, workers


@pytest.mark.parametrize("shift", [0, -17, 23])
def test_the_summary_matches_every_item_read_one_by_one(cpas_a, crowded, shift):
    on = crowded[0] + timedelta(days=shift)
    uppers = home.uppers(on)
    for referent_ids in (None, [crowded[1][0].pk], [crowded[1][2].pk]):
        items = due.due_items(cpas=cpas_a, on=on, until=uppers[-1], referent_ids=referent_ids,
                              audiences={due.CASEWORKER})
        expected = expected_bands(items, uppers)
        for shown in (None, 2):
            bands = due.summary(cpas=cpas_a, on=on, uppers=uppers, referent_ids=referent_ids,
                                audiences={due.CASEWORKER}, shown=shown)[due.CASEWORKER]
            assert [band.count for band in bands] == [len(keys) for keys in expected]
            # The soonest first, in the order of the full list.
            assert [[item.key for item in band.items] for band in bands] == [keys[:shown] for keys in expected]
    assert sum(len(keys) for keys in expected) > 6


def test_the_counts_per_caseworker_match_the_items(cpas_a, crowded):
    on = crowded[0]
    uppers = home.uppers(on)
    items = due.due_items(cpas=cpas_a, on=on, until=uppers[-1], audiences={due.CASEWORKER})
    expected = {}
    for item in items:
        counts = expected.setdefault(item.referent_id, [0, 0, 0])
        counts[next(index for index, upper in enumerate(uppers) if item.due <= upper)] += 1
    _bands, per_referent = due.summary(cpas=cpas_a, on=on, uppers=uppers, audiences={due.CASEWORKER}, shown=0,
                                       by_referent=True)
    assert {referent: counts for referent, counts in per_referent.items() if any(counts)} == expected
    assert None in expected  # people without a referent are counted too


def test_the_decision_day_bounds_follow_the_three_month_rule_at_month_ends(cpas_a):
    query = piis_due.piis_to_conclude(cpas=cpas_a, on=date(2024, 1, 1), until=date(2024, 12, 31))
    [rows] = [part for part in tuple.__iter__(query) if isinstance(part, due.DueQuery)]
    for day in (date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2024, 4, 30), date(2024, 5, 31),
                date(2023, 2, 28), date(2024, 11, 30)):
        bound = rows.key_after(day)
        # Every decision day before the bound has its deadline on or before ``day``, none from the bound on.
        for offset in range(-130, 10):
            decided = day + timedelta(days=offset)
            assert (piis_due._ris_deadline_day(decided) <= day) == (decided < bound), (day, decided)
