"""Queries compiled once per process (``cpas_portal.compiled``): the kept SQL gives the rows the builder gives,
it is really kept (no compilation on later calls), and a builder a plan cannot serve — a derived value, a branch,
a list, ``None``, an empty result — is built the usual way, with the right rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cpas_portal.compiled import STAND_INS, _transform, compiled
from cpas_portal.models import Beneficiary, RightDecision
from tests.factories import BeneficiaryFactory, RightDecisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cpas_a, cpas_b, alice):
    return [BeneficiaryFactory(cpas=cpas_a, referent=alice, last_name="Dubois", birth_date=date(1980, 1, 1)),
            BeneficiaryFactory(cpas=cpas_a, last_name="Martin", birth_date=date(1990, 6, 15)),
            BeneficiaryFactory(cpas=cpas_b, last_name="Peeters", birth_date=date(2000, 12, 31))]


def test_kept_sql_gives_the_builders_rows_and_compiles_nothing_again(people, monkeypatch):
    @compiled
    def born_after(cpas_id, day):
        return Beneficiary.objects.filter(cpas_id=cpas_id, birth_date__gt=day).select_related("referent").order_by("id")

    cpas_id = people[0].cpas_id
    assert born_after(cpas_id, date(1985, 1, 1)) == [people[1]]
    calls = [0]
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    with CaptureQueriesContext(connection) as queries:
        rows = born_after(cpas_id, date(1970, 1, 1))
        other = born_after(people[2].cpas_id, date(1970, 1, 1))
    assert rows == people[:2] and other == [people[2]]
    assert rows[0].referent == people[0].referent  # read with the row (select_related), no query more
    assert len(queries) == 2
    assert calls[0] == 0, "the kept SQL is compiled again"
    assert isinstance(rows, list)


def test_values_and_annotations_come_back_converted(people):
    RightDecisionFactory(beneficiary=people[0], start=date(2024, 1, 1))
    RightDecisionFactory(beneficiary=people[0], start=date(2025, 1, 1))

    @compiled
    def decisions(beneficiary_id):
        return (RightDecision.objects.filter(beneficiary_id=beneficiary_id).order_by()
                .values("beneficiary_id").annotate(count=Count("pk")))

    count = RightDecision.objects.filter(beneficiary=people[0]).count()
    assert count >= 2
    for _round in range(2):
        assert decisions(people[0].pk) == [{"beneficiary_id": people[0].pk, "count": count}]
        assert decisions(people[2].pk + 1000) == []
    assert all(plan is not None for plan in decisions._plans.values())


def test_converters_are_looked_up_once_and_still_convert(people, monkeypatch):
    """How each column is read back (a date on SQLite, where it comes as text) is found once per plan and
    connection, then applied to every later call's rows."""
    @compiled
    def birth_dates(cpas_id):
        return Beneficiary.objects.filter(cpas_id=cpas_id).order_by("id").values_list("birth_date", flat=True)

    cpas_id = people[0].cpas_id
    assert birth_dates(cpas_id) == [date(1980, 1, 1), date(1990, 6, 15)]
    lookups = [0]
    original = SQLCompiler.get_converters

    def counted(self, expressions):
        lookups[0] += 1
        return original(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counted)
    for _round in range(3):
        assert birth_dates(cpas_id) == [date(1980, 1, 1), date(1990, 6, 15)]
        assert birth_dates(people[2].cpas_id) == [date(2000, 12, 31)]
    assert lookups[0] == 0, "the converters are looked up again on a later call"
    assert all(type(day) is date for day in birth_dates(cpas_id))


@pytest.mark.parametrize("build", [
    # A value derived from the argument: the day after.
    lambda cpas_id, day: Beneficiary.objects.filter(cpas_id=cpas_id, birth_date__gte=day + timedelta(days=1)),
    # A pattern around a text.
    lambda cpas_id, day: Beneficiary.objects.filter(last_name__icontains=str(cpas_id)[:1]),
    # A part of a value.
    lambda cpas_id, day: Beneficiary.objects.filter(cpas_id=cpas_id, birth_date__year__gte=day.year // 100 * 100),
    # A branch on the value: the two stand-ins of a number fall on either side of a million.
    lambda cpas_id, day: (Beneficiary.objects.filter(cpas_id=cpas_id) if cpas_id < 1_000_000
                          else Beneficiary.objects.filter(birth_date=day)),
    # A constant empty result.
    lambda cpas_id, day: Beneficiary.objects.filter(cpas_id=cpas_id, pk__in=[]),
], ids=["derived", "pattern", "part", "branch", "empty"])
def test_what_a_plan_cannot_serve_is_built_every_time(people, build):
    query = compiled(lambda cpas_id, day: build(cpas_id, day).order_by("id"))
    for cpas_id, day in ((people[0].cpas_id, date(1980, 1, 1)), (people[2].cpas_id, date(1999, 1, 1))):
        assert query(cpas_id, day) == list(build(cpas_id, day).order_by("id"))
    assert list(query._plans.values()) == [None]


def test_lists_and_none_are_built_the_usual_way(people, alice):
    @compiled
    def followed_by(referent_id):
        return Beneficiary.objects.filter(referent_id=referent_id).order_by("id")

    assert followed_by(alice.pk) == [people[0]]
    # None is no value of a planned kind: ``referent_id IS NULL``, not ``= NULL``.
    assert followed_by(None) == people[1:]

    @compiled
    def among(ids):
        return Beneficiary.objects.filter(pk__in=ids).order_by("id")

    assert among([people[0].pk, people[2].pk]) == [people[0], people[2]]
    assert among([people[1].pk]) == [people[1]]
    assert not among._plans


def test_a_filter_on_a_related_row_and_an_or(people, alice):
    @compiled
    def readable(cpas_id, reader_id):
        return Beneficiary.objects.filter(Q(cpas_id=cpas_id) & (Q(referent_id=reader_id) | Q(last_name="Martin")))

    assert sorted(person.pk for person in readable(people[0].cpas_id, alice.pk)) == [people[0].pk, people[1].pk]
    assert readable(people[0].cpas_id, alice.pk + 1000) == [people[1]]
    assert all(plan is not None for plan in readable._plans.values())


def test_plans_are_kept_per_language(people):
    @compiled
    def of_cpas(cpas_id):
        return Beneficiary.objects.filter(cpas_id=cpas_id).order_by("id")

    for language in ("fr", "nl"):
        with translation.override(language):
            assert of_cpas(people[2].cpas_id) == [people[2]]
    assert len(of_cpas._plans) == 2


def test_how_a_value_becomes_a_parameter():
    day, number = STAND_INS[date][0], STAND_INS[int][0]
    assert _transform(day, day) is None
    assert _transform(str(day), day) is str  # SQLite binds a day as its text
    assert _transform(number, number) is None
    assert _transform(number + 1, number) is False
    assert _transform(str(number), number) is str
    assert _transform("%stand-in value one%", STAND_INS[str][0]) is False
    # A value equal but of another kind is no match (True == 1).
    assert _transform(True, 1) is False
