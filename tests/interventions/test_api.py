"""API: 400 with field errors on bad input, another CPAS's object a 404, constant queries on the lists."""

from datetime import date

import pytest

from measures.interventions.models import Hire
from tests.factories import BeneficiaryFactory

from .factories import employer, hire, pay, rate, right

pytestmark = pytest.mark.django_db
HIRES, PAYMENTS = "/api/v1/intervention-hires/", "/api/v1/intervention-payments/"


def test_create_a_hire_and_record_a_month(alice, bob, person, api_client_for):
    rate("ptp")
    created = api_client_for(alice).post(HIRES, {
        "beneficiary": person.pk, "employer": employer(person.cpas).pk, "programme": "ptp", "start": "2025-01-01",
        "end": "2025-12-31", "regime": "1.000"}, format="json")
    assert created.status_code == 201, created.content
    assert created.data["paid_to"] == "worker"
    paid = api_client_for(bob).post(PAYMENTS, {
        "hire": created.data["id"], "month": "2025-02-01", "document_kind": "employer_form",
        "document_date": "2025-03-01", "document_reference": "F-1", "net_pay_due": "1200.00"}, format="json")
    assert paid.status_code == 201, paid.content
    assert paid.data["amount"] == "500.00" and paid.data["legislation"] == "2002"


@pytest.mark.parametrize("body", [
    {"programme": "bogus"},
    {"regime": "1.5"},
    {"regime": "NaN"},
    {"start": "2025-02-30"},
    {"end": "2024-01-01"},
    {"beneficiary": 999999},
])
def test_bad_hire_input_is_a_400(alice, person, api_client_for, body):
    data = {"beneficiary": person.pk, "employer": employer(person.cpas).pk, "programme": "activa",
            "start": "2025-01-01", "end": "2025-12-31", "regime": "1"}
    data.update(body)
    response = api_client_for(alice).post(HIRES, data, format="json")
    assert response.status_code == 400, response.content
    assert Hire.objects.count() == 0


def test_the_forbidden_combination_is_a_400(alice, person, api_client_for):
    hire(alice, person, regime="0.5", end=None)
    response = api_client_for(alice).post(HIRES, {
        "beneficiary": person.pk, "employer": employer(person.cpas).pk, "programme": "sine", "start": "2025-05-01",
        "end": "2025-12-31", "regime": "0.5"}, format="json")
    assert response.status_code == 400
    assert "programme" in response.data


@pytest.mark.parametrize("body", [
    {"net_pay_due": "-1"}, {"net_pay_due": "abc"}, {"month": "x"}, {"document_kind": "x"},
    {"document_reference": ""}, {"month": "2025-03-01"},  # no amount in force for SINE
])
def test_bad_payment_input_is_a_400(alice, bob, person, api_client_for, body):
    rate("activa")
    hired = hire(alice, person, programme="sine")
    data = {"hire": hired.pk, "month": "2025-03-01", "document_kind": "employer_form", "document_date": "2025-04-01",
            "document_reference": "F", "net_pay_due": "100.00"}
    data.update(body)
    response = api_client_for(bob).post(PAYMENTS, data, format="json")
    assert response.status_code == 400, response.content


def test_another_cpas_objects_are_404(alice, bob, person, charlie, api_client_for):
    rate("activa")
    hired = hire(alice, person)
    payment = pay(bob, hired, date(2025, 3, 1))
    client = api_client_for(charlie)
    assert client.get(f"{HIRES}{hired.pk}/").status_code == 404
    assert client.patch(f"{HIRES}{hired.pk}/", {"regime": "0.5"}, format="json").status_code == 404
    assert client.get(f"{PAYMENTS}{payment.pk}/").status_code == 404
    listed = client.get(HIRES).data
    assert (listed["count"] if isinstance(listed, dict) else len(listed)) == 0


def test_charlie_may_not_pay_a_hire_of_another_cpas(alice, person, cpas_b, api_client_for):
    from cpas_portal.models import Role
    from tests.factories import member

    rate("activa")
    hired = hire(alice, person)
    finance_b = member(cpas_b, Role.FINANCE, username="fiona")
    response = api_client_for(finance_b).post(PAYMENTS, {
        "hire": hired.pk, "month": "2025-03-01", "document_kind": "employer_form", "document_date": "2025-04-01",
        "document_reference": "F", "net_pay_due": "100.00"}, format="json")
    assert response.status_code == 400 and "hire" in response.data


def test_a_stale_version_is_a_409(alice, person, api_client_for):
    hired = hire(alice, person)
    client = api_client_for(alice)
    assert client.patch(f"{HIRES}{hired.pk}/", {"end": "2025-11-30", "version": 1}, format="json").status_code == 200
    assert client.patch(f"{HIRES}{hired.pk}/", {"end": "2025-10-31", "version": 1}, format="json").status_code == 409


def _fill(alice, bob, cpas, count):
    for index in range(count):
        someone = BeneficiaryFactory(right_type=None, cpas=cpas)
        right(someone)
        pay(bob, hire(alice, someone, start=date(2025, 1, 1 + index)), date(2025, 2, 1))


@pytest.mark.parametrize("url", [HIRES, PAYMENTS])
def test_list_queries_do_not_grow(alice, bob, person, api_client_for, django_assert_max_num_queries, url):
    rate("activa")
    _fill(alice, bob, person.cpas, 1)
    client = api_client_for(bob)
    # membership, count, rows (hires: with their payments' totals; payments: with hire and person).
    with django_assert_max_num_queries(4) as few:
        assert client.get(url).status_code == 200
    _fill(alice, bob, person.cpas, 9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.data["results"] if "results" in response.data else response.data) == 10
