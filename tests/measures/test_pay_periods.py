"""Pay periods and the gross wage cost through the services, the placement page and the API (DOMAIN.md §6)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures import services
from measures.models import PlacementPay
from tests.factories import BeneficiaryFactory

from .factories import placement

pytestmark = pytest.mark.django_db

PART_TIME = {"regime": D("0.5"), "counts_as_full_time": False, "gross_monthly_pay": D("900")}


def amounts(created):
    return list(created.monthly_subsidies.order_by("month").values_list("amount", flat=True))


@pytest.fixture
def july(alice, cpas_a, beneficiary_a):
    """Full-time, July–September 2019, 2,000 a month: 1,254.82 each month."""
    return placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2019, 7, 1),
                     planned_end=date(2019, 9, 30))


# Services --------------------------------------------------------------------------------------------

def test_part_time_from_a_15th_through_the_service(alice, cpas_a):
    created = placement(alice, cpas=cpas_a, start=date(2019, 1, 15), planned_end=date(2019, 7, 14), **PART_TIME)
    assert amounts(created) == [D("274.19")] + [D("500.00")] * 5 + [D("225.81")]
    assert sum(amounts(created)) == D("3000.00")


def test_unpaid_absence_from_the_10th_then_removed(alice, july):
    pay = services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 7, 10),
                                     gross_monthly_pay=D("0"))
    back = services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 8, 1),
                                      gross_monthly_pay=D("2000"))
    # 9 paid days: 1,254.82 × 9/31 = 364.30, pay 2,000 × 9/31 = 580.65.
    july_line = july.monthly_subsidies.get(month=date(2019, 7, 1))
    assert (july_line.amount, july_line.days_covered, july_line.gross_pay) == (D("364.30"), 9, D("580.65"))
    assert amounts(july)[1:] == [D("1254.82")] * 2
    services.placement_pay_delete(acting_user=alice, pay=pay)
    services.placement_pay_delete(acting_user=alice, pay=back)
    assert amounts(july) == [D("1254.82")] * 3
    removed = PlacementPay.history.filter(id=pay.pk, history_type="-").get()
    assert removed.history_user == alice


def test_correcting_a_pay_period_moves_it_and_recomputes(alice, july):
    pay = services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 7, 10),
                                     gross_monthly_pay=D("0"))
    services.placement_pay_update(acting_user=alice, pay=pay, effective_date=date(2019, 9, 11),
                                  gross_monthly_pay=D("0"))
    # September: 10 paid days, 1,254.82 × 10/30 = 418.27.
    assert amounts(july) == [D("1254.82"), D("1254.82"), D("418.27")]


@pytest.mark.parametrize(("change", "field"), [
    ({"effective_date": date(2019, 6, 30)}, "effective_date"),  # before the contract
    ({"effective_date": date(2019, 10, 1)}, "effective_date"),  # after it
    ({"gross_monthly_pay": D("-1")}, "gross_monthly_pay"),
    ({"gross_wage_cost": D("1999.99")}, "gross_wage_cost"),  # below the gross pay
    ({"gross_monthly_pay": D("0"), "gross_wage_cost": D("10")}, "gross_wage_cost"),  # absence with a cost
])
def test_invalid_pay_period_refused_per_field(alice, july, change, field):
    values = {"effective_date": date(2019, 8, 1), "gross_monthly_pay": D("2000"), "gross_wage_cost": None, **change}
    with pytest.raises(ValidationError) as error:
        services.placement_pay_set(acting_user=alice, placement=july, **values)
    assert field in error.value.message_dict


def test_the_first_pay_period_stays_at_the_start(alice, july):
    first = july.pay_changes.get()
    with pytest.raises(ValidationError) as error:
        services.placement_pay_delete(acting_user=alice, pay=first)
    assert "pay" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.placement_pay_update(acting_user=alice, pay=first, effective_date=date(2019, 7, 2),
                                      gross_monthly_pay=D("2000"))
    assert "effective_date" in error.value.message_dict


def test_two_periods_cannot_start_on_the_same_day(alice, july):
    services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 8, 1),
                               gross_monthly_pay=D("2100"))
    other = services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 9, 1),
                                       gross_monthly_pay=D("2200"))
    with pytest.raises(ValidationError) as error:
        services.placement_pay_update(acting_user=alice, pay=other, effective_date=date(2019, 8, 1),
                                      gross_monthly_pay=D("2200"))
    assert "effective_date" in error.value.message_dict


def test_claimed_month_is_frozen_but_compute_month_gives_the_should_be_amount(alice, july):
    claimed = july.monthly_subsidies.get(month=date(2019, 7, 1))
    services.monthly_subsidies_freeze(acting_user=alice, lines=[claimed], reference="CLAIM-7")
    services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 7, 10),
                               gross_monthly_pay=D("0"))
    claimed.refresh_from_db()
    assert (claimed.amount, claimed.claim_reference) == (D("1254.82"), "CLAIM-7")
    should_be = services.compute_month(july, date(2019, 7, 20))
    assert (should_be.amount, should_be.days_covered) == (D("364.30"), 9)
    assert "unpaid_days" in [reason.code for reason in should_be.reasons]
    assert services.compute_month(july, date(2019, 10, 1)) is None
    assert services.compute_schedule(july)[date(2019, 8, 1)].amount == D("0.00")


def test_compute_month_counts_the_persons_other_placements(alice, cpas_a):
    person = BeneficiaryFactory(cpas=cpas_a)
    first = placement(alice, cpas=cpas_a, beneficiary=person, start=date(2019, 1, 15), planned_end=date(2019, 3, 31),
                      **PART_TIME)
    second = placement(alice, cpas=cpas_a, beneficiary=person, start=date(2019, 5, 1),
                       planned_end=date(2019, 9, 30), **PART_TIME)
    # The credit from 15/01 (181 days) has 105 days left on 1 May: August gets 13/31 × 500 = 209.68.
    assert services.compute_month(second, date(2019, 8, 1)).amount == D("209.68")
    assert amounts(second) == [D("500.00")] * 3 + [D("209.68"), D("0.00")]
    assert first.monthly_subsidies.count() == 3


def test_gross_wage_cost_at_creation_and_on_edit(alice, cpas_a):
    young = BeneficiaryFactory(cpas=cpas_a, birth_date=date(2000, 1, 1))
    created = placement(alice, cpas=cpas_a, beneficiary=young, start=date(2019, 7, 1), planned_end=date(2019, 7, 31),
                        gross_monthly_pay=D("1400"), gross_wage_cost=D("1500"))
    assert amounts(created) == [D("1500.00")]
    services.placement_update(acting_user=alice, placement=created, gross_monthly_pay=D("1400"))
    assert amounts(created) == [D("1500.00")]  # the wage cost is kept when not given
    services.placement_update(acting_user=alice, placement=created, gross_monthly_pay=D("1400"),
                              gross_wage_cost=None)
    assert amounts(created) == [D("1400.00")]
    with pytest.raises(ValidationError) as error:
        placement(alice, cpas=cpas_a, gross_monthly_pay=D("1400"), gross_wage_cost=D("1000"))
    assert "gross_wage_cost" in error.value.message_dict


# Placement page ----------------------------------------------------------------------------------------

def test_page_adds_a_pay_period_with_belgian_decimals(client_for, alice, july):
    client = client_for(alice)
    response = client.post(reverse("placement_pay", args=[july.pk]), {
        "effective_date": "2019-07-10", "gross_monthly_pay": "0", "gross_wage_cost": ""})
    assert response.status_code == 302
    raise_ = client.post(reverse("placement_pay", args=[july.pk]), {
        "effective_date": "2019-08-01", "gross_monthly_pay": "2.100,50", "gross_wage_cost": "2.900,00"})
    assert raise_.status_code == 302
    detail = client.get(reverse("placement_detail", args=[july.pk])).text
    assert "364,30 €" in detail and "2.100,50 €" in detail and "2.900,00 €" in detail
    # The periods with their last day, and their history with who did it.
    assert "09/07/2019" in detail and "31/07/2019" in detail
    history = detail[detail.index('id="pay-history"'):]
    assert history.count("<tr>") == 4 and (alice.get_full_name() or alice.username) in history


def test_page_redisplays_an_invalid_pay_period_with_field_errors(client_for, alice, july):
    response = client_for(alice).post(reverse("placement_pay", args=[july.pk]), {
        "effective_date": "2019-07-10", "gross_monthly_pay": "2.000,00", "gross_wage_cost": "1.500,00"})
    assert response.status_code == 400
    assert "has-error" in response.text and 'value="1.500,00"' in response.text
    assert july.pay_changes.count() == 1


def test_page_edits_and_removes_a_pay_period(client_for, alice, july):
    pay = services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 7, 10),
                                     gross_monthly_pay=D("0"))
    client = client_for(alice)
    url = reverse("placement_pay_edit", args=[july.pk, pay.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'value="2019-07-10"' in form.text
    bad = client.post(url, {"effective_date": "2019-12-01", "gross_monthly_pay": "0"})
    assert bad.status_code == 400 and "has-error" in bad.text
    assert client.post(url, {"effective_date": "2019-09-11", "gross_monthly_pay": "0"}).status_code == 302
    assert amounts(july)[2] == D("418.27")
    assert client.post(reverse("placement_pay_delete", args=[july.pk, pay.pk])).status_code == 302
    assert amounts(july) == [D("1254.82")] * 3
    first = july.pay_changes.get()
    refused = client.post(reverse("placement_pay_delete", args=[july.pk, first.pk]))
    assert refused.status_code == 400 and july.pay_changes.count() == 1


def test_page_creates_with_a_gross_wage_cost(client_for, alice, cpas_a):
    young = BeneficiaryFactory(cpas=cpas_a, birth_date=date(2000, 3, 1))
    response = client_for(alice).post(reverse("placement_create"), {
        "beneficiary": young.pk, "workplace": "cpas", "start": "2019-07-01", "planned_end": "2019-07-31",
        "regime": "1", "counts_as_full_time": "on", "scheme": "normal", "gross_monthly_pay": "1.400,00",
        "gross_wage_cost": "1.500,00"})
    assert response.status_code == 302
    detail = client_for(alice).get(response.url).text
    assert "1.500,00 €" in detail and "coût salarial brut" in detail


def test_pay_period_pages_are_scoped_and_written_by_writers_only(client_for, charlie, auditor_a, alice, july):
    pay = services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 8, 1),
                                     gross_monthly_pay=D("2100"))
    edit, delete = (reverse("placement_pay_edit", args=[july.pk, pay.pk]),
                    reverse("placement_pay_delete", args=[july.pk, pay.pk]))
    assert client_for(charlie).get(edit).status_code == 404
    assert client_for(charlie).post(delete).status_code == 404
    assert client_for(auditor_a).get(edit).status_code == 403
    assert client_for(auditor_a).post(delete).status_code == 403
    other = placement(alice, cpas=july.cpas)
    # A pay period reached through another placement of the same CPAS is a 404 too.
    assert client_for(alice).get(reverse("placement_pay_edit", args=[other.pk, pay.pk])).status_code == 404
    assert july.pay_changes.count() == 2


# API -------------------------------------------------------------------------------------------------------

def test_api_pay_periods_create_list_change_delete(api_client_for, alice, july):
    api = api_client_for(alice)
    url = f"/api/v1/placements/{july.pk}/pay-periods/"
    created = api.post(url, {"effective_date": "2019-07-10", "gross_monthly_pay": "0.00"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["until"] == "2019-09-30" and created.json()["gross_wage_cost"] is None
    listed = api.get(url).json()
    assert [(row["effective_date"], row["until"], row["gross_monthly_pay"]) for row in listed] == [
        ("2019-07-01", "2019-07-09", "2000.00"), ("2019-07-10", "2019-09-30", "0.00")]
    subsidies = api.get(f"/api/v1/placements/{july.pk}/subsidies/").json()
    assert [line["amount"] for line in subsidies] == ["364.30", "0.00", "0.00"]
    pay_id = created.json()["id"]
    patched = api.patch(f"{url}{pay_id}/", {"effective_date": "2019-09-11"}, format="json")
    assert patched.status_code == 200 and patched.json()["gross_monthly_pay"] == "0.00"
    put = api.put(f"{url}{pay_id}/", {"effective_date": "2019-09-11", "gross_monthly_pay": "2500.00",
                                      "gross_wage_cost": "3200.00"}, format="json")
    assert put.status_code == 200 and put.json()["gross_wage_cost"] == "3200.00"
    assert api.delete(f"{url}{pay_id}/").status_code == 204
    assert [line["amount"] for line in api.get(f"/api/v1/placements/{july.pk}/subsidies/").json()] == [
        "1254.82"] * 3


def test_api_pay_periods_400_per_field(api_client_for, alice, july):
    api = api_client_for(alice)
    url = f"/api/v1/placements/{july.pk}/pay-periods/"
    outside = api.post(url, {"effective_date": "2020-01-01", "gross_monthly_pay": "100"}, format="json")
    assert outside.status_code == 400 and "effective_date" in outside.json()
    missing = api.post(url, {"effective_date": "2019-08-01"}, format="json")
    assert missing.status_code == 400 and "gross_monthly_pay" in missing.json()
    cost = api.post(url, {"effective_date": "2019-08-01", "gross_monthly_pay": "2000", "gross_wage_cost": "10"},
                    format="json")
    assert cost.status_code == 400 and "gross_wage_cost" in cost.json()
    first = july.pay_changes.get()
    refused = api.delete(f"{url}{first.pk}/")
    assert refused.status_code == 400 and "pay" in refused.json()


def test_api_placement_with_gross_wage_cost(api_client_for, alice, cpas_a):
    young = BeneficiaryFactory(cpas=cpas_a, birth_date=date(2000, 1, 1))
    created = api_client_for(alice).post("/api/v1/placements/", {
        "beneficiary": young.pk, "workplace": "cpas", "start": "2019-07-01", "planned_end": "2019-07-31",
        "regime": "1.000", "counts_as_full_time": True, "scheme": "normal", "gross_monthly_pay": "1400.00",
        "gross_wage_cost": "1500.00"}, format="json")
    assert created.status_code == 201, created.json()
    lines = api_client_for(alice).get(f"/api/v1/placements/{created.json()['id']}/subsidies/").json()
    assert lines[0]["amount"] == "1500.00"
    assert any("coût salarial brut" in sentence for sentence in lines[0]["explanation"])


def test_api_pay_periods_scoped_and_read_only_roles(api_client_for, charlie, auditor_a, alice, july):
    pay = july.pay_changes.get()
    url = f"/api/v1/placements/{july.pk}/pay-periods/"
    assert api_client_for(charlie).get(url).status_code == 404
    assert api_client_for(charlie).patch(f"{url}{pay.pk}/", {"gross_monthly_pay": "1"}, format="json"
                                         ).status_code == 404
    assert api_client_for(auditor_a).get(url).status_code == 200
    assert api_client_for(auditor_a).post(url, {"effective_date": "2019-08-01", "gross_monthly_pay": "1"},
                                          format="json").status_code == 403
    assert api_client_for(auditor_a).delete(f"{url}{pay.pk}/").status_code == 403
    assert july.pay_changes.count() == 1


@pytest.mark.parametrize("rows", [2, 20])
def test_api_pay_periods_list_queries(api_client_for, alice, july, rows, django_assert_max_num_queries):
    PlacementPay.objects.bulk_create([PlacementPay(placement=july, effective_date=date(2019, 7, 2 + index),
                                                   gross_monthly_pay=D("2000")) for index in range(rows)])
    api = api_client_for(alice)
    # membership+cpas (tenancy), the placement with its CPAS and beneficiary, its pay periods.
    with django_assert_max_num_queries(3):
        assert len(api.get(f"/api/v1/placements/{july.pk}/pay-periods/").json()) == rows + 1


@pytest.mark.parametrize("rows", [2, 20])
def test_placement_page_queries_do_not_grow_with_pay_periods(client_for, alice, july, rows,
                                                             django_assert_max_num_queries):
    for index in range(rows):
        services.placement_pay_set(acting_user=alice, placement=july, effective_date=date(2019, 7, 2 + index),
                                   gross_monthly_pay=D("2000"))
    client = client_for(alice)
    # session, user, membership+cpas, placement, subsidies, pay periods, pay history with users, premiums
    # (not shown: a placement at the CPAS), messages.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("placement_detail", args=[july.pk])).status_code == 200
