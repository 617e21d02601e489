"""A caseworker and a finance officer in Chromium: create, sign, close as employed early, register claims."""

import pytest
from playwright.sync_api import expect

from conventions.models import Convention
from tests.factories import BeneficiaryFactory

from .factories import coaching_partner, employment_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_convention_with_two_partners_from_creation_to_balances(login_page, alice, bob, cpas_a, live_server):
    BeneficiaryFactory(cpas=cpas_a, last_name="Dubois", first_name="Amélie", referent=alice)
    BeneficiaryFactory(cpas=cpas_a, last_name="Mertens", first_name="Yves")
    forem, jobin = employment_office(cpas_a), coaching_partner(cpas_a)
    page = login_page(alice)
    page.goto(f"{live_server.url}/conventions/new/")
    page.fill("#id_beneficiary", "dubo")
    expect(page.locator("#id_beneficiary-results input[type=radio]")).to_have_count(1)
    expect(page.locator("#id_beneficiary-results")).to_contain_text("DUBOIS Amélie")
    page.check("#id_beneficiary-results input[type=radio]")
    page.fill("#id_conclusion_date", "2024-03-01")
    page.fill("#id_planned_hours", "100")
    page.select_option("#id_methodology", "both")
    for name in ("assessment", "job_offers", "application_techniques", "work_attitudes", "prospection"):
        page.check(f"#id_plan_{name}")
    page.select_option("#id_partners-0-partner", str(forem.pk))
    page.fill("#id_partners-0-share", "60")
    page.select_option("#id_partners-1-partner", str(jobin.pk))
    page.fill("#id_partners-1-share", "30")
    page.click("main button[type=submit]")
    expect(page.locator("main .errorlist")).to_contain_text("90")
    expect(page.locator("#id_partners-1-share")).to_have_value("30")
    page.screenshot(path="/tmp/conventions-form-errors.png", full_page=True)
    page.fill("#id_partners-1-share", "40")
    page.click("main button[type=submit]")

    page.click("#sign-button")
    expect(page.locator("#agreed-amount")).to_have_text("500,00 €")
    expect(page.locator("tr[data-partner='Forem'] td.advance")).to_contain_text("150,00 €")
    expect(page.locator("tr[data-partner=\"Job'In asbl\"] td.advance")).to_contain_text("100,00 €")
    expect(page.locator("#how-computed")).to_contain_text("AR du 08/10/2012")
    page.screenshot(path="/tmp/conventions-detail-signed.png", full_page=True)

    page.select_option("#id_close-outcome", "employed_early")
    page.fill("#id_close-end_date", "2024-05-15")
    page.click("#close-button")
    expect(page.locator("#final-amount")).to_have_text("500,00 €")
    expect(page.locator("#balance-amount")).to_have_text("250,00 €")
    page.locator("form[action='/logout/'] button").click()

    page = login_page(bob)
    convention = Convention.objects.get()
    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    for name, reference, amount in (("Forem", "F-2024-17", "150,00"), ("Job'In asbl", "J-88", "100,00")):
        page.locator(f"tr[data-partner=\"{name}\"] a.button").click()
        expect(page.locator("#balance-due")).to_have_text(f"{amount} €")
        page.fill("#id_received_date", "2024-05-20")
        page.fill("#id_reference", reference)
        page.fill("#id_amount_claimed", amount)
        page.click("main button[type=submit]")
        expect(page.locator(f"tr[data-partner=\"{name}\"] td.balance")).to_contain_text(f"{amount} €")
    expect(page.locator("tr[data-partner='Forem'] td.due")).to_contain_text("300,00 €")
    expect(page.locator("#timeline")).to_contain_text("F-2024-17")
    page.screenshot(path="/tmp/conventions-detail-claims.png", full_page=True)
    page.goto(f"{live_server.url}/conventions/")
    expect(page.locator("#convention-results tbody tr")).to_have_count(1)
    page.screenshot(path="/tmp/conventions-list.png", full_page=True)
