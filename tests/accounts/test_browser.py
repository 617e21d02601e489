"""In Chromium: a login with the code of an authenticator app, and the page a locked-out user sees."""

import pytest
from playwright.sync_api import expect

from .conftest import enrol, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_with_a_code_lands_on_the_caseworkers_day(login_page, alice, cpas_a):
    device = enrol(alice)
    page = login_page(alice)
    expect(page.locator("#id_otp_token")).to_be_visible()
    page.fill("#id_otp_token", totp_code(device))
    page.click("main button[type=submit]")
    expect(page.locator("#overdue")).to_be_visible()


def test_a_locked_out_user_reads_why_in_the_page(login_page, alice, cpas_a):
    for _ in range(5):
        page = login_page(alice, password="wrong-password-1")
    expect(page.locator("main .locked-out")).to_contain_text("30")
    expect(page.locator("header.top")).to_be_visible()
