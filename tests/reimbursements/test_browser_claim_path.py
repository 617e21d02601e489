"""The whole claim path in the browser, on the demo data of Namur, in French, Dutch and German:
a finance officer generates and reviews a claim, the two demo managers sign it (secretary/director,
then president), finance sends it, downloads the sample statement, imports it, and sees the claim paid.

Every irreversible step goes through the confirmation dialog. Elements are found by ids, roles and
data attributes, never by their (translated) text.
"""

import re
from types import SimpleNamespace

import pytest

from cpas_portal import demo
from cpas_portal.models import Cpas
from reimbursements import demo as reimbursements_demo
from reimbursements.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMUR = next(spec for spec in demo.DEMO_CPAS if spec["slug"] == "namur")


@pytest.fixture
def namur_demo(monkeypatch, seeded_tables):
    """The demo data of Namur (only: Gent would double the time), without the demo claim, which the
    test makes itself through the pages. Loaded with the tasks in-process, as ``scripts/dev`` loads it,
    so that no task of the load is left in a worker's queue; the pages then use the configured queue.
    The demo reads the amount tables the migrations seed (``seeded_tables``: a flush emptied them)."""
    from cpas_portal.celery import app

    monkeypatch.setattr(demo, "DEMO_CPAS", [NAMUR])
    monkeypatch.setattr(reimbursements_demo, "load_demo", lambda cpas, users: None)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        demo.load_demo()
    finally:
        app.conf.task_always_eager = previous
    return Cpas.objects.get(nis_code=NAMUR["nis_code"])


def _as(page, login_page, username, language):
    """Log in as a demo user (a new session: the previous user's cookies are dropped)."""
    if page is not None:
        page.context.clear_cookies()
    return login_page(SimpleNamespace(username=username), password=demo.DEMO_PASSWORD, language=language)


def _confirm(page, button):
    """Click an action's button, check the dialog says what will happen, and confirm it."""
    page.click(button)
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-confirm-message]").inner_text().strip()
    with page.expect_navigation():
        page.click("#confirm-dialog [data-confirm-accept]")


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_a_claim_from_generation_to_paid(login_page, live_server, namur_demo, language, tmp_path):
    base = live_server.url
    page = _as(None, login_page, "namur-finance", language)

    # Generation: the partnership-conventions claim of the first quarter of 2026 (the demo's advances).
    page.goto(f"{base}/claims/new/")
    page.select_option("#id_measure", "convention")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_year", "2026")
    page.fill("#id_number", "1")
    page.click("main button[type=submit]")
    page.wait_for_selector("main .job-progress [data-job-status=done]", timeout=120000)
    claim = Claim.objects.get(cpas=namur_demo)
    page.click(f"main a[href='/claims/{claim.pk}/']")
    page.wait_for_selector("#claim-status[data-status=draft]")
    claim_url = page.url

    # Review by finance.
    _confirm(page, "main button[value=review]")
    page.wait_for_selector("#claim-status[data-status=reviewed]")
    assert page.locator("li[data-step=review][data-done=yes]").count() == 1

    # First signature: the demo manager, as secretary/director.
    page = _as(page, login_page, "namur-manager", language)
    page.goto(claim_url)
    _confirm(page, "main button[value=sign-secretary]")
    page.wait_for_selector("li[data-step=sign-secretary][data-done=yes]")
    assert page.locator("#signed-already").count() == 1
    assert page.locator("main button[value^=sign-]").count() == 0

    # Second signature: the other demo manager, as president.
    page = _as(page, login_page, "namur-president", language)
    page.goto(claim_url)
    assert page.locator("main button[value=sign-secretary]").count() == 0
    _confirm(page, "main button[value=sign-president]")
    page.wait_for_selector("#claim-status[data-status=signed]")

    # Sending, by finance.
    page = _as(page, login_page, "namur-finance", language)
    page.goto(claim_url)
    _confirm(page, "main button[value=send]")
    page.wait_for_selector("#claim-status[data-status=sent]")

    # The sample statement, downloaded from the statements page and imported there.
    page.goto(f"{base}/claims/statements/")
    with page.expect_download() as download:
        page.click("#sample-statement-link")
    sample = tmp_path / download.value.suggested_filename
    download.value.save_as(sample)
    assert sample.read_text(encoding="utf-8").count("\n") == claim.lines.exclude(niss="").count()
    page.set_input_files("main input[type=file]", str(sample))
    page.click("main form[enctype='multipart/form-data'] button[type=submit]")
    # The import may run as a background job: wait for its statement's page rather than for the POST.
    page.wait_for_url(re.compile(r"/claims/statements/\d+/$"), timeout=120000)

    page.goto(claim_url)
    page.wait_for_selector("#claim-status[data-status=paid]", timeout=30000)
    assert page.locator("li[data-step=payment][data-done=yes]").count() == 1
    assert page.locator("#claim-payments tbody tr").count() == 1
    assert page.locator("html").get_attribute("lang") == language
    page.screenshot(path=f"/tmp/reimbursements-claim-paid-{language}.png", full_page=True)
