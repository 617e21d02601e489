"""The CPAS's identity printed on its claims: address, contact person, bank account (IBAN checked)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cpas_portal.demo import belgian_iban
from cpas_portal.identifiers import iban_compact, iban_display
from tests.factories import UserFactory


@pytest.mark.parametrize("value", ["BE71 0961 2345 6769", "be71096123456769", "NL91 ABNA 0417 1643 00"])
def test_a_valid_iban_is_stored_compact(value):
    assert iban_compact(value) == value.replace(" ", "").upper()


@pytest.mark.parametrize("value", ["BE71 0961 2345 6768", "BE68 5390 0754 7034", "XX00 1234", "0961 2345 6769"])
def test_an_invalid_iban_is_refused(value):
    with pytest.raises(ValidationError):
        iban_compact(value)


def test_demo_ibans_are_valid_belgian_accounts():
    assert all(iban_compact(belgian_iban(seed)).startswith("BE") for seed in (0, 1, 212000, 999999))
    assert iban_display("BE71096123456769") == "BE71 0961 2345 6769"


@pytest.mark.django_db
def test_the_cpas_keeps_its_iban_compact_and_names_the_field_in_error(cpas_a):
    cpas_a.iban = "BE71 0961 2345 6769"
    cpas_a.full_clean()
    assert cpas_a.iban == "BE71096123456769"
    cpas_a.iban = "BE71 0961 2345 6768"
    with pytest.raises(ValidationError) as error:
        cpas_a.full_clean()
    assert "iban" in error.value.message_dict


@pytest.mark.django_db
def test_the_admin_edits_the_address_contact_and_account(client, cpas_a):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:cpas_portal_cpas_change", args=[cpas_a.pk])
    page = client.get(url).content.decode()
    for name in ("street", "postal_code", "city", "contact_name", "contact_phone", "contact_email", "iban"):
        assert f'name="{name}"' in page
    response = client.post(url, {
        "nis_code": cpas_a.nis_code, "name_fr": "Namur", "name_nl": "Namen", "region": "wallonia", "language": "fr",
        "enterprise_number": cpas_a.enterprise_number, "street": "Rue de Dave 165", "postal_code": "5100",
        "city": "Namur", "contact_name": "Claire Finance", "contact_phone": "081 33 70 11",
        "contact_email": "finances@cpas-namur.example", "iban": "BE71 0961 2345 6768"})
    assert response.status_code == 200 and "IBAN" in response.content.decode()
    cpas_a.refresh_from_db()
    assert cpas_a.iban == ""
