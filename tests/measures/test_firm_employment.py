"""Art. 61 premiums for people hired by a private firm (the main case) and for art. 60 §7 placements at
a firm; the 2013 budget year; the conclusion date; the increased subsidy's "new job" read from the record."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures import services
from measures.models import Art61Premium, SocialEconomyBudget
from reimbursements import sources
from tests.factories import BeneficiaryFactory, UserFactory

from .factories import placement, private_firm, social_economy_initiative

pytestmark = pytest.mark.django_db


def employment(user, cpas, **fields):
    data = {"beneficiary": BeneficiaryFactory(cpas=cpas), "organisation": private_firm(cpas),
            "cooperation_convention_date": date(2024, 1, 10), "start": date(2024, 1, 15), "end": None,
            "regime": D("1.000"), **fields}
    return services.firm_employment_create(acting_user=user, cpas=cpas, **data)


def record(user, month, costs="400", **target):
    return services.art61_premium_record(acting_user=user, month=month, supervision_costs=D(costs),
                                         training_costs=D("0"), **target)


@pytest.mark.parametrize(("regime", "granted"), [("1.000", "250.00"), ("0.800", "200.00"), ("0.500", "125.00")])
def test_firm_employment_premium_pro_rata(alice, cpas_a, regime, granted):
    hired = employment(alice, cpas_a, regime=D(regime))
    premium = record(alice, date(2024, 2, 1), firm_employment=hired)
    assert premium.granted_amount == D(granted)
    assert (premium.firm_employment, premium.placement, premium.beneficiary) == (hired, None, hired.beneficiary)
    assert hired.history.first().history_user == alice


def test_placement_at_four_fifths_counting_as_full_time_gets_four_fifths_of_the_premium(alice, cpas_a):
    at_firm = placement(alice, cpas=cpas_a, workplace="private_firm", organisation=private_firm(cpas_a),
                        start=date(2024, 1, 1), planned_end=date(2024, 12, 31), regime=D("0.800"),
                        counts_as_full_time=True, cooperation_convention_date=date(2023, 12, 1))
    services.placement_approve(acting_user=alice, placement=at_firm)
    assert record(alice, date(2024, 1, 1), placement=at_firm).granted_amount == D("200.00")


def test_the_24_months_count_from_the_start_of_the_firm_employment(alice, cpas_a):
    hired = employment(alice, cpas_a, start=date(2024, 1, 15))
    assert record(alice, date(2025, 12, 1), firm_employment=hired).grant_number == 1   # calendar month 24
    with pytest.raises(ValidationError) as error:
        record(alice, date(2026, 1, 1), firm_employment=hired)                        # calendar month 25
    assert "month" in error.value.message_dict


def test_only_a_private_firm_employs_for_the_premium(alice, cpas_a):
    with pytest.raises(ValidationError) as error:
        employment(alice, cpas_a, organisation=social_economy_initiative(cpas_a))
    assert "organisation" in error.value.message_dict


def test_a_premium_belongs_to_exactly_one_employment(alice, cpas_a):
    hired = employment(alice, cpas_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Art61Premium.objects.create(cpas=cpas_a, beneficiary=hired.beneficiary, month=date(2024, 2, 1),
                                    granted_amount=D("1"), grant_number=1, legal_basis="x")
    with pytest.raises(ValidationError):
        services.art61_premium_record(acting_user=alice, month=date(2024, 2, 1), supervision_costs=D("1"),
                                      training_costs=D("0"))


def test_claims_hold_premiums_of_both_kinds(alice, cpas_a):
    hired = employment(alice, cpas_a, start=date(2024, 1, 1))
    at_firm = placement(alice, cpas=cpas_a, workplace="private_firm", organisation=private_firm(cpas_a),
                        start=date(2024, 1, 1), planned_end=date(2024, 6, 30),
                        cooperation_convention_date=date(2024, 1, 1))
    services.placement_approve(acting_user=alice, placement=at_firm)
    by_firm = record(alice, date(2024, 3, 1), firm_employment=hired)
    placed = record(alice, date(2024, 3, 1), placement=at_firm)
    items = sources.gather(measure="art61", cpas=cpas_a, start=date(2024, 3, 1), end=date(2024, 3, 31))
    assert {item.source_key for item in items} == {f"measures.art61:{by_firm.pk}", f"measures.art61:{placed.pk}"}
    assert {item.partner for item in items} == {hired.organisation.name, at_firm.organisation.name}


def test_firm_employment_pages_and_api(alice, cpas_a, charlie, client_for, api_client_for):
    firm, person = private_firm(cpas_a), BeneficiaryFactory(cpas=cpas_a)
    client = client_for(alice)
    response = client.post("/firm-employments/new/", {
        "beneficiary": person.pk, "organisation": firm.pk, "cooperation_convention_date": "10/01/2024",
        "start": "15/01/2024", "end": "", "regime": "0,8"})
    assert response.status_code == 302, response.content.decode()[:2000]
    hired = person.firm_employments.get()
    assert hired.regime == D("0.800")
    response = client.post(f"/firm-employments/{hired.pk}/", {"month": "01/02/2024", "supervision_costs": "300"})
    assert response.status_code == 302
    assert b"200,00" in client.get(f"/firm-employments/{hired.pk}/").content
    assert client.get("/firm-employments/").status_code == 200
    assert client_for(charlie).get(f"/firm-employments/{hired.pk}/").status_code == 404
    api = api_client_for(alice)
    listed = api.get("/api/v1/firm-employments/").json()
    assert [row["id"] for row in listed["results"]] == [hired.pk]
    created = api.post("/api/v1/art61-premiums/", {"firm_employment": hired.pk, "month": "2024-03-01",
                                                   "supervision_costs": "300.00"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["granted_amount"] == "200.00"
    refused = api.post("/api/v1/art61-premiums/", {"month": "2024-04-01", "supervision_costs": "300.00"},
                       format="json")
    assert refused.status_code == 400


def test_firm_employment_list_queries_do_not_grow(alice, cpas_a, client_for, django_assert_max_num_queries):
    for _index in range(3):
        employment(alice, cpas_a)
    client = client_for(alice)
    # session, user, membership + CPAS, count, page of employments (beneficiary and firm joined, premium sum).
    with django_assert_max_num_queries(8):
        assert client.get("/firm-employments/").status_code == 200
    for _index in range(5):
        employment(alice, cpas_a)
    with django_assert_max_num_queries(8):
        assert client.get("/firm-employments/").status_code == 200


def test_firm_employment_admin_is_read_only(cpas_a, alice, client):
    hired = employment(alice, cpas_a)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get(f"/admin/measures/firmemployment/{hired.pk}/change/").status_code == 200
    assert client.get("/admin/measures/firmemployment/add/").status_code == 403


# Budgets and the 2013 circular -------------------------------------------------------------------

def test_allocating_the_first_budget_year_2013(cpas_a, cpas_b):
    admin = UserFactory(username="root", is_superuser=True)
    saved = services.budgets_allocate(acting_user=admin, year=2013, envelope=D("1000.00"),
                                      reimbursed={cpas_a: [D("100")] * 3, cpas_b: [D("300")] * 3}, source="test")
    assert sorted(budget.granted_amount for budget in saved) == [D("250.00"), D("750.00")]
    assert SocialEconomyBudget.objects.filter(year=2013).count() == 2


@pytest.mark.parametrize(("concluded_on", "in_budget"), [(date(2013, 3, 14), False), (date(2013, 3, 15), True)])
def test_the_conclusion_date_decides_the_budget_regime(alice, cpas_a, concluded_on, in_budget):
    SocialEconomyBudget.objects.create(cpas=cpas_a, year=2013, granted_amount=D("50000"), source="test")
    created = placement(alice, cpas=cpas_a, scheme="social_economy", concluded_on=concluded_on,
                        start=date(2013, 4, 1), planned_end=date(2013, 5, 31), gross_monthly_pay=D("1400.00"))
    services.placement_approve(acting_user=alice, placement=created)
    lines = list(created.monthly_subsidies.order_by("month"))
    assert [line.amount for line in lines] == [D("1400.00")] * 2
    assert {line.counts_against_budget for line in lines} == {in_budget}


def test_the_conclusion_date_defaults_to_the_start(alice, cpas_a):
    assert placement(alice, cpas=cpas_a).concluded_on == date(2019, 7, 1)


def test_a_person_already_placed_under_art60_is_not_a_new_social_economy_job(alice, cpas_a, beneficiary_a):
    normal = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2024, 1, 1),
                       planned_end=date(2024, 6, 30))
    services.placement_approve(acting_user=alice, placement=normal)
    SocialEconomyBudget.objects.create(cpas=cpas_a, year=2024, granted_amount=D("50000"), source="test")
    with pytest.raises(ValidationError) as error:
        # The caller declares a new job; the record says the person was placed the day before.
        placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, scheme="social_economy", start=date(2024, 7, 1),
                  planned_end=date(2024, 9, 30), se_new_additional_job=True)
    assert str(normal.pk) in str(error.value.message_dict["beneficiary"])
    later = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, scheme="social_economy", start=date(2024, 7, 2),
                      planned_end=date(2024, 9, 30))
    assert later.pk


def test_approval_rechecks_the_recorded_placements(alice, cpas_a, beneficiary_a):
    SocialEconomyBudget.objects.create(cpas=cpas_a, year=2024, granted_amount=D("50000"), source="test")
    increased = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, scheme="social_economy",
                          start=date(2024, 7, 1), planned_end=date(2024, 9, 30))
    normal = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2024, 1, 1),
                       planned_end=date(2024, 6, 30))
    services.placement_approve(acting_user=alice, placement=normal)
    with pytest.raises(ValidationError) as error:
        services.placement_approve(acting_user=alice, placement=increased)
    assert "beneficiary" in error.value.message_dict
