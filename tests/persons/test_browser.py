"""In Chromium: a caseworker chooses the person of a new PIIS by typing their national number, with the keyboard;
a national number typed first fills the birth date and sex of a new person."""

from datetime import date

import pytest
from playwright.sync_api import expect

from measures.piis.models import Piis
from tests.factories import BeneficiaryFactory
from tests.helpers import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_is_chosen_by_national_number_search(login_page, live_server, alice, cpas_a):
    ines = BeneficiaryFactory(cpas=cpas_a, first_name="Inès", last_name="Dupont", niss="85073003328",
                              birth_date=date(1985, 7, 30), sex="M")
    BeneficiaryFactory(cpas=cpas_a, first_name="Inès", last_name="Dupond")
    page = login_page(alice)
    page.goto(f"{live_server.url}/piis/new/")
    page.focus("#id_beneficiary")
    page.keyboard.type("85.07.30-033.28")
    choices = page.locator("#id_beneficiary-results input[type=radio]")
    expect(choices).to_have_count(1)
    expect(page.locator("#id_beneficiary-results")).to_contain_text("DUPONT Inès")
    expect(page.locator("#id_beneficiary-results")).to_contain_text("85.07.30-***.**")
    # Keyboard only: into the radio group, the first person is chosen with the space bar.
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(choices.first).to_be_checked()
    page.select_option("#id_kind", "socio_professional")
    fill_date(page, "#id_applied_on", date(2026, 1, 5))
    page.fill("#id_objectives", "Training as a cook")
    page.click("main button[type=submit]")
    page.wait_for_url("**/piis/*/")
    assert Piis.objects.get().beneficiary == ines


def test_a_national_number_typed_first_fills_birth_date_and_sex(login_page, live_server, alice):
    page = login_page(alice)
    page.goto(f"{live_server.url}/beneficiaries/new/")
    page.fill("#id_niss", "98.47.28-998.64")  # a woman's BIS number (month + 40), born 28/07/1998
    expect(page.locator("#id_sex")).to_have_value("F")
    # The enhanced date field: the user sees the date, the hidden field posted under the name has it in ISO.
    expect(page.locator("#id_birth_date")).to_have_value("28/07/1998")
    expect(page.locator("#id_birth_date_value")).to_have_value("1998-07-28")
