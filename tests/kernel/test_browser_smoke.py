import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_logs_in_and_sees_beneficiaries(login_page, alice, beneficiary_a):
    page = login_page(alice)
    page.wait_for_selector("text=DUBOIS")
    assert "Bénéficiaires" in page.content() or "Beneficiaries" in page.content()
