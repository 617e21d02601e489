"""Accessibility and phones in Chromium (issue 12, items 12, 15 and 16).

axe-core (vendored in tests/assets, never served) finds no serious or critical WCAG 2.2 AA violation
on the main pages, per role and in several languages; at 390 px wide no page scrolls sideways and the
menu is a button; date fields read and take dd/mm/yyyy whatever the browser's locale, with a picker
in the page's language; focus goes to the first field in error.
"""

import importlib
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from playwright.sync_api import expect

from cpas_portal.models import Role
from tests.factories import BeneficiaryFactory, member
from tests.helpers import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "assets" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(cpas_a, alice, bob, beneficiary_a):
    """A few rows in each main list, so tables are drawn (a transactional test starts after a flush)."""
    for name in ("0002_seed_ris_amounts", "0004_seed_minimum_wage", "0008_seed_minimum_wage_2013_2022"):
        importlib.import_module(f"measures.migrations.{name}").seed(apps, None)
    from tests.conventions.factories import coaching_partner, make_convention, partner
    from tests.measures.factories import placement

    people = [BeneficiaryFactory(cpas=cpas_a, referent=alice, last_name=f"Vandenbroucke-Delacroix {n}",
                                 first_name="Marie-Charlotte") for n in range(3)]
    placement(alice, cpas=cpas_a, beneficiary=people[0])
    make_convention(user=alice, beneficiary=people[1], partners=[partner(coaching_partner(cpas_a))])
    return {"beneficiary": beneficiary_a, "manager": member(cpas_a, Role.MANAGER),
            "auditor": member(cpas_a, Role.AUDITOR)}


def serious_violations(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")  # DevTools evaluation: outside the CSP
    found = page.evaluate("""async (tags) => {
        const result = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
    }""", WCAG_AA)
    return found


def check_pages(page, base, paths):
    problems = {}
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        found = serious_violations(page)
        if found:
            problems[path] = found
    return problems


def main_paths(world):
    pk = world["beneficiary"].pk
    return ["/", "/beneficiaries/", f"/beneficiaries/{pk}/", "/conventions/", "/placements/", "/claims/"]


@pytest.mark.parametrize(("role", "language"), [("caseworker", "fr"), ("finance", "nl"), ("manager", "de"),
                                                ("auditor", "en")])
def test_main_pages_have_no_serious_axe_violation(login_page, live_server, world, alice, bob, role, language):
    user = {"caseworker": alice, "finance": bob, "manager": world["manager"], "auditor": world["auditor"]}[role]
    page = login_page(user, language=language)
    paths = main_paths(world) if role in ("caseworker", "finance") else ["/", "/beneficiaries/"]
    assert check_pages(page, live_server.url, paths) == {}


def test_a_form_with_errors_is_accessible_and_focus_goes_to_the_first_error(login_page, live_server, alice):
    page = login_page(alice)
    page.goto(f"{live_server.url}/beneficiaries/new/")
    page.fill("#id_niss", "85.07.30-033.29")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("[data-form-errors]")).to_be_visible()
    first = page.locator("main [aria-invalid=true]").first
    expect(first).to_be_focused()
    described = first.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described.split()[-1]}").inner_text().strip()
    assert serious_violations(page) == []


def test_a_skip_link_leads_to_the_content_and_focus_is_visible(login_page, live_server, alice):
    page = login_page(alice)
    page.goto(f"{live_server.url}/account/")  # a page whose form does not take the focus itself
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # shown when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_main_pages_fit_a_phone_without_sideways_scrolling(login_page, live_server, world, alice, bob, language):
    page = login_page(alice, language=language)
    page.set_viewport_size(PHONE)
    pk = world["beneficiary"].pk
    too_wide = {}
    for path in [*main_paths(world), "/beneficiaries/new/", f"/beneficiaries/{pk}/edit/", "/account/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert too_wide == {}


def test_the_menu_is_a_button_on_a_phone(login_page, live_server, alice):
    page = login_page(alice)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/beneficiaries/")
    toggle = page.locator("#menu-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("header nav")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("header nav")).to_be_visible()
    page.click("header nav >> text=Bénéficiaires")
    expect(page.locator("h1")).to_have_text("Bénéficiaires")
    # On a desktop the menu is always shown and the button is not.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("#menu-toggle")).to_be_hidden()
    expect(page.locator("header nav")).to_be_visible()


@pytest.fixture
def american_browser(browser, live_server):
    """A browser set to American English: its own date fields would read mm/dd/yyyy."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def log_in(page, base, user, language):
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-2026")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.select_option("#language-select", language)
    page.click("#language-form button")
    page.wait_for_load_state()


@pytest.mark.parametrize(("language", "month_title"), [("nl", "juli 1985"), ("de", "Juli 1985"),
                                                       ("en", "July 1985"), ("fr", "juillet 1985")])
def test_dates_are_day_first_with_a_picker_in_the_page_language(american_browser, live_server, alice, language,
                                                                 month_title):
    page = american_browser
    log_in(page, live_server.url, alice, language)
    page.goto(f"{live_server.url}/beneficiaries/new/")
    field = page.locator("#id_birth_date")
    assert field.get_attribute("type") == "text"
    fill_date(page, "#id_birth_date", date(1985, 7, 30))
    expect(page.locator("#id_birth_date_value")).to_have_value("1985-07-30")
    # The picker opens on the typed month, named in the page's language, weeks starting on Monday.
    page.click("#id_birth_date ~ button.date-open")
    picker = page.locator(".date-picker")
    expect(picker).to_be_visible()
    expect(picker.locator(".date-title")).to_have_text(month_title)
    expect(picker.locator("[data-date='1985-07-30']")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")  # 29 July - 7 days
    expect(picker).to_be_hidden()
    expect(field).to_have_value("22/07/1985")
    expect(page.locator("#id_birth_date_value")).to_have_value("1985-07-22")
    # Sent and shown back day first.
    page.fill("#id_niss", "123")  # an error: the form comes back
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#id_birth_date")).to_have_value("22/07/1985")


def test_a_typed_date_that_does_not_exist_is_the_servers_field_error(login_page, live_server, alice):
    page = login_page(alice, language="de")
    page.goto(f"{live_server.url}/beneficiaries/new/")
    page.fill("#id_birth_date", "31/02/1985")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#id_birth_date")).to_have_value("31/02/1985")
    expect(page.locator("#id_birth_date")).to_have_attribute("aria-invalid", "true")
    assert page.locator(".field.has-error").filter(has=page.locator("#id_birth_date")).count() == 1
