"""A caseworker and a finance officer in Chromium: create, sign, close as employed early, register claims; a
draft fixed by editing then signed, and a draft cancelled, through the confirmation dialog."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from conventions.models import Convention
from tests.factories import BeneficiaryFactory
from tests.helpers import fill_date

from .factories import coaching_partner, employment_office, make_convention, partner

SIGN_CONFIRMATION = (
    "Sign this convention? Its plan, partners and shares are frozen, the agreed amount is fixed by the rules in "
    "force on the conclusion date, and each partner’s advance (half of that amount) becomes due. A signed "
    "convention can no longer be edited or cancelled, only closed.")
CANCEL_CONFIRMATION = ("Cancel this draft convention? It will never be signed nor paid; it stays in the list, marked "
                       "cancelled, with your reason. This cannot be undone.")


def in_french(msgid):
    """The text the pages show: the users of these tests read French."""
    with translation.override("fr"):
        return gettext(msgid)

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
    fill_date(page, "#id_conclusion_date", date(2024, 3, 1))
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
    page.click("#confirm-dialog [data-confirm-accept]")
    expect(page.locator("#agreed-amount")).to_have_text("500,00 €")
    expect(page.locator("tr[data-partner='Forem'] td.advance")).to_contain_text("150,00 €")
    expect(page.locator("tr[data-partner=\"Job'In asbl\"] td.advance")).to_contain_text("100,00 €")
    expect(page.locator("#how-computed")).to_contain_text("AR du 08/10/2012")
    page.screenshot(path="/tmp/conventions-detail-signed.png", full_page=True)

    page.select_option("#id_close-outcome", "employed_early")
    fill_date(page, "#id_close-end_date", date(2024, 5, 15))
    page.click("#close-button")
    page.click("#confirm-dialog [data-confirm-accept]")
    expect(page.locator("#final-amount")).to_have_text("500,00 €")
    expect(page.locator("#balance-amount")).to_have_text("250,00 €")
    page.locator("form[action='/logout/'] button").click()

    page = login_page(bob)
    convention = Convention.objects.get()
    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    for name, reference, amount in (("Forem", "F-2024-17", "150,00"), ("Job'In asbl", "J-88", "100,00")):
        page.locator(f"tr[data-partner=\"{name}\"] a.button").click()
        expect(page.locator("#balance-due")).to_have_text(f"{amount} €")
        fill_date(page, "#id_received_date", date(2024, 5, 20))
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


def test_a_draft_missing_a_plan_element_is_fixed_by_editing_then_signed_through_the_dialog(
        login_page, alice, beneficiary_a, cpas_a, live_server):
    forem, jobin = employment_office(cpas_a), coaching_partner(cpas_a)
    draft = make_convention(user=alice, beneficiary=beneficiary_a, plan_prospection=False,
                            partners=[partner(forem, "60"), partner(jobin, "40")])
    page = login_page(alice)
    page.goto(f"{live_server.url}/conventions/{draft.pk}/")
    expect(page.locator("#sign-button")).to_be_disabled()
    expect(page.locator("#sign-blockers li")).to_have_count(1)
    expect(page.locator("#sign-blockers [data-missing='plan_prospection']")).to_contain_text("AR du 23/09/2004")
    page.screenshot(path="/tmp/conventions-draft-blocked.png", full_page=True)

    page.click("#edit-button")
    expect(page.locator("#id_plan_prospection")).not_to_be_checked()
    expect(page.locator("#id_partners-0-share")).to_have_value("60,00")
    page.check("#id_plan_prospection")
    fill_date(page, "#id_conclusion_date", date(2024, 3, 4))
    page.fill("#id_planned_hours", "60")
    page.click("main form.stacked button[type=submit]")
    expect(page.locator("#sign-blockers")).to_have_count(0)
    expect(page.locator("#sign-button")).to_be_enabled()

    page.click("#sign-button")
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-confirm-message]")).to_have_text(in_french(SIGN_CONFIRMATION))
    page.screenshot(path="/tmp/conventions-sign-dialog.png", full_page=True)
    page.click("#confirm-dialog [data-confirm-accept]")
    expect(page.locator("#agreed-amount")).to_have_text("250,00 €")
    expect(page.locator("tr[data-partner='Forem'] td.advance")).to_contain_text("75,00 €")
    draft.refresh_from_db()
    assert (draft.status, draft.conclusion_date, draft.planned_hours) == ("signed", date(2024, 3, 4), 60)


def test_a_draft_is_cancelled_through_the_dialog_and_dismissing_it_does_nothing(
        login_page, alice, beneficiary_a, cpas_a, live_server):
    draft = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(employment_office(cpas_a))])
    page = login_page(alice)
    page.goto(f"{live_server.url}/conventions/{draft.pk}/")
    page.fill("#id_cancel-reason", "The person found a job on their own")
    page.click("#cancel-button")
    expect(page.locator("#confirm-dialog")).to_be_visible()
    page.click("#confirm-dialog button[value=cancel]")
    expect(page.locator("#confirm-dialog")).to_be_hidden()
    expect(page.locator("#cancel-form")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == "draft"

    page.click("#cancel-button")
    expect(page.locator("#confirm-dialog [data-confirm-message]")).to_have_text(in_french(CANCEL_CONFIRMATION))
    page.click("#confirm-dialog [data-confirm-accept]")
    expect(page.locator("#cancelled")).to_contain_text("The person found a job on their own")
    expect(page.locator("#cancel-form")).to_have_count(0)
    expect(page.locator("#sign-button")).to_have_count(0)
    page.screenshot(path="/tmp/conventions-cancelled.png", full_page=True)
    draft.refresh_from_db()
    assert (draft.status, draft.cancel_reason) == ("cancelled", "The person found a job on their own")
    assert draft.history.order_by("-history_date", "-history_id").first().history_user == alice
