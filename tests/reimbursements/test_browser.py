"""A finance officer asks for a claim in the browser, follows the progress bar and opens the claim."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from conventions import services as convention_services
from conventions.models import Payment
from cpas_portal.templatetags.cpas import eur
from reimbursements.models import SignerCapacity
from tests.conventions.factories import coaching_partner, make_convention, partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paid_convention(alice, bob, cpas_a, beneficiary_a):
    convention = make_convention(user=alice, beneficiary=beneficiary_a,
                                 partners=[partner(coaching_partner(cpas_a, name="=Job'In asbl"), "100")], sign=True)
    for payment in Payment.objects.filter(convention=convention, status="due"):
        convention_services.payment_mark_paid(acting_user=bob, payment=payment, paid_date=date(2024, 3, 5))
    return convention


def test_finance_asks_for_a_claim_and_follows_its_progress(login_page, bob, paid_convention):
    page = login_page(bob)
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/claims/new/")
    page.select_option("#id_measure", "convention")
    page.select_option("#id_period_kind", "month")
    page.fill("#id_year", "2024")
    page.fill("#id_number", "3")
    page.click("main button[type=submit]")
    page.wait_for_selector("main .job-progress strong.percent:has-text('100 %')", timeout=60000)
    assert page.locator("main progress").get_attribute("value") == "100"
    page.click("main a.button:has-text('92094-CONVPART-2024-03-1v1')")
    page.wait_for_selector("main h1:has-text('92094-CONVPART-2024-03-1v1')")
    content = page.content()
    assert "DUBOIS Amélie" in content
    assert "250,00 €" in content
    assert "=Job'In asbl" in content
    page.screenshot(path="/tmp/reimbursements-claim-detail.png", full_page=True)


def test_the_new_claim_form_shows_a_message_per_field(login_page, bob):
    page = login_page(bob)
    base = page.url.split("/", 3)
    page.goto(f"{base[0]}//{base[2]}/claims/new/")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_year", "2024")
    page.fill("#id_number", "6")
    page.click("main button[type=submit]")
    page.wait_for_selector("main .field.has-error")
    assert page.locator("#id_number").input_value() == "6"
    page.screenshot(path="/tmp/reimbursements-claim-form.png", full_page=True)


def test_the_director_signs_a_reviewed_claim_in_the_browser(login_page, bob, director_a, cpas_a, fake_source):
    from reimbursements import services
    from reimbursements.models import GenerationJob

    job = GenerationJob.objects.create(cpas=cpas_a, measure="art60", period_kind="month", period_start="2026-03-01",
                                       period_end="2026-03-31", requested_by=bob)
    claim = services.run_generation_job(job.pk).claim
    services.claim_review(acting_user=bob, claim=claim)
    page = login_page(director_a)
    base = page.url.split("/", 3)
    page.goto(f"{base[0]}//{base[2]}/claims/")
    page.click(f"main a:has-text('{claim.reference}')")
    page.click("main button[value=sign-secretary]")
    # A signature cannot be withdrawn: the dialog says so, with the amount signed for, in her language.
    with translation.override("fr"):
        warning = gettext("Sign this claim of %(total)s as %(capacity)s? Your name, the place and the time are "
                          "printed on the PDF form; a signature cannot be withdrawn.") % {
            "total": eur(claim.total), "capacity": str(SignerCapacity.SECRETARY.label).lower()}
    expect(page.locator("#confirm-dialog [data-confirm-message]")).to_have_text(warning)
    page.click("#confirm-dialog [data-confirm-accept]")
    signed = page.locator("main li[data-step=sign-secretary]")
    expect(signed).to_have_attribute("data-done", "yes")
    expect(signed).to_contain_text("Diane Leroy")
    expect(page.locator("main li[data-step=sign-president]")).to_have_attribute("data-done", "no")
    # One signature per person: the director sees no sign button any more.
    expect(page.locator("#signed-already")).to_be_visible()
    assert page.locator("main button[name=action][value^=sign]").count() == 0
    assert list(claim.signatures.values_list("capacity", "signer")) == [("secretary", director_a.pk)]
    page.goto(f"{base[0]}//{base[2]}/claims/")
    page.screenshot(path="/tmp/reimbursements-claim-list.png", full_page=True)
    assert "Vérifiée" in page.locator("main table").inner_text()
