"""The home pages by role: the expected items for a caseworker, a manager and a finance officer."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reimbursements import sources
from tests.reimbursements.factories import FakeSource, fake_item

from .world import CASEWORKER_KINDS, claim, person_with_items, today

pytestmark = pytest.mark.django_db


def kinds_in(groups):
    return {name: sorted(item.kind for item in getattr(groups, name)) for name in ("overdue", "week", "month")}


def test_caseworker_sees_her_people_grouped(client_for, cpas_a, alice, charlie, cpas_b):
    mine = person_with_items(cpas_a, alice)
    other = person_with_items(cpas_a, None)
    person_with_items(cpas_b, charlie)
    response = client_for(alice).get(reverse("home"))
    assert response.status_code == 200
    groups = response.context["groups"]
    # Overdue: the partner's claim expected 10 days ago; this week: contract (5 d), credit (3 d);
    # within 30 days: the right (20 d), the firm employment (12 d) and the art. 61 window (end of month).
    assert kinds_in(groups)["overdue"] == ["conventions.partner_claim"]
    assert {"measures.placement_ending", "measures.part_time_credit"} <= set(kinds_in(groups)["week"])
    everything = [item for name in ("overdue", "week", "month") for item in getattr(groups, name)]
    assert sorted(item.kind for item in everything) == sorted(CASEWORKER_KINDS)
    assert {item.beneficiary_id for item in everything} == {mine.pk}
    assert other.pk not in {item.beneficiary_id for item in everything}
    for item in everything:
        assert item.source and item.url and item.reason
        assert client_for(alice).get(item.url).status_code == 200, item.kind
    page = response.content.decode()
    assert mine.niss_masked in page and mine.niss not in page
    assert "Dubois" not in page


def test_caseworker_item_links_open_the_place_to_act(client_for, cpas_a, alice):
    person_with_items(cpas_a, alice)
    groups = client_for(alice).get(reverse("home")).context["groups"]
    urls = {item.kind: item.url for name in ("overdue", "week", "month") for item in getattr(groups, name)}
    assert urls["conventions.partner_claim"].startswith("/conventions/")
    assert "/placements/" in urls["measures.placement_ending"]
    assert "/firm-employments/" in urls["measures.firm_employment_ending"]
    assert "/beneficiaries/" in urls["rights.ending"]


def test_a_renewed_right_is_not_due(client_for, cpas_a, alice):
    from cpas_portal.models import RightDecision

    person = person_with_items(cpas_a, alice)
    ending = RightDecision.objects.get(beneficiary=person)
    RightDecision.objects.create(cpas=cpas_a, beneficiary=person, right_type="ris", category=2,
                                 start=ending.end + timedelta(days=1))
    groups = client_for(alice).get(reverse("home")).context["groups"]
    assert "rights.ending" not in {item.kind for name in ("overdue", "week", "month") for item in getattr(groups, name)}


def test_manager_sees_counts_per_caseworker_and_drills_down(client_for, cpas_a, alice, manager_a):
    from tests.factories import member

    other = member(cpas_a, "caseworker", username="olivier", first_name="Olivier", last_name="Noël")
    person_with_items(cpas_a, alice)
    person_with_items(cpas_a, alice)
    person_with_items(cpas_a, other)
    claim(cpas_a, status="reviewed", sequence=1)
    client = client_for(manager_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    counts = {user.username: groups.total for user, groups in response.context["rows"]}
    per_person = len(CASEWORKER_KINDS)
    assert counts["alice"] == 2 * per_person and counts["olivier"] == per_person and counts["marie"] == 0
    assert [item.kind for item in response.context["manager_items"]] == ["reimbursements.awaiting_signature"]
    drilled = client.get(reverse("home"), {"caseworker": other.pk})
    assert drilled.status_code == 200
    assert drilled.context["groups"].total == per_person
    assert {b.pk for b in drilled.context["files"]} == set(other.referred_beneficiaries.values_list("pk", flat=True))


def test_finance_sees_what_to_claim_sign_and_collect(client_for, cpas_a, bob, alice):
    on = today()
    month_end = (on.replace(day=1) - timedelta(days=1))
    month_start = month_end.replace(day=1)
    claim(cpas_a, status="reviewed", sequence=1)
    claim(cpas_a, status="sent", sequence=2, sent_days_ago=45, total="300.00")
    claim(cpas_a, status="sent", sequence=3, sent_days_ago=100, total="200.00")
    person_with_items(cpas_a, alice)  # caseworker items: not on the finance page
    source = FakeSource([fake_item(1, start=month_start, end=month_end)])
    with sources.overridden("art60", source):
        response = client_for(bob).get(reverse("home"))
    assert response.status_code == 200
    context = response.context
    to_claim = [item for name in ("overdue", "week", "month") for item in getattr(context["to_claim"], name)]
    assert [item.kind for item in to_claim] == ["reimbursements.to_claim"]
    # Law of 2002: form B within 8 days after the month.
    assert to_claim[0].due == month_end + timedelta(days=8)
    assert "measure=art60" in to_claim[0].url
    assert [item.kind for item in context["awaiting_signature"]] == ["reimbursements.awaiting_signature"]
    by_bucket = [(len(bucket["items"]), str(bucket["total"])) for bucket in context["unpaid_buckets"]]
    assert by_bucket == [(0, "0.00"), (1, "300.00"), (0, "0.00"), (1, "200.00")]
    assert context["other"] == []


def test_auditor_lands_on_the_beneficiaries(client_for, auditor_a):
    response = client_for(auditor_a).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("beneficiary_list")


def test_anonymous_goes_to_login(client):
    assert client.get(reverse("home")).url == reverse("login")
