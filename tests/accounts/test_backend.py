"""The model backend reads each request's user with a compiled query (``cpas_portal/accounts/backends.py``):
the same user, the same refusals as Django's."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from cpas_portal.accounts import backends
from cpas_portal.compiled import forget_plans

pytestmark = pytest.mark.django_db


def test_each_request_reads_its_user_through_the_kept_plan(client_for, alice, bob, monkeypatch):
    forget_plans()
    assert client_for(alice).get(reverse("home")).context["user"] == alice
    assert [plan for plan in backends._user_rows._plans.values() if plan is not None]  # planned on first use
    built = []
    real = backends._user_rows.build
    monkeypatch.setattr(backends._user_rows, "build", lambda *args: built.append(args) or real(*args))
    page = client_for(bob).get(reverse("home"))
    assert page.status_code == 200 and page.context["user"] == bob and page.context["user"].username == "bob"
    assert built == []  # bob's request ran alice's plan with bob's id


def test_a_deactivated_or_deleted_user_is_logged_out(client_for, alice, bob):
    client = client_for(alice)
    assert client.get(reverse("home")).status_code == 200
    alice.is_active = False
    alice.save()
    assert client.get(reverse("home")).url.startswith(reverse("login"))
    client = client_for(bob)
    bob.delete()
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_a_password_change_elsewhere_ends_the_session(client_for, alice):
    client = client_for(alice)
    alice.set_password("an0ther-Long-passphrase")
    alice.save()
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_a_session_of_the_former_backend_logs_in_again(client_for, alice):
    client = client_for(alice)
    session = client.session
    assert session[BACKEND_SESSION_KEY] == "cpas_portal.accounts.backends.ModelBackend"
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_a_user_id_of_another_type_takes_djangos_lookup(alice):
    assert backends.ModelBackend().get_user(str(alice.pk)) == alice
    assert backends.ModelBackend().get_user(alice.pk) == alice
    assert backends.ModelBackend().get_user(987654) is None
