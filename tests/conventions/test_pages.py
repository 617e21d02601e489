"""The convention pages: list with filters, create form, detail with actions, partner claim; fr/nl."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conventions import services
from conventions.models import Convention, PaymentKind
from tests.factories import BeneficiaryFactory

from .factories import make_convention, partner

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def signed(alice, beneficiary_a, forem, jobin):
    return make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem, "60"), partner(jobin, "40")],
                           sign=True)


def create_data(beneficiary, forem, jobin, **overrides):
    data = {
        "beneficiary": beneficiary.pk, "conclusion_date": "2024-03-01", "planned_hours": "100",
        "methodology": "both", "plan_assessment": "on", "plan_job_offers": "on", "plan_application_techniques": "on",
        "plan_work_attitudes": "on", "plan_prospection": "on",
        "partners-TOTAL_FORMS": "3", "partners-INITIAL_FORMS": "0", "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "6",
        "partners-0-partner": str(forem.pk), "partners-0-share": "66,66",
        "partners-1-partner": str(jobin.pk), "partners-1-share": "33,34",
        "partners-2-partner": "", "partners-2-share": "",
    }
    data.update(overrides)
    return data


def test_create_a_convention_with_belgian_decimals(client_for, alice, beneficiary_a, forem, jobin):
    client = client_for(alice)
    assert client.get(reverse("convention_create")).status_code == 200
    response = client.post(reverse("convention_create"), create_data(beneficiary_a, forem, jobin))
    convention = Convention.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("convention_detail", args=[convention.pk])
    assert [row.share for row in convention.partners.order_by("id")] == [D("66.66"), D("33.34")]
    assert convention.history.get().history_user == alice


def test_an_invalid_convention_is_redisplayed_with_messages(client_for, alice, beneficiary_a, forem, jobin):
    response = client_for(alice).post(reverse("convention_create"), create_data(
        beneficiary_a, forem, jobin, planned_hours="40", **{"partners-1-share": "20"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "moins de 50 heures" in page
    assert "86,66" in page or "86.66" in page
    assert 'value="40"' in page
    assert not Convention.objects.exists()


def test_beneficiary_search_fills_the_select(client_for, alice, cpas_a, cpas_b):
    BeneficiaryFactory(cpas=cpas_a, last_name="Mertens", first_name="Yves")
    BeneficiaryFactory(cpas=cpas_b, last_name="Mertz", first_name="Other CPAS")
    page = client_for(alice).post(reverse("person_picker_options") + "?field=beneficiary",
                                  {"beneficiary_query": "mert"}, headers={"HX-Request": "true"}).content.decode()
    assert "MERTENS Yves" in page and "MERTZ" not in page
    assert page.count('type="radio"') == 1


def test_detail_shows_amounts_per_partner_and_how_computed(client_for, alice, signed):
    page = client_for(alice).get(reverse("convention_detail", args=[signed.pk])).content.decode()
    assert "500,00 €" in page and "150,00 €" in page and "100,00 €" in page
    assert "AR du 08/10/2012" in page
    assert "<td>0,50</td>" in page and "Méthodologie validée par" in page  # advance rate, in the reader's locale
    assert "interprétation, paramétrable" in page and "Comment ce montant a-t-il été calculé" in page


def test_sign_hours_close_claim_and_pay_from_the_pages(client_for, alice, bob, beneficiary_a, forem, jobin):
    convention = make_convention(user=alice, beneficiary=beneficiary_a,
                                 partners=[partner(forem, "60"), partner(jobin, "40")])
    client = client_for(alice)
    detail = reverse("convention_detail", args=[convention.pk])
    assert client.post(reverse("convention_sign", args=[convention.pk]))["Location"] == detail
    again = client.post(reverse("convention_sign", args=[convention.pk]))
    assert again.status_code == 400 and "déjà signée" in again.content.decode()
    forem_row = convention.partners.get(organisation=forem)
    bad_hours = client.post(reverse("convention_hours", args=[convention.pk]), {
        "hours-partner": forem_row.pk, "hours-day": "2024-02-01", "hours-hours": "3,5"})
    assert bad_hours.status_code == 400
    assert client.post(reverse("convention_hours", args=[convention.pk]), {
        "hours-partner": forem_row.pk, "hours-day": "2024-03-04", "hours-hours": "3,5"}).status_code == 302
    assert convention.hours_log.get().hours == D("3.50")
    response = client.post(reverse("convention_close", args=[convention.pk]), {
        "close-outcome": "employed_early", "close-end_date": "2024-04-15"})
    assert response.status_code == 302
    convention.refresh_from_db()
    assert (convention.status, convention.final_amount) == ("employed_early", D("500.00"))

    finance = client_for(bob)
    claim_url = reverse("convention_partner_claim", args=[convention.pk, forem_row.pk])
    assert "150,00 €" in finance.get(claim_url).content.decode()
    too_much = finance.post(claim_url, {"received_date": "2024-04-20", "reference": "F-9", "amount_claimed": "150,01"})
    assert too_much.status_code == 400 and "150,01" in too_much.content.decode()
    assert finance.post(claim_url, {"received_date": "2024-04-20", "reference": "F-9",
                                    "amount_claimed": "150,00"}).status_code == 302
    balance = convention.payments.get(partner=forem_row, kind=PaymentKind.BALANCE)
    assert balance.status == "due"
    assert finance.post(reverse("convention_payment_paid", args=[convention.pk, balance.pk]),
                        {"paid_date": "2024-05-01", "reference": "VIR-2024-0501"}).status_code == 302
    balance.refresh_from_db()
    assert (balance.status, balance.paid_date) == ("paid", date(2024, 5, 1))
    twice = finance.post(reverse("convention_payment_paid", args=[convention.pk, balance.pk]),
                         {"paid_date": "2024-05-02", "reference": "VIR-2"})
    assert twice.status_code == 400


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_roles(alice, bob, auditor_a, signed):
    forem_row = signed.partners.order_by("id").first()
    advance = signed.payments.get(partner=forem_row)
    auditor = logged_in(auditor_a)
    assert auditor.get(reverse("convention_detail", args=[signed.pk])).status_code == 200
    assert auditor.get(reverse("convention_create")).status_code == 403
    assert auditor.post(reverse("convention_close", args=[signed.pk]), {}).status_code == 403
    assert auditor.post(reverse("convention_payment_paid", args=[signed.pk, advance.pk]), {}).status_code == 403
    assert logged_in(bob).post(reverse("convention_sign", args=[signed.pk])).status_code == 403
    assert logged_in(alice).get(reverse("convention_partner_claim", args=[signed.pk, forem_row.pk])).status_code == 403
    page = auditor.get(reverse("convention_detail", args=[signed.pk])).content.decode()
    assert "close-button" not in page and "paid-form" not in page


def test_list_filters(client_for, alice, bob, cpas_a, beneficiary_a, forem, jobin):
    other = BeneficiaryFactory(cpas=cpas_a, last_name="Zeller", right_start=date(2012, 1, 1))
    draft = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(jobin)])
    old = make_convention(user=alice, beneficiary=other, partners=[partner(forem, "50"), partner(None, "50")],
                          conclusion_date=date(2012, 11, 4), sign=True)
    services.convention_close(acting_user=alice, convention=old, outcome="employed_early",
                              end_date=date(2013, 1, 10))
    client = client_for(alice)
    url = reverse("convention_list")

    def names(**params):
        page = client.get(url, params).content.decode()
        return {name for name in ("DUBOIS", "ZELLER") if name in page}

    assert names() == {"DUBOIS", "ZELLER"}
    assert names(status="draft") == {"DUBOIS"}
    assert names(partner=forem.pk) == {"ZELLER"}
    assert names(partner="cpas") == {"ZELLER"}
    assert names(start="2020-01-01") == {"DUBOIS"}
    assert names(end="2013-01-01") == {"ZELLER"}
    # Forem's balance was expected within 60 days of the end (10/01/2013): overdue long since.
    assert names(overdue="on") == {"ZELLER"}
    assert draft.status == "draft"


def test_a_balance_claimed_recently_is_not_overdue(client_for, alice, cpas_a, forem):
    today = timezone.localdate()
    person = BeneficiaryFactory(cpas=cpas_a, last_name="Recent", right_start=today - timedelta(days=400))
    convention = make_convention(user=alice, beneficiary=person, partners=[partner(forem)],
                                 conclusion_date=today - timedelta(days=100), sign=True)
    services.convention_close(acting_user=alice, convention=convention, outcome="employed_early",
                              end_date=today - timedelta(days=10))
    page = client_for(alice).get(reverse("convention_list"), {"overdue": "on"}).content.decode()
    assert "RECENT" not in page


def test_pages_in_dutch(client_for, alice, signed):
    client = client_for(alice)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("convention_detail", args=[signed.pk]), headers={"accept-language": "nl"})
    text = page.content.decode()
    assert "<h2>Bedragen</h2>" in text and "Voorschot" in text and "Hoe werd dit berekend?" in text
    assert "KB van 08/10/2012" in text and "interpretatie, instelbaar" in text


def test_the_person_options_carry_raw_ids_past_a_thousand(client_for, alice, cpas_a):
    """Belgian formats group thousands ("12.345"): an id in a form value must never be grouped, or the
    choice posted back is refused as invalid."""
    BeneficiaryFactory(id=12345, cpas=cpas_a, last_name="Dubois")
    response = client_for(alice).get(reverse("person_picker_options"), {"field": "beneficiary", "q": "dubo"})
    page = response.content.decode()
    assert 'value="12345"' in page and "12.345" not in page
