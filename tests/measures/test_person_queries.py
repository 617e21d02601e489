"""The person's file reads its placements, firm employments, conventions and hires through queries whose fixed
part (joins, totals, order) is built once per process: each call must give exactly the query built afresh for
that person, and one person's call must leave nothing in the shared part for the next."""

import pytest
from django.db.models import Count, Sum

from conventions import selectors as convention_selectors
from conventions.models import Convention
from measures import selectors as measure_selectors
from measures.interventions import selectors as intervention_selectors
from measures.interventions.models import Hire
from measures.models import FirmEmployment, Placement
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def afresh(beneficiary):
    """The queries as they were built on every call, before the fixed part was kept."""
    return {
        "placements": Placement.objects.filter(cpas_id=beneficiary.cpas_id, beneficiary=beneficiary)
        .select_related("organisation").annotate(**measure_selectors._placement_totals()).order_by("-start", "-id"),
        "employments": FirmEmployment.objects.filter(cpas_id=beneficiary.cpas_id, beneficiary=beneficiary)
        .select_related("organisation").annotate(**measure_selectors._employment_totals()).order_by("-start", "-id"),
        "conventions": Convention.objects.filter(cpas_id=beneficiary.cpas_id, beneficiary=beneficiary)
        .annotate(paid_total=convention_selectors._paid_total()).order_by("-conclusion_date", "-id"),
        "hires": Hire.objects.filter(beneficiary=beneficiary).select_related("employer")
        .annotate(payment_count=Count("payments"), payment_total=Sum("payments__amount")).order_by("-start", "-id"),
    }


def kept(beneficiary):
    return {
        "placements": measure_selectors.person_placements(beneficiary=beneficiary),
        "employments": measure_selectors.person_firm_employments(beneficiary=beneficiary),
        "conventions": convention_selectors.person_conventions(beneficiary=beneficiary),
        "hires": intervention_selectors.person_hires(beneficiary=beneficiary),
    }


def test_each_person_gets_the_query_built_afresh_for_them(cpas_a, cpas_b):
    first, second = BeneficiaryFactory(cpas=cpas_a), BeneficiaryFactory(cpas=cpas_b)
    for person in (first, second, first):
        queries = kept(person)
        for name, query in afresh(person).items():
            assert str(queries[name].query) == str(query.query), name
            assert list(queries[name]) == []
    # The shared part holds no person's condition.
    for base in (measure_selectors._person_placements(), measure_selectors._person_firm_employments(),
                 convention_selectors._person_conventions(), intervention_selectors._person_hires()):
        assert not base.query.where.children, base.model
