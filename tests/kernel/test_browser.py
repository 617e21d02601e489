"""A caseworker in Chromium: log in, switch language, search as they type, create and edit a beneficiary."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from cpas_portal.models import Beneficiary
from tests.factories import BeneficiaryFactory
from tests.helpers import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_as_you_type_filters_without_reloading(login_page, alice, cpas_a, cpas_b):
    BeneficiaryFactory(cpas=cpas_a, last_name="Lambert", first_name="Zoé")
    BeneficiaryFactory(cpas=cpas_a, last_name="Mertens", first_name="Yves", niss="85073003328")
    BeneficiaryFactory(cpas=cpas_b, last_name="Lambrecht", first_name="Other CPAS")
    page = login_page(alice)
    # A caseworker lands on her day, then opens the beneficiaries from the menu.
    expect(page.locator("#overdue")).to_be_visible()
    page.click("header nav >> text=Bénéficiaires")
    expect(page.locator("h1")).to_have_text("Bénéficiaires")
    page.evaluate("window.notReloaded = true")
    page.fill("input[name=q]", "lamb")
    expect(page.locator("#beneficiary-results tbody tr")).to_have_count(1)
    expect(page.locator("#beneficiary-results")).to_contain_text("LAMBERT")
    expect(page.locator("#beneficiary-results")).not_to_contain_text("LAMBRECHT")
    page.fill("input[name=q]", "85.07.30")
    expect(page.locator("#beneficiary-results")).to_contain_text("MERTENS")
    expect(page.locator("#beneficiary-results")).to_contain_text("85.07.30-***.**")
    assert page.evaluate("window.notReloaded") is True
    address = urlsplit(page.url)
    assert "85" not in address.path + address.query  # searched by POST: the number stays out of the address


def test_create_with_errors_then_fix_and_edit_in_dutch(login_page, alice, live_server):
    page = login_page(alice, language="nl")
    expect(page.locator("#overdue")).to_be_visible()
    page.click("header nav >> text=Rechthebbenden")
    expect(page.locator("h1")).to_have_text("Rechthebbenden")
    page.click("text=Nieuwe rechthebbende")
    page.fill("#id_niss", "85.07.30-033.29")
    page.fill("#id_last_name", "Renard")
    page.fill("#id_first_name", "Julien")
    fill_date(page, "#id_birth_date", date(1985, 7, 30))
    page.select_option("#id_sex", "M")
    page.select_option("#id_right_type", "ris")
    page.select_option("#id_category", "2")
    fill_date(page, "#id_right_start", date(2025, 1, 1))
    page.fill("#id_postal_code", "50")
    page.click("main button[type=submit]")
    expect(page.locator(".field.has-error")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("controlecijfers")
    expect(page.locator("main")).to_contain_text("4 cijfers")
    expect(page.locator("#id_last_name")).to_have_value("Renard")
    page.screenshot(path="test-artifacts/beneficiary-form-errors.png", full_page=True)
    page.fill("#id_niss", "85.07.30-033.28")
    page.fill("#id_postal_code", "5000")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("85.07.30-033.28")
    beneficiary = Beneficiary.objects.get(niss="85073003328")
    page.click("text=Wijzigen")
    page.fill("#id_city", "Jambes")
    page.click("main button[type=submit]")
    expect(page.locator("#history")).to_contain_text("Jambes")
    expect(page.locator("#history")).to_contain_text("Alice Lambert")
    beneficiary.refresh_from_db()
    assert beneficiary.city == "Jambes"


def test_api_docs_render_under_the_content_security_policy(page, live_server, db):
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator("#swagger-ui")).to_contain_text("/api/v1/beneficiaries/", timeout=15000)
