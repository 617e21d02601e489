"""Pages: list with filters, create prefilled from the person, detail with the payment form, tenancy, queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.interventions.models import Hire, InterventionPayment
from tests.factories import BeneficiaryFactory

from .factories import employer, hire, pay, rate, right

pytestmark = pytest.mark.django_db


def test_create_is_prefilled_from_the_person(alice, person, client_for):
    page = client_for(alice).get(reverse("intervention_create") + f"?beneficiary={person.pk}")
    assert page.status_code == 200
    # The person picker shows the person chosen: their radio checked, with their name.
    html = page.content.decode()
    assert f'<input type="radio" name="beneficiary" value="{person.pk}" checked>' in html
    assert f"<strong>{person.last_name.upper()} {person.first_name}</strong>" in html


def test_create_records_a_hire(alice, person, client_for):
    firm = employer(person.cpas, name="Garage Martin")
    response = client_for(alice).post(reverse("intervention_create"), {
        "beneficiary": person.pk, "programme": "activa", "employer": firm.pk, "start": "2025-01-01",
        "end": "2025-12-31", "regime": "0,5"})
    hired = Hire.objects.get()
    assert response.status_code == 302 and response.url == reverse("intervention_detail", args=[hired.pk])
    assert hired.regime == Decimal("0.5") and hired.created_by == alice


def test_the_forbidden_combination_is_refused_with_a_message_on_the_page(alice, person, client_for):
    hire(alice, person, programme="activa", regime="0.5", end=None)
    response = client_for(alice).post(reverse("intervention_create"), {
        "beneficiary": person.pk, "programme": "ptp", "employer": employer(person.cpas).pk, "start": "2025-03-01",
        "end": "2025-12-31", "regime": "0,5"})
    assert response.status_code == 400
    assert "programme" in response.context["form"].errors
    assert 'value="2025-03-01"' in response.content.decode()  # what was typed stays
    assert Hire.objects.count() == 1


def test_bad_input_is_a_400_with_a_message_per_field(alice, person, client_for):
    response = client_for(alice).post(reverse("intervention_create"), {
        "beneficiary": person.pk, "programme": "bogus", "employer": "", "start": "32/13/2025", "regime": "2"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"programme", "employer", "start", "regime"}


def test_finance_records_a_month_on_its_supporting_document(alice, bob, person, client_for):
    rate("activa")
    hired = hire(alice, person, start=date(2025, 3, 10))
    response = client_for(bob).post(reverse("intervention_detail", args=[hired.pk]), {
        "month": "2025-03-01", "document_kind": "employer_form", "document_date": "2025-04-02",
        "document_reference": "F-2025-03", "net_pay_due": "210,40"})
    assert response.status_code == 302
    payment = InterventionPayment.objects.get()
    assert payment.amount == Decimal("210.40") and payment.document_reference == "F-2025-03"
    page = client_for(bob).get(reverse("intervention_detail", args=[hired.pk]))
    assert "210,40" in page.content.decode()


def test_a_month_without_an_amount_shows_the_error_on_the_month(alice, bob, person, client_for):
    hired = hire(alice, person)
    response = client_for(bob).post(reverse("intervention_detail", args=[hired.pk]), {
        "month": "2025-03-01", "document_kind": "employer_form", "document_date": "2025-04-02",
        "document_reference": "F", "net_pay_due": "900"})
    assert response.status_code == 400
    assert "month" in response.context["form"].errors
    assert not InterventionPayment.objects.exists()


def test_a_caseworker_may_not_record_a_payment(alice, person, client_for):
    rate("activa")
    hired = hire(alice, person)
    response = client_for(alice).post(reverse("intervention_detail", args=[hired.pk]), {
        "month": "2025-03-01", "document_kind": "employer_form", "document_date": "2025-04-02",
        "document_reference": "F", "net_pay_due": "900"})
    assert response.status_code == 403


def test_the_auditor_may_not_create(auditor_a, client_for):
    assert client_for(auditor_a).get(reverse("intervention_create")).status_code == 403


@pytest.mark.parametrize("name", ["intervention_detail", "intervention_edit"])
def test_another_cpas_hire_is_a_404(alice, person, charlie, client_for, name):
    hired = hire(alice, person)
    assert client_for(charlie).get(reverse(name, args=[hired.pk])).status_code == 404
    assert client_for(charlie).post(reverse(name, args=[hired.pk]), {}).status_code == 404


def test_another_cpas_list_is_empty(alice, person, charlie, client_for):
    hire(alice, person)
    page = client_for(charlie).get(reverse("intervention_list"))
    assert page.status_code == 200 and list(page.context["page"]) == []


def test_list_filters(alice, person, client_for):
    sine = employer(person.cpas, name="Atelier SINE")
    hire(alice, person, programme="sine", organisation=sine, end=date(2025, 6, 30))
    other = BeneficiaryFactory(right_type=None, cpas=person.cpas, last_name="Zeller")
    hire(alice, other, programme="activa", start=date(2025, 1, 1), end=None)
    client = client_for(alice)
    assert [h.programme for h in client.get(reverse("intervention_list") + "?programme=sine").context["page"]] == [
        "sine"]
    assert [h.beneficiary for h in client.get(reverse("intervention_list") + "?q=zell").context["page"]] == [other]
    assert [h.beneficiary for h in client.get(reverse("intervention_list") + "?state=running").context["page"]] == [
        other]
    assert client.get(reverse("intervention_list") + "?programme=bogus").status_code == 400


def test_list_queries_do_not_grow(alice, bob, person, client_for, django_assert_max_num_queries):
    rate("activa")
    hired = hire(alice, person)
    pay(bob, hired, date(2025, 2, 1))
    client = client_for(alice)
    # session, user, membership, count, rows (with their payments' count and total).
    with django_assert_max_num_queries(6):
        assert client.get(reverse("intervention_list")).status_code == 200
    for index in range(8):
        someone = BeneficiaryFactory(right_type=None, cpas=person.cpas)
        right(someone)
        pay(bob, hire(alice, someone, start=date(2025, 1, 1 + index)), date(2025, 2, 1))
    with django_assert_max_num_queries(6):
        page = client.get(reverse("intervention_list"))
    assert len(page.context["page"]) == 9


def test_detail_queries_do_not_grow_with_payments(alice, bob, person, client_for, django_assert_max_num_queries):
    rate("activa")
    hired = hire(alice, person)
    client = client_for(bob)
    pay(bob, hired, date(2025, 1, 1))
    with django_assert_max_num_queries(8) as first:
        client.get(reverse("intervention_detail", args=[hired.pk]))
    for month in range(2, 9):
        pay(bob, hired, date(2025, month, 1))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("intervention_detail", args=[hired.pk]))
