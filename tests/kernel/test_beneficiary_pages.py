"""Beneficiary pages: list, search as you type, detail, create and edit with messages per field."""

import pytest
from django.urls import reverse

from cpas_portal.models import Beneficiary
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

VALID = {
    "niss": "85.07.30-033.28", "last_name": "Renard", "first_name": "Julien", "birth_date": "1985-07-30",
    "sex": "M", "language": "fr", "street": "Rue de Fer 1", "postal_code": "5000", "city": "Namur",
    "right_type": "ris", "category": "2", "right_start": "2025-01-01", "right_end": "",
}


def test_list_masks_national_numbers(client_for, alice, beneficiary_a):
    page = client_for(alice).get(reverse("beneficiary_list")).content.decode()
    assert beneficiary_a.niss_masked in page
    assert beneficiary_a.niss not in page and beneficiary_a.niss_display not in page


def test_search_as_you_type_returns_the_results_fragment(client_for, alice, cpas_a):
    BeneficiaryFactory(cpas=cpas_a, last_name="Lambert", first_name="Zoé")
    BeneficiaryFactory(cpas=cpas_a, last_name="Mertens", first_name="Yves", niss="85073003328")
    client = client_for(alice)
    headers = {"HX-Request": "true", "HX-Target": "beneficiary-results"}
    by_name = client.get(reverse("beneficiary_list"), {"q": "lamb"}, headers=headers).content.decode()
    assert "LAMBERT" in by_name and "MERTENS" not in by_name and "<html" not in by_name
    by_niss = client.post(reverse("beneficiary_list"), {"q": "85.07.30"}, headers=headers).content.decode()
    assert "MERTENS" in by_niss and "LAMBERT" not in by_niss


def test_list_is_paginated(client_for, alice, cpas_a):
    BeneficiaryFactory.create_batch(30, cpas=cpas_a)
    client = client_for(alice)
    first = client.get(reverse("beneficiary_list")).context["page"]
    assert len(first.object_list) == 25 and first.paginator.count == 30
    assert len(client.get(reverse("beneficiary_list"), {"page": 2}).context["page"].object_list) == 5


def test_create_records_who_and_shows_the_full_number_on_detail(client_for, alice, cpas_a):
    client = client_for(alice)
    response = client.post(reverse("beneficiary_create"), {**VALID, "referent": alice.pk})
    beneficiary = Beneficiary.objects.get(cpas=cpas_a, niss="85073003328")
    assert response.status_code == 302 and response["Location"] == reverse("beneficiary_detail", args=[beneficiary.pk])
    assert beneficiary.history.get().history_user == alice
    detail = client.get(response["Location"]).content.decode()
    assert "85.07.30-033.28" in detail and "Alice Lambert" in detail


def test_invalid_input_is_redisplayed_with_a_message_per_field_in_french(client_for, alice):
    data = {**VALID, "niss": "85.07.30-033.29", "postal_code": "50", "right_end": "2024-01-01", "last_name": ""}
    response = client_for(alice).post(reverse("beneficiary_create"), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"niss", "postal_code", "right_end", "last_name"}
    page = response.content.decode()
    assert 'value="85.07.30-033.29"' in page and 'value="Rue de Fer 1"' in page
    assert "chiffres de contrôle" in page
    assert not Beneficiary.objects.exists()


def test_errors_in_dutch(client_for, alice):
    client = client_for(alice)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    response = client.post(reverse("beneficiary_create"), {**VALID, "niss": "123"})
    assert "11 cijfers" in response.content.decode()


def test_a_national_number_already_in_the_cpas_is_refused(client_for, alice, beneficiary_a):
    response = client_for(alice).post(reverse("beneficiary_create"), {**VALID, "niss": beneficiary_a.niss})
    assert response.status_code == 400 and "niss" in response.context["form"].errors


def test_edit_records_the_change_in_the_history(client_for, alice, bob, beneficiary_a):
    client = client_for(alice)
    data = {**VALID, "niss": beneficiary_a.niss, "last_name": "Dubois", "first_name": "Amélie",
            "birth_date": beneficiary_a.birth_date.isoformat(), "sex": beneficiary_a.sex, "city": "Jambes"}
    response = client.post(reverse("beneficiary_edit", args=[beneficiary_a.pk]), data)
    assert response.status_code == 302
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.city == "Jambes"
    latest = beneficiary_a.history.first()
    assert latest.history_user == alice and latest.history_type == "~"
    detail = client.get(reverse("beneficiary_detail", args=[beneficiary_a.pk])).content.decode()
    assert "Jambes" in detail and "Alice Lambert" in detail


def test_finance_staff_cannot_create_beneficiaries(client_for, bob):
    assert client_for(bob).get(reverse("beneficiary_create")).status_code == 403


def test_the_referent_must_belong_to_the_cpas(client_for, alice, charlie):
    response = client_for(alice).post(reverse("beneficiary_create"), {**VALID, "referent": charlie.pk})
    assert response.status_code == 400 and "referent" in response.context["form"].errors


def test_language_switch(client_for, alice):
    client = client_for(alice)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Rechthebbenden" in client.get(reverse("beneficiary_list")).content.decode()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Bénéficiaires" in client.get(reverse("beneficiary_list")).content.decode()


def test_dates_are_shown_in_the_users_locale(client_for, alice, beneficiary_a):
    client = client_for(alice)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "17/05/1990" in client.get(reverse("beneficiary_list")).content.decode()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "17/05/1990" in client.get(reverse("beneficiary_list")).content.decode()
