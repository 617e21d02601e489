"""The interface language is the user's choice, kept on their profile (issue 12, item 14): set from the
selector or the account page, applied at login and on every page whatever the browser says. Anonymous
users keep the browser's language; the API follows Accept-Language and writes dates in ISO 8601."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from cpas_portal.models import Membership

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def language_of(page):
    return page.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_without_a_choice_the_browser_decides(client_for, alice):
    assert language_of(client_for(alice).get(reverse("beneficiary_list"), HTTP_ACCEPT_LANGUAGE="nl")) == "nl"


def test_the_selector_stores_the_choice_on_the_profile(client_for, alice):
    client = client_for(alice)
    response = client.post(reverse("set_language"), {"language": "de", "next": reverse("beneficiary_list")})
    assert response.status_code == 302 and response["Location"] == reverse("beneficiary_list")
    membership = Membership.objects.get(user=alice)
    assert membership.language == "de"
    assert membership.history.first().language == "de"  # recorded with who and when
    # A browser asking for French, without the cookie: the profile wins.
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    page = client.get(reverse("beneficiary_list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert language_of(page) == "de" and "Begünstigte" in page.content.decode()
    assert page["Content-Language"] == "de"


def test_the_choice_applies_at_login_on_another_computer(client, alice):
    Membership.objects.filter(user=alice).update(language="nl")
    login = client.post(reverse("login"), {"username": alice.username, "password": PASSWORD},
                        HTTP_ACCEPT_LANGUAGE="fr")
    assert login.status_code == 302
    assert login.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert language_of(client.get(reverse("beneficiary_list"), HTTP_ACCEPT_LANGUAGE="fr")) == "nl"
    # After logging out the login page stays in the user's language (the cookie).
    client.post(reverse("logout"))
    assert language_of(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr")) == "nl"


def test_the_account_page_changes_and_resets_the_choice(client_for, alice):
    client = client_for(alice)
    page = client.get(reverse("account")).content.decode()
    assert 'id="id_account_language"' in page and 'value="de" lang="de"' in page
    client.post(reverse("set_language"), {"language": "de", "next": reverse("account")})
    assert 'value="de" lang="de" selected' in client.get(reverse("account")).content.decode()
    response = client.post(reverse("set_language"), {"language": "", "next": reverse("account")})
    assert Membership.objects.get(user=alice).language == ""
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # the old choice's cookie is removed
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert language_of(client.get(reverse("beneficiary_list"), HTTP_ACCEPT_LANGUAGE="nl")) == "nl"


def test_an_unknown_language_changes_nothing(client_for, alice):
    client_for(alice).post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert Membership.objects.get(user=alice).language == ""


def test_anonymous_users_keep_the_browser_language(client):
    assert language_of(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de")) == "de"
    assert language_of(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nl")) == "nl"


@pytest.mark.parametrize("accept", ["fr", "nl", "de"])
def test_api_messages_follow_accept_language_not_the_profile(api_client_for, alice, accept):
    from django.utils import translation

    Membership.objects.filter(user=alice).update(language="en")
    response = api_client_for(alice).post("/api/v1/beneficiaries/", {}, format="json", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 400
    with translation.override(accept):
        expected = translation.gettext("This field is required.")
    assert expected != "This field is required."
    assert response.json()["last_name"] == [expected]
    assert response["Content-Language"] == accept


@pytest.mark.parametrize("accept", ["fr", "nl", "de", "en"])
def test_api_dates_are_iso_whatever_the_language(api_client_for, alice, beneficiary_a, accept):
    Membership.objects.filter(user=alice).update(language="de")
    response = api_client_for(alice).get(f"/api/v1/beneficiaries/{beneficiary_a.pk}/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert response.json()["birth_date"] == beneficiary_a.birth_date.isoformat() == "1990-05-17"


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_forms_take_dates_day_first_in_every_language(client_for, alice, language):
    from django.utils import translation

    from cpas_portal.forms import BeneficiaryForm

    with translation.override(language):
        field = BeneficiaryForm.base_fields["birth_date"]
        assert field.clean("03/04/1985") == date(1985, 4, 3)
        assert field.clean("1985-04-03") == date(1985, 4, 3)
