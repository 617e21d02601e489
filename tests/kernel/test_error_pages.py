"""Friendly error pages (issue 12, item 7): 403, 404, 500 and a failed CSRF check are pages inside the
layout, in the user's language, saying why; never Django's English "Forbidden" nor a traceback."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cpas_portal import urls

LANGUAGES = ["fr", "nl", "de", "en"]
# Layout strings whose translations exist in every catalogue: the page is in the user's language.
LOGOUT = {"fr": "Se déconnecter", "nl": "Afmelden", "de": "Abmelden", "en": "Log out"}
SERVER_ERROR = {"fr": "Erreur du serveur", "nl": "Serverfout", "de": "Serverfehler", "en": "Server error"}
NEVER = ["403 Forbidden", "<h1>Forbidden", "Traceback", "CSRF verification failed", "Not Found</h1>",
         "Server Error (500)", "IntegrityError"]


def in_language(language, text):
    """The text as the page shows it in that language: translated (a missing translation fails here, not as
    a silent English match)."""
    with translation.override(language):
        translated = translation.gettext(text)
    assert language == "en" or translated != text, f"no {language} translation of {text!r}"
    return translated


def assert_friendly(response, language, status):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert 'class="card error-page"' in html  # inside the layout, not a bare page
    assert not [text for text in NEVER if text in html]
    return html


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def test_the_handlers_are_the_friendly_ones():
    assert urls.handler403 == "cpas_portal.error_pages.permission_denied"
    assert urls.handler404 == "cpas_portal.error_pages.page_not_found"
    assert urls.handler500 == "cpas_portal.error_pages.server_error"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_role_that_may_not_gets_a_403_saying_why(logged_in, language):
    # A caseworker opens the managers' page of locked accounts: the view raises PermissionDenied.
    response = logged_in.get(reverse("locked_accounts"), HTTP_ACCEPT_LANGUAGE=language)
    html = assert_friendly(response, language, 403)
    assert LOGOUT[language] in html
    assert in_language(language, "Access denied") in html
    assert in_language(language, "Only a manager may unlock an account.") in html
    assert in_language(language, "Your role does not allow this action or page. If you need it for your work, "
                                 "ask a manager of your CPAS to change your role.") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_another_cpas_record_is_a_404_in_the_layout(logged_in, beneficiary_b, language):
    response = logged_in.get(reverse("beneficiary_detail", args=[beneficiary_b.pk]), HTTP_ACCEPT_LANGUAGE=language)
    html = assert_friendly(response, language, 404)
    assert in_language(language, "Page not found") in html and LOGOUT[language] in html
    assert "No Beneficiary matches" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_address_is_a_404_for_anonymous_users_too(client, language):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    html = assert_friendly(response, language, 404)
    assert in_language(language, "Page not found") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unexpected_error_is_a_500_page_that_says_it_was_logged(client, alice, monkeypatch, language, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom in a view")

    monkeypatch.setattr("cpas_portal.views.render", broken)
    client.raise_request_exception = False
    client.force_login(alice)
    response = client.get(reverse("beneficiary_list"), HTTP_ACCEPT_LANGUAGE=language)
    html = assert_friendly(response, language, 500)
    assert SERVER_ERROR[language] in html and LOGOUT[language] in html
    assert "boom in a view" not in html and "RuntimeError" not in html
    assert any("boom in a view" in str(record.exc_info) for record in caplog.records if record.exc_info)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failed_csrf_check_explains_what_to_do(alice, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("beneficiary_create"), {"last_name": "X"}, HTTP_ACCEPT_LANGUAGE=language)
    html = assert_friendly(response, language, 403)
    assert LOGOUT[language] in html
    assert in_language(language, "The form expired") in html


def test_api_errors_stay_json(api_client_for, alice, client):
    response = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_the_bare_fallback_when_the_layout_itself_fails(rf, monkeypatch):
    from cpas_portal import error_pages

    def broken(*args, **kwargs):
        raise RuntimeError("layout down")

    monkeypatch.setattr(error_pages, "render_to_string", broken)
    request = rf.get("/x/")
    with translation.override("de"):
        response = error_pages.page_not_found(request)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
