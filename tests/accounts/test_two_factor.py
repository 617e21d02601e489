"""Second factor (TOTP): enrolment, login with a code, the admin, and the roles that must enrol in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpas_portal.models import Role
from tests.factories import member

from .conftest import enrol, login, totp_code, wrong_code

PAGE = "/beneficiaries/"
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("no_otp_throttle")


def test_enrolment_shows_a_qr_code_and_the_key_and_needs_a_first_code(client_for, alice):
    client = client_for(alice)
    page = client.get("/account/two-step/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b'id="otp-key"' in page.content
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    # The key shown is the device's, in base32 as authenticator apps expect it.
    shown = page.content.split(b'id="otp-key">')[1].split(b"<")[0].decode().replace(" ", "")
    from base64 import b32decode

    assert b32decode(shown) == device.bin_key

    refused = client.post("/account/two-step/", {"otp_token": "12345x"})
    assert refused.status_code == 400 and not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    done = client.post("/account/two-step/", {"otp_token": totp_code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # The session that enrolled is verified: no code asked again.
    assert client.get(PAGE).status_code == 200


def test_reloading_the_enrolment_page_keeps_the_same_key(client_for, alice):
    client = client_for(alice)
    client.get("/account/two-step/")
    client.get("/account/two-step/")
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_login_asks_for_the_code_when_the_user_has_a_device(client, alice):
    device = enrol(alice)
    assert login(client, "alice").status_code == 302
    asked = client.get(PAGE)
    assert asked.status_code == 302 and asked["Location"] == "/login/code/?next=%2Fbeneficiaries%2F"
    assert client.get("/api/v1/beneficiaries/").status_code == 403
    form = client.get(asked["Location"])
    assert form.status_code == 200 and b'id="id_otp_token"' in form.content
    wrong = client.post("/login/code/?next=/beneficiaries/", {"otp_token": wrong_code(device)})
    assert wrong.status_code == 400 and client.get(PAGE).status_code == 302
    verified = client.post("/login/code/", {"otp_token": totp_code(device), "next": PAGE})
    assert verified.status_code == 302 and verified["Location"] == PAGE
    assert client.get(PAGE).status_code == 200


def test_login_without_a_device_asks_nothing(client, alice):
    login(client, "alice")
    assert client.get(PAGE).status_code == 200


def test_a_code_is_not_accepted_twice(client, alice):
    device = enrol(alice)
    code = totp_code(device)
    login(client, "alice")
    assert client.post("/login/code/", {"otp_token": code}).status_code == 302
    other = type(client)()
    login(other, "alice")
    assert other.post("/login/code/", {"otp_token": code}).status_code == 400


def test_wrong_codes_lock_the_account_and_end_the_session(client, alice):
    device = enrol(alice)
    login(client, "alice")
    statuses = [client.post("/login/code/", {"otp_token": wrong_code(device)}).status_code for _ in range(5)]
    assert statuses == [400] * 4 + [429]
    assert client.get(PAGE).status_code == 302  # logged out
    assert login(client, "alice").status_code == 429


def test_the_admin_needs_the_code_of_a_user_with_a_device(client, cpas_a):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="root-pass-2026-x")
    device = enrol(root)
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "root-pass-2026-x",
                                                          "next": "/admin/"})
    assert response.status_code == 302
    asked = client.get("/admin/")
    assert asked.status_code == 302 and asked["Location"].startswith("/login/code/")
    client.post("/login/code/", {"otp_token": totp_code(device)})
    assert client.get("/admin/").status_code == 200


def test_any_login_of_a_user_with_a_device_owes_the_code(client, alice):
    """Whatever opened the session (here force_login, as a single-sign-on would), the code is asked."""
    enrol(alice)
    client.force_login(alice)
    assert client.get(PAGE).status_code == 302


@pytest.fixture
def required_roles(settings):
    settings.CPAS_REQUIRE_2FA_ROLES = [Role.MANAGER, Role.FINANCE]


@pytest.mark.usefixtures("required_roles")
def test_finance_and_managers_must_enrol_before_anything_else(client, alice, bob, cpas_a):
    manager = member(cpas_a, Role.MANAGER, username="maud")
    for user in (bob, manager):
        client.force_login(user)
        response = client.get(PAGE)
        assert response.status_code == 302 and response["Location"].startswith("/account/two-step/?next=")
        assert client.get("/api/v1/beneficiaries/").status_code == 403
        setup = client.get(response["Location"])
        assert setup.status_code == 200 and "Votre rôle exige la vérification en deux étapes".encode() in setup.content
        device = TOTPDevice.objects.get(user=user)
        assert client.post(response["Location"], {"otp_token": totp_code(device)})["Location"] == PAGE
        assert client.get(PAGE).status_code == 200
    client.force_login(alice)  # a caseworker may choose
    assert client.get(PAGE).status_code == 200


@pytest.mark.usefixtures("required_roles")
def test_a_required_second_factor_cannot_be_turned_off(client_for, bob):
    device = enrol(bob)
    client = client_for(bob)
    client.post("/login/code/", {"otp_token": totp_code(device)})
    client.post("/account/two-step/remove/", {"otp_token": totp_code(device, steps_ahead=1)})
    assert TOTPDevice.objects.filter(user=bob, confirmed=True).exists()


def test_a_user_turns_off_their_second_factor_with_a_code(client, alice):
    device = enrol(alice)
    login(client, "alice")
    client.post("/login/code/", {"otp_token": totp_code(device)})
    client.post("/account/two-step/remove/", {"otp_token": "12345x"})
    assert TOTPDevice.objects.filter(user=alice).exists()
    client.post("/account/two-step/remove/", {"otp_token": totp_code(device, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert client.get(PAGE).status_code == 200


def test_the_account_page_says_whether_two_step_is_on(client_for, alice):
    client = client_for(alice)
    assert b'href="/account/two-step/"' in client.get("/account/").content
    enrol(alice)
    client.force_login(alice)
    assert b"two_factor_remove" not in client.get("/account/").content


def test_the_login_form_keeps_its_fields(client):
    page = client.get("/login/")
    assert b'id="id_username"' in page.content and b'id="id_password"' in page.content


def test_production_requires_two_step_of_managers_and_finance_by_default():
    code = ("import django; django.setup(); from django.conf import settings as s;"
            "print(','.join(s.CPAS_REQUIRE_2FA_ROLES) or '-')")
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "cpas_portal.settings"}
    production = {**base, "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "x"}

    def roles(env):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=60)
        return result.stdout.strip().splitlines()[-1]

    assert roles(production) == "manager,finance"
    assert roles({**production, "CPAS_REQUIRE_2FA_ROLES": "manager"}) == "manager"
    assert roles(base) == "-"
