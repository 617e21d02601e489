"""Administrators confirm the amount tables in the admin: the action on the last row, or the confirmation form."""

from datetime import date

import pytest
from django.utils import timezone

from measures import rules
from measures.models import MinimumWage, RisAmount, TableConfirmation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_confirming_the_last_ris_row_up_to_the_end_of_this_month(client, root):
    latest = RisAmount.objects.order_by("-effective_date").first()
    response = client.post("/admin/measures/risamount/", {"action": "confirm", "_selected_action": [latest.pk]})
    assert response.status_code == 302
    confirmation = TableConfirmation.objects.get(table="ris")
    assert confirmation.confirmed_up_to == rules.last_of_month(timezone.localdate())
    assert (confirmation.confirmed_by, confirmation.history.first().history_user) == (root, root)


def test_an_older_row_cannot_be_confirmed(client, root):
    before = TableConfirmation.objects.get(table="minimum_wage").confirmed_up_to
    older = MinimumWage.objects.order_by("effective_date").first()
    client.post("/admin/measures/minimumwage/", {"action": "confirm", "_selected_action": [older.pk]})
    assert TableConfirmation.objects.get(table="minimum_wage").confirmed_up_to == before


def test_the_confirmation_form_saves_through_the_service(client, root):
    confirmation = TableConfirmation.objects.get(table="minimum_wage")
    response = client.post(f"/admin/measures/tableconfirmation/{confirmation.pk}/change/", {
        "table": "minimum_wage", "confirmed_up_to": "2026-05-31", "note": "CCT 43/17 checked"})
    assert response.status_code == 302
    confirmation.refresh_from_db()
    assert (confirmation.confirmed_up_to, confirmation.confirmed_by, confirmation.note) == (
        date(2026, 5, 31), root, "CCT 43/17 checked")


def test_the_wage_bands_are_listed(client, root):
    response = client.get("/admin/measures/minimumwage/")
    assert response.status_code == 200
    assert b"1541" in response.content or b"1.541" in response.content or b"1\xc2\xa0541" in response.content
