"""Pages, API, admin: tenancy (Charlie gets 404 on CPAS A), roles (auditor 403), forms, query counts."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cpas_portal.models import Role
from measures import services
from tests.factories import BeneficiaryFactory, member

from .factories import budget, placement, private_firm

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement_a(alice, cpas_a, beneficiary_a):
    return placement(alice, cpas=cpas_a, beneficiary=beneficiary_a)


@pytest.fixture
def firm_placement_a(alice, cpas_a):
    created = placement(alice, cpas=cpas_a, workplace="private_firm", organisation=private_firm(cpas_a),
                        cooperation_convention_date=date(2019, 6, 1))
    return services.placement_approve(acting_user=alice, placement=created)


def test_list_detail_and_monthly_table(client_for, alice, placement_a):
    client = client_for(alice)
    listing = client.get(reverse("placement_list"))
    assert listing.status_code == 200 and "DUBOIS" in listing.text and placement_a.beneficiary.niss not in listing.text
    detail = client.get(reverse("placement_detail", args=[placement_a.pk]))
    assert detail.status_code == 200
    assert detail.text.count("1.254,82 €") >= 6 and "07/2019" in detail.text


def test_create_with_belgian_decimals(client_for, alice, cpas_a):
    young = BeneficiaryFactory(cpas=cpas_a, birth_date=date(2000, 3, 1), last_name="Jeune")
    response = client_for(alice).post(reverse("placement_create"), {
        "beneficiary": young.pk, "workplace": "cpas", "start": "2019-07-01", "planned_end": "2019-09-30",
        "regime": "1", "counts_as_full_time": "on", "scheme": "normal", "gross_monthly_pay": "2.100,50",
    })
    assert response.status_code == 302
    detail = client_for(alice).get(response.url)
    # three months with their amount; the under-25 increase they share is explained once above the table.
    assert detail.text.count("1.568,53 €") == 4 and "2.100,50 €" in detail.text
    assert detail.text.count("majorée de 25 %") == 1
    assert detail.text.count("claimed in") == 0 and "4.705,59 €" in detail.text  # the year's total


def test_invalid_create_redisplays_with_field_errors(client_for, alice, cpas_a, beneficiary_a):
    response = client_for(alice).post(reverse("placement_create"), {
        "beneficiary": beneficiary_a.pk, "workplace": "private_firm", "start": "2019-07-01",
        "planned_end": "2019-09-30", "regime": "0,5", "scheme": "normal", "gross_monthly_pay": "900",
    })
    assert response.status_code == 400
    assert "has-error" in response.text and 'value="0,5"' in response.text


def test_approval_over_budget_shows_the_figures(client_for, alice, cpas_a):
    budget(cpas_a, 2025, "1000.00")
    created = placement(alice, cpas=cpas_a, scheme="social_economy", start=date(2025, 1, 1),
                        planned_end=date(2025, 1, 31), gross_monthly_pay=D("1800"))
    response = client_for(alice).post(reverse("placement_approve", args=[created.pk]))
    assert response.status_code == 400 and "800,00 €" in response.text


def test_premium_page(client_for, alice, firm_placement_a):
    client = client_for(alice)
    url = reverse("art61_premium_create", args=[firm_placement_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"month": "2019-08-01", "supervision_costs": "100", "training_costs": "400,00"})
    assert response.status_code == 302
    # 100 supervision + 400 training: 250 granted, 400 − (250 − 100) = 250 of training carried over.
    premium = firm_placement_a.art61_premiums.get()
    assert (premium.granted_amount, premium.carried_over) == (D("250.00"), D("250.00"))
    assert client.get(reverse("placement_detail", args=[firm_placement_a.pk])).text.count("250,00 €") >= 2
    refused = client.post(url, {"month": "2019-08-01", "supervision_costs": "100"})
    assert refused.status_code == 400 and "has-error" in refused.text


def test_budget_page_with_chart(client_for, bob, alice, cpas_a):
    budget(cpas_a, 2025, "30000.00")
    services.placement_approve(acting_user=alice, placement=placement(
        alice, cpas=cpas_a, scheme="social_economy", start=date(2025, 1, 1), planned_end=date(2025, 12, 31),
        gross_monthly_pay=D("1800")))
    response = client_for(bob).get(reverse("budget_year", args=[2025]))
    assert response.status_code == 200
    assert "<svg" in response.text and 'id="budget-line"' in response.text and "30.000,00 €" in response.text
    assert "21.600,00 €" in response.text
    assert client_for(bob).get(reverse("budget_overview")).status_code == 200


def test_allocation_tool_preview_then_apply(client, cpas_a, cpas_b):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    member(cpas_a, Role.MANAGER, username="manager")
    from cpas_portal.models import Membership

    Membership.objects.create(user=admin, cpas=cpas_a, role=Role.MANAGER)
    client.force_login(admin)
    csv_text = "nis_code;year;amount\n92094;2023;100\n92094;2024;100\n92094;2025;100\n44021;2025;600"
    preview = client.post(reverse("budget_allocation"),
                          {"year": "2026", "envelope": "1.000,00", "reimbursed_csv": csv_text, "preview": "1"})
    assert preview.status_code == 200 and "allocation-preview" in preview.text
    assert "333,33 €" in preview.text and "666,67 €" in preview.text
    from measures.models import SocialEconomyBudget

    assert not SocialEconomyBudget.objects.exists()
    applied = client.post(reverse("budget_allocation"),
                          {"year": "2026", "envelope": "1000", "reimbursed_csv": csv_text, "apply": "1"})
    assert applied.status_code == 302
    assert sorted(SocialEconomyBudget.objects.values_list("granted_amount", flat=True)) == [D("333.33"), D("666.67")]


def test_allocation_tool_forbidden_to_staff(client_for, bob):
    assert client_for(bob).get(reverse("budget_allocation")).status_code == 403


def test_charlie_gets_404_everywhere(client_for, api_client_for, charlie, firm_placement_a, alice):
    premium = services.art61_premium_record(acting_user=alice, placement=firm_placement_a, month=date(2019, 7, 1),
                                            supervision_costs=D("50"), training_costs=D("0"))
    line = firm_placement_a.monthly_subsidies.first()
    a_budget = budget(firm_placement_a.cpas, 2019, "100")
    client = client_for(charlie)
    for name in ("placement_detail", "placement_edit", "art61_premium_create"):
        assert client.get(reverse(name, args=[firm_placement_a.pk])).status_code == 404, name
    for name in ("placement_approve", "placement_cancel", "placement_end", "placement_pay"):
        assert client.post(reverse(name, args=[firm_placement_a.pk])).status_code == 404, name
    api = api_client_for(charlie)
    for url in (f"/api/v1/placements/{firm_placement_a.pk}/", f"/api/v1/placements/{firm_placement_a.pk}/subsidies/",
                f"/api/v1/monthly-subsidies/{line.pk}/", f"/api/v1/art61-premiums/{premium.pk}/",
                f"/api/v1/social-economy-budgets/{a_budget.pk}/"):
        assert api.get(url).status_code == 404, url
    assert api.post(f"/api/v1/placements/{firm_placement_a.pk}/approve/").status_code == 404
    assert api.get("/api/v1/placements/").json()["count"] == 0


def test_charlie_admin_gets_404(client, cpas_b, firm_placement_a, alice):
    staff = member(cpas_b, Role.MANAGER, username="staff_b", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="measures"))
    client.force_login(staff)
    premium = services.art61_premium_record(acting_user=alice, placement=firm_placement_a, month=date(2019, 7, 1),
                                            supervision_costs=D("50"), training_costs=D("0"))
    objects = {"placement": firm_placement_a.pk, "monthlysubsidy": firm_placement_a.monthly_subsidies.first().pk,
               "art61premium": premium.pk, "socialeconomybudget": budget(firm_placement_a.cpas, 2019, "10").pk}
    for model, pk in objects.items():
        assert client.get(reverse(f"admin:measures_{model}_change", args=[pk])).status_code == 404, model
    assert client.get(reverse("admin:measures_placement_changelist")).status_code == 200


def test_auditor_cannot_write(client_for, api_client_for, auditor_a, placement_a):
    client = client_for(auditor_a)
    assert client.get(reverse("placement_detail", args=[placement_a.pk])).status_code == 200
    assert client.get(reverse("placement_create")).status_code == 403
    assert client.post(reverse("placement_approve", args=[placement_a.pk])).status_code == 403
    assert api_client_for(auditor_a).post(f"/api/v1/placements/{placement_a.pk}/approve/").status_code == 403


def test_api_create_and_400_with_field_errors(api_client_for, alice, beneficiary_a):
    api = api_client_for(alice)
    created = api.post("/api/v1/placements/", {
        "beneficiary": beneficiary_a.pk, "workplace": "cpas", "start": "2019-07-01", "planned_end": "2019-08-31",
        "regime": "1.000", "counts_as_full_time": True, "scheme": "normal", "gross_monthly_pay": "2000.00"},
        format="json")
    assert created.status_code == 201, created.json()
    lines = api.get(f"/api/v1/placements/{created.json()['id']}/subsidies/").json()
    assert [line["amount"] for line in lines] == ["1254.82", "1254.82"]
    bad = api.post("/api/v1/placements/", {
        "beneficiary": beneficiary_a.pk, "workplace": "social_economy", "start": "2019-07-01",
        "planned_end": "2019-08-31", "regime": "1.000", "scheme": "social_economy", "gross_monthly_pay": "2000"},
        format="json")
    assert bad.status_code == 400 and "organisation" in bad.json()


def test_api_premium_and_budget_overview(api_client_for, alice, bob, firm_placement_a):
    response = api_client_for(alice).post("/api/v1/art61-premiums/", {
        "placement": firm_placement_a.pk, "month": "2019-08-01", "supervision_costs": "300.00",
        "training_costs": "0"}, format="json")
    assert response.status_code == 201 and response.json()["granted_amount"] == "250.00"
    overview = api_client_for(bob).get("/api/v1/social-economy-budgets/overview/?year=2019")
    assert overview.status_code == 200 and len(overview.json()["months"]) == 12


@pytest.mark.parametrize("rows", [5, 50])
def test_placement_list_page_queries(client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    from measures.models import Placement

    beneficiaries = [BeneficiaryFactory(cpas=cpas_a) for _ in range(rows)]
    Placement.objects.bulk_create([
        Placement(cpas=cpas_a, beneficiary=person, workplace="cpas", start=date(2024, 1, 1),
                  planned_end=date(2024, 6, 30)) for person in beneficiaries])
    client = client_for(alice)
    # session, user, membership+cpas (tenancy), count, page rows with beneficiary, organisation and total,
    # the employers of the filter.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("placement_list"), {"sort": "beneficiary"}).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_placement_api_list_queries(api_client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    from measures.models import Placement

    beneficiaries = [BeneficiaryFactory(cpas=cpas_a) for _ in range(rows)]
    Placement.objects.bulk_create([
        Placement(cpas=cpas_a, beneficiary=person, workplace="cpas", start=date(2024, 1, 1),
                  planned_end=date(2024, 6, 30)) for person in beneficiaries])
    # membership+cpas (tenancy), count, page rows with their beneficiary and organisation.
    with django_assert_max_num_queries(3):
        assert api_client_for(alice).get("/api/v1/placements/").status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_monthly_subsidy_api_list_queries(api_client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    # 50 lines: two placements of 25 months (one placement lasts at most 42 months).
    for _person in range(1 if rows == 5 else 2):
        placement(alice, cpas=cpas_a, start=date(2019, 1, 1), planned_end=date(2019, 1, 1) if rows == 5 else
                  date(2021, 1, 31))
    # membership+cpas (tenancy), count, page rows.
    with django_assert_max_num_queries(3):
        assert api_client_for(alice).get("/api/v1/monthly-subsidies/").status_code == 200
