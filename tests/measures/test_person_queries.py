"""The person's file reads its placements, firm employments, conventions, hires, PIIS and claim lines through
queries compiled once per process (``cpas_portal.compiled``): each call must give exactly the rows of the
queryset built afresh for that person, with every annotation, and one person's call must leave nothing for the
next."""

from datetime import date

import pytest
from django.db.models import Count, Sum

from conventions import selectors as convention_selectors
from conventions.models import Convention
from cpas_portal.models import Role
from measures import selectors as measure_selectors
from measures.interventions import selectors as intervention_selectors
from measures.interventions.models import Hire
from measures.models import FirmEmployment, Placement
from measures.piis import selectors as piis_selectors
from measures.piis.models import Piis
from tests.conventions.factories import coaching_partner, make_convention, partner
from tests.factories import BeneficiaryFactory, member
from tests.measures.factories import placement

pytestmark = pytest.mark.django_db


def afresh(beneficiary):
    """The rows as the querysets built on every call give them."""
    return {
        "placements": Placement.objects.filter(cpas_id=beneficiary.cpas_id, beneficiary=beneficiary)
        .select_related("organisation").annotate(**measure_selectors._placement_totals()).order_by("-start", "-id"),
        "employments": FirmEmployment.objects.filter(cpas_id=beneficiary.cpas_id, beneficiary=beneficiary)
        .select_related("organisation").annotate(**measure_selectors._employment_totals()).order_by("-start", "-id"),
        "conventions": Convention.objects.filter(cpas_id=beneficiary.cpas_id, beneficiary=beneficiary)
        .annotate(paid_total=convention_selectors._paid_total()).order_by("-conclusion_date", "-id"),
        "hires": Hire.objects.filter(beneficiary=beneficiary).select_related("employer")
        .annotate(payment_count=Count("payments"), payment_total=Sum("payments__amount")).order_by("-start", "-id"),
        "piis": Piis.objects.filter(beneficiary=beneficiary, cpas_id=beneficiary.cpas_id).order_by("-start", "-id"),
    }


def kept(beneficiary):
    return {
        "placements": measure_selectors.person_placements(beneficiary=beneficiary),
        "employments": measure_selectors.person_firm_employments(beneficiary=beneficiary),
        "conventions": convention_selectors.person_conventions(beneficiary=beneficiary),
        "hires": intervention_selectors.person_hires(beneficiary=beneficiary),
        "piis": piis_selectors.person_piis(beneficiary=beneficiary),
    }


def fields(row):
    """What a row carries: its columns, its annotations and what was read with it (not its state)."""
    return {name: value for name, value in vars(row).items() if name not in ("_state", "_prefetched_objects_cache")}


def test_each_person_gets_the_rows_read_afresh_for_them(cpas_a, cpas_b):
    caseworker_a, caseworker_b = member(cpas_a, Role.CASEWORKER), member(cpas_b, Role.CASEWORKER)
    first, second = BeneficiaryFactory(cpas=cpas_a), BeneficiaryFactory(cpas=cpas_b)
    placement(caseworker_a, cpas=cpas_a, beneficiary=first)
    placement(caseworker_a, cpas=cpas_a, beneficiary=first, start=date(2021, 2, 1), planned_end=date(2021, 7, 31))
    placement(caseworker_b, cpas=cpas_b, beneficiary=second)
    make_convention(user=caseworker_a, beneficiary=first, partners=[partner(coaching_partner(cpas_a))], sign=True)
    seen = 0
    for person in (first, second, first, second):
        rows = kept(person)
        assert all(isinstance(found, list) for found in rows.values())
        for name, query in afresh(person).items():
            expected = list(query)
            assert [fields(row) for row in rows[name]] == [fields(row) for row in expected], name
            seen += len(expected)
    # The totals are read: two placements of the first person with their subsidy months, one of the second.
    assert seen == 2 * (2 + 1 + 1)
    assert all(hasattr(row, "subsidy_total") for row in measure_selectors.person_placements(beneficiary=first))


def test_the_queries_are_served_by_plans(cpas_a):
    """The builders are of the kind a plan serves: a regression (a derived value, a branch) would quietly make
    them compile on every call again."""
    person = BeneficiaryFactory(cpas=cpas_a)
    kept(person)
    for query in (measure_selectors._placements_of, measure_selectors._firm_employments_of,
                  convention_selectors._conventions_of, intervention_selectors._hires_of, piis_selectors._piis_of):
        assert query._plans and all(plan is not None for plan in query._plans.values()), query.__name__
