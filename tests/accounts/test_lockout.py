"""Lockout after repeated failed logins, per username and per address, on every way in (django-axes)."""

import os

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from .conftest import login, token_request

LIMIT = 5


def fail(client, username, times, ip="10.0.0.1", url="/login/"):
    return [login(client, username, "wrong-password-1", ip=ip, url=url).status_code for _ in range(times)]


def test_the_login_page_locks_a_username_after_five_failures(client, alice):
    # Four failures re-display the form; the fifth locks the account, even with the right password.
    assert fail(client, "alice", LIMIT - 1) == [200] * (LIMIT - 1)
    locked = login(client, "alice", "wrong-password-1")
    assert locked.status_code == 429
    assert login(client, "alice").status_code == 429
    # From another address too: the lock is on the username.
    page = login(client, "alice", ip="10.9.9.9")
    assert page.status_code == 429
    assert b"Trop de tentatives de connexion" in page.content
    assert b'class="top"' in page.content  # the site's layout, not a bare 403 text
    assert page["Retry-After"] == str(30 * 60)


def test_the_login_page_locks_an_address_after_five_failures(client, alice, bob):
    for name in ("x1", "x2", "x3", "x4", "x5"):
        login(client, name, "wrong-password-1", ip="10.0.0.66")
    assert login(client, "bob", ip="10.0.0.66").status_code == 429
    assert login(client, "bob", ip="10.0.0.67").status_code == 302


def test_a_success_before_the_limit_logs_in(client, alice):
    fail(client, "alice", LIMIT - 1)
    assert login(client, "alice").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, alice, clock):
    fail(client, "alice", LIMIT)
    clock.advance(minutes=29)
    assert login(client, "alice").status_code == 429
    # A refused attempt during the lock restarts the 30 minutes.
    clock.advance(minutes=29)
    assert login(client, "alice").status_code == 429
    clock.advance(minutes=31)
    assert login(client, "alice").status_code == 302


def test_the_cool_off_comes_from_the_settings(client, alice, clock, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    fail(client, "alice", LIMIT)
    clock.advance(minutes=6)
    assert login(client, "alice").status_code == 302


def test_the_admin_login_locks_too(client, cpas_a):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="root-pass-2026-x")
    statuses = fail(client, "root", LIMIT, url="/admin/login/")
    assert statuses == [200] * (LIMIT - 1) + [429]
    page = login(client, "root", "root-pass-2026-x", url="/admin/login/")
    assert page.status_code == 429 and b"Trop de tentatives de connexion" in page.content


def test_the_token_endpoint_locks_with_a_json_detail(client, alice):
    statuses = [token_request(client, "alice", "wrong-password-1").status_code for _ in range(LIMIT)]
    assert statuses == [400] * (LIMIT - 1) + [429]
    refused = token_request(client, "alice")
    assert refused.status_code == 429
    assert "Trop de tentatives de connexion" in refused.json()["detail"]


def test_one_count_for_every_way_in(client, alice):
    """Failures on the page, the admin and the API add up: switching doors gains nothing."""
    login(client, "alice", "wrong-password-1")
    login(client, "alice", "wrong-password-1", url="/admin/login/")
    token_request(client, "alice", "wrong-password-1")
    fail(client, "alice", 2)
    assert token_request(client, "alice").status_code == 429


def test_an_administrator_unlocks_with_a_command(client, alice):
    fail(client, "alice", LIMIT)
    assert AccessAttempt.objects.filter(username="alice").exists()
    call_command("axes_reset_username", "alice", stdout=open(os.devnull, "w"))
    assert login(client, "alice").status_code == 302


@pytest.mark.parametrize("url", ["/admin/axes/accessattempt/", "/admin/axes/accesslog/"])
def test_superusers_see_the_attempts_in_the_admin(client, db, url):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="root-pass-2026-x"))
    assert client.get(url).status_code == 200


@pytest.fixture
def manager_a(cpas_a):
    from cpas_portal.models import Role
    from tests.factories import member

    return member(cpas_a, Role.MANAGER, username="maud")


def test_a_manager_unlocks_an_account_of_their_cpas(client, client_for, alice, charlie, manager_a):
    from django.test import Client

    fail(client, "alice", LIMIT)
    fail(client, "charlie", LIMIT, ip="10.0.0.2")
    manager = client_for(manager_a)
    page = manager.get("/account/locked/")
    assert page.status_code == 200
    assert b"<td>alice</td>" in page.content and b"charlie" not in page.content  # another CPAS's staff
    assert manager.post("/account/locked/", {"username": "charlie"}).status_code == 404
    assert manager.post("/account/locked/", {"username": "alice"}).status_code == 302
    assert login(Client(), "alice", ip="10.0.0.3").status_code == 302
    assert login(Client(), "charlie", ip="10.0.0.3").status_code == 429


def test_only_managers_unlock(client_for, alice, bob):
    assert client_for(bob).get("/account/locked/").status_code == 403
    assert client_for(alice).post("/account/locked/", {"username": "bob"}).status_code == 403
