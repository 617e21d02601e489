"""Case notes: author and date; a confidential note reaches the person's referent and the managers only —
on the page, in the API and in the admin."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cpas_portal import services

pytestmark = pytest.mark.django_db

SECRET = "Violence in the household: do not call the home number."


@pytest.fixture
def notes(alice, beneficiary_a):
    services.case_note_create(acting_user=alice, beneficiary=beneficiary_a, day=date(2026, 3, 2),
                              text="Met at the office.")
    return services.case_note_create(acting_user=alice, beneficiary=beneficiary_a, day=date(2026, 3, 3),
                                     text=SECRET, confidential=True)


@pytest.mark.parametrize(("reader", "sees"), [
    ("alice", True),           # the person's referent
    ("manager_a", True),
    ("caseworker_a2", False),  # another caseworker
    ("bob", False),            # finance
    ("auditor_a", False),
])
def test_a_confidential_note_is_read_by_the_referent_and_managers_only(request, client_for, api_client_for, notes,
                                                                       beneficiary_a, reader, sees):
    user = request.getfixturevalue(reader)
    page = client_for(user).get(reverse("beneficiary_detail", args=[beneficiary_a.pk])).content.decode()
    assert "Met at the office." in page
    assert (SECRET in page) is sees
    api = api_client_for(user)
    texts = [row["text"] for row in api.get(f"/api/v1/beneficiaries/{beneficiary_a.pk}/notes/").json()["results"]]
    assert "Met at the office." in texts and (SECRET in texts) is sees
    detail = api.get(f"/api/v1/beneficiaries/{beneficiary_a.pk}/notes/{notes.pk}/")
    assert detail.status_code == (200 if sees else 404)


def test_the_admin_hides_confidential_notes_from_other_staff(client_for, caseworker_a2, manager_a, notes):
    for user in (caseworker_a2, manager_a):
        user.is_staff = True
        user.save()
        user.user_permissions.add(Permission.objects.get(codename="view_casenote"))
    url = reverse("admin:cpas_portal_casenote_change", args=[notes.pk])
    assert client_for(caseworker_a2).get(url).status_code == 404
    assert client_for(manager_a).get(url).status_code == 200


def test_a_note_is_written_with_its_author_and_corrected_by_them_or_a_manager(client_for, alice, caseworker_a2,
                                                                              manager_a, beneficiary_a):
    created = client_for(alice).post(reverse("case_note_create", args=[beneficiary_a.pk]),
                                     {"day": "2026-04-01", "text": "Called back.", "confidential": ""})
    assert created.status_code == 302
    note = beneficiary_a.case_notes.get()
    assert (note.author, note.day, note.history.get().history_user) == (alice, date(2026, 4, 1), alice)
    edit = reverse("case_note_edit", args=[beneficiary_a.pk, note.pk])
    assert client_for(caseworker_a2).post(edit, {"day": "2026-04-01", "text": "x", "version": 1}).status_code == 403
    assert client_for(manager_a).post(edit, {"day": "2026-04-01", "text": "Called back twice.",
                                             "version": 1}).status_code == 302
    note.refresh_from_db()
    assert note.text == "Called back twice." and note.history.first().history_user == manager_a


def test_an_empty_note_is_a_400_with_field_errors(client_for, api_client_for, alice, beneficiary_a):
    page = client_for(alice).post(reverse("case_note_create", args=[beneficiary_a.pk]), {"day": "31/02/2026"})
    assert page.status_code == 400 and {"day", "text"} <= set(page.context["form"].errors)
    api = api_client_for(alice).post(f"/api/v1/beneficiaries/{beneficiary_a.pk}/notes/", {"text": ""}, format="json")
    assert api.status_code == 400 and "text" in api.json()


def test_only_the_referent_and_managers_may_mark_a_note_confidential(client_for, caseworker_a2, beneficiary_a):
    client_for(caseworker_a2).post(reverse("case_note_create", args=[beneficiary_a.pk]),
                                   {"day": "2026-04-01", "text": "Visit.", "confidential": "on"})
    assert beneficiary_a.case_notes.get().confidential is False
