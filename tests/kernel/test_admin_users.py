"""A CPAS's staff administrator never grants more than their own role's powers: no superuser, staff, group or
permission field, no role above their own, no move to another CPAS — even with the fields forged in a POST."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cpas_portal.models import Membership, Role
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

USER_ADMIN_PERMISSIONS = {"auth", "cpas_portal"}


def staff(cpas, role, username):
    user = member(cpas, role, username=username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=USER_ADMIN_PERMISSIONS))
    return user


@pytest.fixture
def manager_a(cpas_a):
    return staff(cpas_a, Role.MANAGER, "mona")


def user_form(user, **forged):
    return {"username": user.username, "first_name": "Renamed", "last_name": user.last_name, "email": "",
            "is_active": "on", **forged}


def test_a_manager_cannot_make_themselves_superuser(client_for, manager_a, cpas_a):
    group = Group.objects.create(name="everything")
    group.permissions.set(Permission.objects.all())
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    client = client_for(manager_a)
    url = reverse("admin:auth_user_change", args=[manager_a.pk])
    page = client.get(url).content.decode()
    for field in ("is_superuser", "is_staff", "user_permissions", "groups"):
        assert f'name="{field}"' not in page, field

    response = client.post(url, user_form(manager_a, is_superuser="on", is_staff="on",
                                          user_permissions=every_permission, groups=[group.pk]))
    assert response.status_code == 302
    manager_a.refresh_from_db()
    assert manager_a.first_name == "Renamed"
    assert not manager_a.is_superuser
    assert manager_a.groups.count() == 0
    assert manager_a.user_permissions.count() == Permission.objects.filter(
        content_type__app_label__in=USER_ADMIN_PERMISSIONS).count()


def test_a_manager_cannot_make_a_colleague_staff(client_for, manager_a, alice):
    response = client_for(manager_a).post(reverse("admin:auth_user_change", args=[alice.pk]),
                                          user_form(alice, is_staff="on", is_superuser="on"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_staff and not alice.is_superuser


def test_a_superuser_still_sets_every_field(client, cpas_a, alice):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:auth_user_change", args=[alice.pk])
    assert 'name="is_superuser"' in client.get(url).content.decode()
    data = {**user_form(alice, is_staff="on"), "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"}
    assert client.post(url, data).status_code == 302
    alice.refresh_from_db()
    assert alice.is_staff


def test_a_manager_cannot_take_over_an_account_with_more_powers(client_for, manager_a, cpas_a):
    powerful = staff(cpas_a, Role.MANAGER, "paula")
    powerful.user_permissions.set(Permission.objects.all())
    client = client_for(manager_a)
    response = client.post(reverse("admin:auth_user_change", args=[powerful.pk]), user_form(powerful))
    assert response.status_code == 403
    password = client.post(reverse("admin:auth_user_password_change", args=[powerful.pk]),
                           {"password1": "taken-over-2026!", "password2": "taken-over-2026!"})
    assert password.status_code == 403
    powerful.refresh_from_db()
    assert powerful.first_name != "Renamed"
    assert not powerful.check_password("taken-over-2026!")


def test_superusers_are_invisible_to_a_manager(client_for, manager_a, cpas_a):
    root = member(cpas_a, Role.MANAGER, username="root", is_staff=True, is_superuser=True)
    client = client_for(manager_a)
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code == 404
    assert "root" not in client.get(reverse("admin:auth_user_changelist")).content.decode()


def test_a_manager_cannot_move_a_member_to_another_cpas(client_for, manager_a, alice, cpas_b):
    membership = alice.membership
    response = client_for(manager_a).post(reverse("admin:cpas_portal_membership_change", args=[membership.pk]),
                                          {"role": Role.FINANCE, "cpas": cpas_b.pk, "user": manager_a.pk})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.FINANCE
    assert membership.cpas_id == alice.membership.cpas_id != cpas_b.pk
    assert membership.user_id == alice.pk


@pytest.mark.parametrize("forged_role", [Role.MANAGER, "superuser", "administrator"])
def test_a_finance_officer_with_admin_rights_cannot_raise_a_role(client_for, cpas_a, alice, forged_role):
    officer = staff(cpas_a, Role.FINANCE, "fiona")
    client = client_for(officer)
    own = client.post(reverse("admin:cpas_portal_membership_change", args=[officer.membership.pk]),
                      {"role": forged_role})
    other = client.post(reverse("admin:cpas_portal_membership_change", args=[alice.membership.pk]),
                        {"role": forged_role})
    assert own.status_code in (302, 403)
    assert other.status_code == 403
    assert Membership.objects.get(user=officer).role == Role.FINANCE
    assert Membership.objects.get(user=alice).role == Role.CASEWORKER


def test_a_manager_gives_only_known_roles(client_for, manager_a, alice):
    response = client_for(manager_a).post(reverse("admin:cpas_portal_membership_change", args=[alice.membership.pk]),
                                          {"role": "superuser"})
    assert response.status_code == 200  # the form shows the error
    assert Membership.objects.get(user=alice).role == Role.CASEWORKER


def test_groups_are_a_superuser_matter(client_for, manager_a):
    client = client_for(manager_a)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = client.post(reverse("admin:auth_group_add"),
                           {"name": "mine", "permissions": list(Permission.objects.values_list("pk", flat=True))})
    assert response.status_code == 403
    assert not Group.objects.exists()


def test_a_history_revert_never_moves_a_membership_to_another_cpas(client_for, manager_a, alice, cpas_a, cpas_b):
    membership = alice.membership
    membership.cpas = cpas_b
    membership.save()
    membership.cpas = cpas_a
    membership.save()
    in_cpas_b = membership.history.filter(cpas=cpas_b).get()
    response = client_for(manager_a).post(
        reverse("admin:cpas_portal_membership_simple_history", args=[membership.pk, in_cpas_b.history_id]),
        {"role": Role.CASEWORKER})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.cpas == cpas_a
