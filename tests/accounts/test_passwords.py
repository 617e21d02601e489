"""Password rules (12 characters, not common, not only digits, not like the user's name) and the change page."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from cpas_portal.demo import ADMIN_PASSWORD, ADMIN_USERNAME, DEMO_CPAS, DEMO_PASSWORD

from .conftest import PASSWORD, login

User = get_user_model()


@pytest.mark.parametrize("password, error", [
    ("short-pw-26", "password_too_short"),          # 11 characters
    ("123456789012", "password_entirely_numeric"),
    ("password1234", "password_too_common"),
    ("alice.lambert.x", "password_too_similar"),
])
def test_weak_passwords_are_refused(password, error):
    user = User(username="alice.lambert", first_name="Alice", last_name="Lambert")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert error in {e.code for e in refused.value.error_list}


def test_twelve_characters_are_enough():
    validate_password("kiwi-tram-42", User(username="alice"))


def test_the_demo_passwords_follow_the_rules():
    validate_password(ADMIN_PASSWORD, User(username=ADMIN_USERNAME))
    roles = ("caseworker", "finance", "manager", "auditor")
    for spec in DEMO_CPAS:
        for role in roles:
            validate_password(DEMO_PASSWORD, User(username=f"{spec['slug']}-{role}"))


def change(client, old=PASSWORD, new="a-much-longer-pass-2026", again=None):
    return client.post("/account/password/", {
        "old_password": old, "new_password1": new, "new_password2": again or new,
    })


def test_the_account_page_links_to_the_password_change(client_for, alice):
    page = client_for(alice).get("/account/")
    assert page.status_code == 200 and b'href="/account/password/"' in page.content


def test_a_user_changes_their_password_and_stays_logged_in(client_for, alice):
    client = client_for(alice)
    response = change(client)
    assert response.status_code == 302 and response["Location"] == "/account/"
    alice.refresh_from_db()
    assert alice.check_password("a-much-longer-pass-2026")
    assert client.get("/beneficiaries/").status_code == 200


def test_other_sessions_end_with_the_old_password(client_for, client, alice):
    from django.test import Client

    other = Client()
    login(other, "alice")
    change(client_for(alice))
    assert other.get("/beneficiaries/").status_code == 302


@pytest.mark.parametrize("fields, field", [
    ({"old": "wrong-password-1"}, "old_password"),
    ({"new": "short-pw-26"}, "new_password2"),
    ({"new": "123456789012"}, "new_password2"),
    ({"new": "a-much-longer-pass-2026", "again": "another-long-pass-2026"}, "new_password2"),
])
def test_a_refused_change_says_why_and_keeps_the_password(client_for, alice, fields, field):
    response = change(client_for(alice), **fields)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_the_header_links_to_the_account(client_for, alice):
    assert b'href="/account/"' in client_for(alice).get("/beneficiaries/").content
