"""API operations the pages offer: placement end and cancel, pay periods, the budget allocation (administrators
only), each with its tenancy 404 (Charlie of CPAS B) and role 403 (auditor, or a CPAS role for the allocation)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from cpas_portal.models import Role
from measures import services
from measures.models import MonthlySubsidy, PlacementStatus, SocialEconomyBudget
from tests.factories import member

from .factories import budget, placement

pytestmark = pytest.mark.django_db

CSV = "nis_code;year;amount\n92094;2023;100\n92094;2024;100\n92094;2025;100\n44021;2025;600"


@pytest.fixture
def approved_a(alice, cpas_a, beneficiary_a):
    return services.placement_approve(acting_user=alice, placement=placement(alice, cpas=cpas_a,
                                                                             beneficiary=beneficiary_a))


@pytest.fixture
def draft_a(alice, cpas_a):
    return placement(alice, cpas=cpas_a)


def test_end_a_placement(api_client_for, alice, approved_a):
    response = api_client_for(alice).post(f"/api/v1/placements/{approved_a.pk}/end/", {"actual_end": "2019-09-15"},
                                          format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ended" and response.json()["actual_end"] == "2019-09-15"
    months = list(MonthlySubsidy.objects.filter(placement=approved_a).values_list("month", flat=True))
    assert max(months) == date(2019, 9, 1)


def test_end_refusals_are_field_errors(api_client_for, alice, approved_a, draft_a):
    api = api_client_for(alice)
    late = api.post(f"/api/v1/placements/{approved_a.pk}/end/", {"actual_end": "2020-03-01"}, format="json")
    assert late.status_code == 400 and "actual_end" in late.json()
    missing = api.post(f"/api/v1/placements/{approved_a.pk}/end/", {}, format="json")
    assert missing.status_code == 400 and "actual_end" in missing.json()
    draft = api.post(f"/api/v1/placements/{draft_a.pk}/end/", {"actual_end": "2019-09-15"}, format="json")
    assert draft.status_code == 400 and "status" in draft.json()


def test_cancel_a_draft_placement(api_client_for, alice, draft_a, approved_a):
    api = api_client_for(alice)
    response = api.post(f"/api/v1/placements/{draft_a.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    draft_a.refresh_from_db()
    assert draft_a.status == PlacementStatus.CANCELLED
    refused = api.post(f"/api/v1/placements/{approved_a.pk}/cancel/")
    assert refused.status_code == 400 and "status" in refused.json()


@pytest.mark.parametrize("operation", ["end", "cancel"])
def test_placement_actions_tenancy_and_role(api_client_for, charlie, auditor_a, approved_a, operation):
    url = f"/api/v1/placements/{approved_a.pk}/{operation}/"
    assert api_client_for(charlie).post(url, {"actual_end": "2019-09-15"}, format="json").status_code == 404
    assert api_client_for(auditor_a).post(url, {"actual_end": "2019-09-15"}, format="json").status_code == 403
    approved_a.refresh_from_db()
    assert approved_a.status == PlacementStatus.APPROVED


def test_pay_periods_tenancy_and_role(api_client_for, alice, charlie, auditor_a, approved_a):
    api = api_client_for(alice)
    added = api.post(f"/api/v1/placements/{approved_a.pk}/pay-periods/",
                     {"effective_date": "2019-10-01", "gross_monthly_pay": "2200.00"}, format="json")
    assert added.status_code == 201, added.json()
    pay_url = f"/api/v1/placements/{approved_a.pk}/pay-periods/{added.json()['id']}/"
    list_url = f"/api/v1/placements/{approved_a.pk}/pay-periods/"
    for client, expected in ((api_client_for(charlie), 404), (api_client_for(auditor_a), 403)):
        assert client.post(list_url, {"effective_date": "2019-11-01", "gross_monthly_pay": "1"},
                           format="json").status_code == expected
        assert client.patch(pay_url, {"gross_monthly_pay": "1.00"}, format="json").status_code == expected
        assert client.delete(pay_url).status_code == expected
    assert api_client_for(charlie).get(list_url).status_code == 404
    assert [p["gross_monthly_pay"] for p in api.get(list_url).json()] == ["2000.00", "2200.00"]
    assert api.delete(pay_url).status_code == 204
    assert len(api.get(list_url).json()) == 1


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="x")


def test_allocation_preview_then_apply_by_a_superuser_without_cpas(api_client_for, superuser, cpas_a, cpas_b):
    api = api_client_for(superuser)
    data = {"year": 2026, "envelope": "1000.00", "reimbursed_csv": CSV}
    preview = api.post("/api/v1/budget-allocation/preview/", data, format="json")
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert body["applied"] is False and body["total"] == "1000.00"
    assert sorted(row["amount"] for row in body["rows"]) == ["333.33", "666.67"]
    assert not SocialEconomyBudget.objects.exists()
    applied = api.post("/api/v1/budget-allocation/apply/", data, format="json")
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert sorted(SocialEconomyBudget.objects.filter(year=2026).values_list("granted_amount", flat=True)) == [
        D("333.33"), D("666.67")]


def test_allocation_refused_when_a_cpas_committed_more(api_client_for, superuser, alice, cpas_a, cpas_b):
    budget(cpas_a, 2026, "50000.00")
    services.placement_approve(acting_user=alice, placement=placement(
        alice, cpas=cpas_a, scheme="social_economy", start=date(2026, 1, 1), planned_end=date(2026, 6, 30),
        gross_monthly_pay=D("1800")))
    response = api_client_for(superuser).post("/api/v1/budget-allocation/apply/", {
        "year": 2026, "envelope": "1000.00", "reimbursed_csv": CSV}, format="json")
    assert response.status_code == 400 and "envelope" in response.json()
    assert SocialEconomyBudget.objects.get(cpas=cpas_a, year=2026).granted_amount == D("50000.00")


def test_allocation_bad_csv_is_a_field_error(api_client_for, superuser, cpas_a):
    response = api_client_for(superuser).post("/api/v1/budget-allocation/preview/", {
        "year": 2026, "envelope": "1000", "reimbursed_csv": "nis_code;year;amount\n99999;2025;abc"}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("operation", ["preview", "apply"])
def test_allocation_is_for_administrators_only(api_client_for, alice, bob, auditor_a, cpas_a, cpas_b, operation):
    manager = member(cpas_a, Role.MANAGER, username="manager-a")
    data = {"year": 2026, "envelope": "1000.00", "reimbursed_csv": CSV}
    for user in (manager, alice, bob, auditor_a):
        assert api_client_for(user).post(f"/api/v1/budget-allocation/{operation}/", data,
                                         format="json").status_code == 403
    # Staff without the permission: still refused; with it: allowed.
    staff = get_user_model().objects.create_user("federal", password="x", is_staff=True)
    assert api_client_for(staff).post(f"/api/v1/budget-allocation/{operation}/", data,
                                      format="json").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="allocate_budgets"))
    staff = get_user_model().objects.get(pk=staff.pk)
    assert api_client_for(staff).post(f"/api/v1/budget-allocation/{operation}/", data,
                                      format="json").status_code == 200
    assert SocialEconomyBudget.objects.filter(year=2026).exists() is (operation == "apply")
