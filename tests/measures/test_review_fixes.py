"""Placements keep their person and their budget; budget years are bounded; relation filters reveal nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import MonthlySubsidy
from tests.factories import BeneficiaryFactory

from .factories import placement

pytestmark = pytest.mark.django_db


def test_an_approved_placement_keeps_its_person(alice, cpas_a):
    approved = services.placement_approve(acting_user=alice, placement=placement(alice, cpas=cpas_a))
    with pytest.raises(ValidationError) as error:
        services.placement_update(acting_user=alice, placement=approved, beneficiary=BeneficiaryFactory(cpas=cpas_a))
    assert "beneficiary" in error.value.message_dict


def test_a_draft_moved_to_another_person_moves_its_months(alice, cpas_a):
    draft = placement(alice, cpas=cpas_a)
    other = BeneficiaryFactory(cpas=cpas_a)
    services.placement_update(acting_user=alice, placement=draft, beneficiary=other)
    assert set(MonthlySubsidy.objects.filter(placement=draft).values_list("beneficiary", flat=True)) == {other.pk}


def test_a_contract_cannot_end_after_its_planned_end(alice, cpas_a):
    approved = services.placement_approve(acting_user=alice, placement=placement(alice, cpas=cpas_a))
    with pytest.raises(ValidationError) as error:
        services.placement_end(acting_user=alice, placement=approved, actual_end=date(2028, 12, 31))
    assert "actual_end" in error.value.message_dict
    assert MonthlySubsidy.objects.filter(placement=approved, month__gte=date(2020, 1, 1)).count() == 0


@pytest.mark.parametrize("year", [2012, 10000, 99999])
def test_budget_pages_of_impossible_years_are_404_and_400(client_for, api_client_for, alice, year):
    assert client_for(alice).get(f"/budgets/{year}/").status_code == 404
    response = api_client_for(alice).get(f"/api/v1/social-economy-budgets/overview/?year={year}")
    assert response.status_code == 400 and "year" in response.json()
    assert api_client_for(alice).get("/api/v1/social-economy-budgets/overview/?year=abc").status_code == 400


def test_filtering_by_another_cpas_id_looks_like_filtering_by_no_id(api_client_for, alice, charlie, cpas_b):
    placement_b = placement(charlie, cpas=cpas_b, gross_monthly_pay=Decimal("1800.00"))
    api = api_client_for(alice)
    other = api.get(f"/api/v1/monthly-subsidies/?placement={placement_b.pk}")
    missing = api.get("/api/v1/monthly-subsidies/?placement=999999")
    assert other.status_code == missing.status_code == 200
    assert other.json()["count"] == missing.json()["count"] == 0
