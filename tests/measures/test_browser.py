"""In Chromium: a caseworker records a placement for an under-25 beneficiary; finance opens the budget chart."""

from datetime import date
from decimal import Decimal as D

import pytest

from measures import services
from tests.factories import BeneficiaryFactory
from tests.helpers import fill_date

from .factories import budget, placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("seeded_parameters")]


def test_create_placement_for_under_25_and_see_the_monthly_table(login_page, live_server, alice, cpas_a):
    young = BeneficiaryFactory(cpas=cpas_a, birth_date=date(2001, 2, 3), last_name="Jeune", first_name="Lina")
    page = login_page(alice)
    page.goto(f"{live_server.url}/placements/new/")
    page.fill("#id_beneficiary", young.niss)
    page.check(f"#id_beneficiary-results input[value='{young.pk}']")
    page.select_option("#id_workplace", "cpas")
    fill_date(page, "#id_start", date(2019, 7, 1))
    fill_date(page, "#id_planned_end", date(2019, 9, 30))
    page.fill("#id_regime", "1")
    page.fill("#id_gross_monthly_pay", "2.100,00")
    page.click("main button[type=submit]")
    page.wait_for_selector("#subsidies")
    table = page.inner_text("#subsidies")
    assert "07/2019" in table and "09/2019" in table
    assert table.count("1.568,53") >= 3
    page.screenshot(path="/tmp/measures-placement.png", full_page=True)


def test_budget_page_shows_the_chart(login_page, live_server, alice, bob, cpas_a):
    budget(cpas_a, 2025, "30000.00")
    services.placement_approve(acting_user=alice, placement=placement(
        alice, cpas=cpas_a, scheme="social_economy", start=date(2025, 1, 1), planned_end=date(2025, 12, 31),
        gross_monthly_pay=D("1800")))
    page = login_page(bob)
    page.goto(f"{live_server.url}/budgets/2025/")
    chart = page.wait_for_selector("#budget-chart")
    assert chart.is_visible()
    assert page.locator("#budget-chart rect.consumed").count() == 12
    assert page.locator("#budget-line").count() == 1
    assert "30.000,00" in page.inner_text("#budget-facts")
    page.screenshot(path="/tmp/measures-budget.png", full_page=True)


def test_end_a_placement_through_the_confirmation_dialog(login_page, live_server, alice, cpas_a):
    from measures.models import PlacementStatus
    from tests.helpers import fill_date

    approved = services.placement_approve(acting_user=alice, placement=placement(alice, cpas=cpas_a))
    page = login_page(alice)
    page.goto(f"{live_server.url}/placements/{approved.pk}/")
    fill_date(page, "#end-form #id_actual_end", date(2019, 9, 15))
    page.click("#end-form button[type=submit]")
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    assert page.inner_text("#confirm-dialog [data-confirm-message]").strip()  # what will happen, in words
    # Cancelling the dialog leaves the placement as it was.
    page.click("#confirm-dialog button[value=cancel]")
    approved.refresh_from_db()
    assert approved.status == PlacementStatus.APPROVED
    page.click("#end-form button[type=submit]")
    dialog.wait_for(state="visible")
    page.click("#confirm-dialog [data-confirm-accept]")
    page.wait_for_selector("#placement-status.badge--info")
    approved.refresh_from_db()
    assert approved.status == PlacementStatus.ENDED and approved.actual_end == date(2019, 9, 15)
    assert page.locator("#subsidy-months tbody tr:not(.year-row)").count() == 3  # July to September
    page.screenshot(path="/tmp/measures-placement-ended.png", full_page=True)
