"""The consultation log: every opening of a person's file (page, API, admin) is written, append-only, and read
by the CPAS's managers and auditors only, their own CPAS's entries only."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cpas_portal import services
from cpas_portal.models import ConsultationKind, ConsultationLog, Role
from tests.factories import BeneficiaryFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="mona", first_name="Mona", last_name="Martin")


def entries(**filters):
    return list(ConsultationLog.objects.filter(**filters).values_list("username", "kind", "beneficiary_id", "ip"))


def test_opening_a_persons_page_is_logged(client_for, alice, beneficiary_a):
    before = timezone.now()
    assert client_for(alice).get(reverse("beneficiary_detail", args=[beneficiary_a.pk])).status_code == 200
    entry = ConsultationLog.objects.get()
    assert (entry.user, entry.username, entry.cpas, entry.kind, entry.beneficiary, entry.ip) == (
        alice, "alice", alice.membership.cpas, ConsultationKind.PERSON_PAGE, beneficiary_a, "127.0.0.1")
    assert entry.at >= before


def test_opening_a_persons_edit_form_is_logged_but_saving_it_is_not(client_for, alice, beneficiary_a):
    """The edit form shows the full national number: opening it is an opening of the file."""
    client = client_for(alice)
    assert client.get(reverse("beneficiary_edit", args=[beneficiary_a.pk])).status_code == 200
    assert entries() == [("alice", ConsultationKind.PERSON_PAGE, beneficiary_a.pk, "127.0.0.1")]
    client.post(reverse("beneficiary_edit", args=[beneficiary_a.pk]), {"last_name": ""})
    assert len(entries()) == 1


def test_the_list_and_another_cpas_person_are_not_logged_as_openings(client_for, alice, charlie, beneficiary_a):
    client_for(alice).get(reverse("beneficiary_list"))
    assert client_for(charlie).get(reverse("beneficiary_detail", args=[beneficiary_a.pk])).status_code == 404
    assert not ConsultationLog.objects.exists()


def test_reading_a_person_through_the_api_is_logged(api_client_for, alice, beneficiary_a):
    api = api_client_for(alice)
    assert api.get("/api/v1/beneficiaries/").status_code == 200
    assert not ConsultationLog.objects.exists()
    assert api.get(f"/api/v1/beneficiaries/{beneficiary_a.pk}/").status_code == 200
    assert entries() == [("alice", ConsultationKind.PERSON_API, beneficiary_a.pk, "127.0.0.1")]


def test_opening_a_person_in_the_admin_is_logged(client, beneficiary_a):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get(reverse("admin:cpas_portal_beneficiary_change", args=[beneficiary_a.pk])).status_code == 200
    entry = ConsultationLog.objects.get()
    assert (entry.username, entry.kind, entry.beneficiary_id, entry.cpas_id) == (
        "root", ConsultationKind.PERSON_ADMIN, beneficiary_a.pk, beneficiary_a.cpas_id)


def test_the_log_is_append_only(alice, beneficiary_a):
    entry = services.consultation_record(acting_user=alice, cpas=beneficiary_a.cpas,
                                         kind=ConsultationKind.PERSON_PAGE, beneficiary=beneficiary_a)
    entry.kind = ConsultationKind.EXPORT
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        ConsultationLog.objects.update(username="someone else")
    with pytest.raises(ValidationError):
        ConsultationLog.objects.all().delete()
    assert entries() == [("alice", ConsultationKind.PERSON_PAGE, beneficiary_a.pk, None)]


def test_the_log_outlives_the_person(client, alice, beneficiary_a):
    services.consultation_record(acting_user=alice, cpas=beneficiary_a.cpas, kind=ConsultationKind.PERSON_PAGE,
                                 beneficiary=beneficiary_a)
    person_id = beneficiary_a.pk
    beneficiary_a.delete()
    assert ConsultationLog.objects.get().beneficiary_id == person_id


def test_the_log_outlives_the_user(alice, beneficiary_a):
    services.consultation_record(acting_user=alice, cpas=beneficiary_a.cpas, kind=ConsultationKind.PERSON_PAGE,
                                 beneficiary=beneficiary_a)
    alice.delete()
    entry = ConsultationLog.objects.get()
    assert (entry.user, entry.username) == (None, "alice")


# The page -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), [(Role.MANAGER, 200), (Role.AUDITOR, 200), (Role.CASEWORKER, 403),
                                              (Role.FINANCE, 403)])
def test_only_managers_and_auditors_read_the_log(client_for, cpas_a, role, status):
    user = member(cpas_a, role, username=f"user-{role}")
    assert client_for(user).get(reverse("consultation_list")).status_code == status
    menu = client_for(user).get(reverse("beneficiary_list")).content.decode()
    assert (reverse("consultation_list") in menu) == (status == 200)


def test_another_cpas_entries_are_invisible(client_for, manager_a, alice, charlie, beneficiary_a, beneficiary_b):
    client_for(alice).get(reverse("beneficiary_detail", args=[beneficiary_a.pk]))
    client_for(charlie).get(reverse("beneficiary_detail", args=[beneficiary_b.pk]))
    page = client_for(manager_a).get(reverse("consultation_list")).content.decode()
    assert "DUBOIS" in page and "alice" in page
    assert "JANSSENS" not in page and "charlie" not in page
    # Naming a person or user of CPAS B in the filters shows nothing either.
    other = client_for(manager_a).get(reverse("consultation_list"), {"person": beneficiary_b.pk}).content.decode()
    assert "JANSSENS" not in other
    assert client_for(manager_a).get(reverse("consultation_list"), {"user": charlie.pk}).status_code == 400


def test_the_filters(client_for, manager_a, alice, bob, beneficiary_a, cpas_a):
    other = BeneficiaryFactory(cpas=cpas_a, last_name="Lemaire", first_name="Luc")
    client_for(alice).get(reverse("beneficiary_detail", args=[beneficiary_a.pk]))
    client_for(bob).get(reverse("beneficiary_detail", args=[other.pk]))
    client = client_for(manager_a)
    by_person = client.get(reverse("consultation_list"), {"person": other.pk}).content.decode()
    assert "LEMAIRE" in by_person and "DUBOIS" not in by_person
    by_user = client.get(reverse("consultation_list"), {"user": alice.pk}).content.decode()
    assert "DUBOIS" in by_user and "LEMAIRE" not in by_user
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "DUBOIS" not in client.get(reverse("consultation_list"), {"day_from": tomorrow}).content.decode()
    today = timezone.localdate().isoformat()
    same_day = client.get(reverse("consultation_list"), {"day_from": today, "day_until": today})
    assert "DUBOIS" in same_day.content.decode()
    wrong = client.get(reverse("consultation_list"), {"day_from": tomorrow, "day_until": today})
    assert wrong.status_code == 400


def test_the_log_is_paginated(client_for, manager_a, alice, beneficiary_a):
    for _ in range(55):
        services.consultation_record(acting_user=alice, cpas=beneficiary_a.cpas, kind=ConsultationKind.PERSON_PAGE,
                                     beneficiary=beneficiary_a)
    client = client_for(manager_a)
    first = client.get(reverse("consultation_list"), {"user": alice.pk})
    assert first.content.decode().count("DUBOIS") == 50
    second = client.get(reverse("consultation_list"), {"user": alice.pk, "page": 2}).content.decode()
    assert second.count("DUBOIS") == 5


@pytest.mark.parametrize("count", [5, 60])
def test_the_log_page_query_count_does_not_grow(client_for, manager_a, alice, cpas_a, count,
                                               django_assert_num_queries):
    people = BeneficiaryFactory.create_batch(3, cpas=cpas_a)
    for index in range(count):
        services.consultation_record(acting_user=alice, cpas=cpas_a, kind=ConsultationKind.PERSON_PAGE,
                                     beneficiary=people[index % 3])
    client = client_for(manager_a)
    # session, user, membership (+CPAS), members for the user filter, count of entries, page of entries
    # (+person)
    with django_assert_num_queries(6):
        response = client.get(reverse("consultation_list"))
    assert response.status_code == 200


# The admin ------------------------------------------------------------------------------------------------

def staff(cpas, role, username):
    user = member(cpas, role, username=username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="cpas_portal"))
    return user


def test_the_admin_shows_the_log_read_only_to_managers_of_the_cpas(client, cpas_a, cpas_b, alice, charlie,
                                                                    beneficiary_a, beneficiary_b):
    mine = services.consultation_record(acting_user=alice, cpas=cpas_a, kind=ConsultationKind.PERSON_PAGE,
                                        beneficiary=beneficiary_a)
    theirs = services.consultation_record(acting_user=charlie, cpas=cpas_b, kind=ConsultationKind.PERSON_PAGE,
                                          beneficiary=beneficiary_b)
    client.force_login(staff(cpas_a, Role.MANAGER, "mona"))
    listing = client.get(reverse("admin:cpas_portal_consultationlog_changelist")).content.decode()
    assert "alice" in listing and "charlie" not in listing
    assert client.get(reverse("admin:cpas_portal_consultationlog_change", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("admin:cpas_portal_consultationlog_delete", args=[mine.pk]),
                       {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:cpas_portal_consultationlog_change", args=[mine.pk]),
                       {"username": "x"}).status_code == 403
    assert ConsultationLog.objects.count() == 2


def test_a_caseworker_with_admin_rights_does_not_read_the_log(client, cpas_a, alice, beneficiary_a):
    services.consultation_record(acting_user=alice, cpas=cpas_a, kind=ConsultationKind.PERSON_PAGE,
                                 beneficiary=beneficiary_a)
    client.force_login(staff(cpas_a, Role.CASEWORKER, "carl"))
    assert client.get(reverse("admin:cpas_portal_consultationlog_changelist")).status_code == 403


def test_the_kernel_never_imports_a_measure_app():
    kernel = Path(__file__).resolve().parents[2] / "cpas_portal"
    apps = {"measures", "conventions", "reimbursements"}
    offenders = []
    for source in kernel.rglob("*.py"):
        # The demo loader and its command put every app's demo together: they alone look down.
        if "migrations" in source.parts or "management" in source.parts or source.name == "demo.py":
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders += [f"{source.name}: {name}" for name in names if name.split(".")[0] in apps]
    assert offenders == []
