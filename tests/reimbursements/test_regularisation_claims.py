"""Retroactive changes become regularisations on the next claim; nothing sent is edited."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from measures import services as measures_services
from measures.models import MonthlySubsidy, Regularisation
from reimbursements import services
from tests.factories import BeneficiaryFactory, UserFactory
from tests.measures.factories import placement


@pytest.fixture
def q3_claim_sent(alice, bob, cpas_a, generate, send):
    """A full-time placement from July 2026 (RIS category 3 of 01/03/2026: 1.811,57 €), its third quarter
    claimed, signed and sent. The RIS table was confirmed up to the end of 2026 at the time: the indexation
    added later is what the regularisation is about."""
    measures_services.table_confirm(acting_user=bob, table="ris", confirmed_up_to=date(2026, 12, 31),
                                    note="Confirmed for the year")
    person = BeneficiaryFactory(cpas=cpas_a, last_name="Dubois", first_name="Amélie")
    created = placement(alice, cpas=cpas_a, beneficiary=person, start=date(2026, 7, 1),
                        planned_end=date(2026, 12, 31), gross_monthly_pay=D("2500.00"))
    measures_services.placement_approve(acting_user=alice, placement=created)
    return created, send(generate(bob, cpas_a, kind="quarter", month=3).claim)


def add_ris_row_in_the_admin(client, **amounts):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(reverse("admin:measures_risamount_add"), {
        "effective_date": "01/08/2026", "category_1": "911.52", "category_2": "1367.28", "category_3": "1847.80",
        "source": "Indexation published after the fact", "verified": "on", **amounts})
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    client.logout()


@pytest.mark.django_db
def test_a_ris_row_added_three_months_back_is_regularised_on_the_next_claim(
        client, api_client_for, bob, cpas_a, q3_claim_sent, generate):
    created, sent = q3_claim_sent
    assert [line.amount for line in sent.lines.order_by("position")] == [D("1811.57")] * 3
    sent_lines = list(sent.lines.order_by("position").values_list("source_key", "amount", "sign", "live"))
    sent_document = sent.document.sha256

    add_ris_row_in_the_admin(client)

    # August and September were claimed: a regularisation each, with the exact difference.
    pending = list(Regularisation.objects.filter(placement=created).order_by("month"))
    assert [(r.month, r.claimed_amount, r.recomputed_amount, r.difference) for r in pending] == [
        (date(2026, 8, 1), D("1811.57"), D("1847.80"), D("36.23")),
        (date(2026, 9, 1), D("1811.57"), D("1847.80"), D("36.23")),
    ]
    assert all(r.claimed_at is None and r.reasons[0]["table"] == "ris" and r.rows[0]["effective_date"] == "2026-08-01"
               for r in pending)
    # The months not yet claimed simply take the new amount; the claimed ones are untouched.
    months = dict(created.monthly_subsidies.values_list("month", "amount"))
    assert months[date(2026, 7, 1)] == months[date(2026, 8, 1)] == months[date(2026, 9, 1)] == D("1811.57")
    assert months[date(2026, 10, 1)] == months[date(2026, 12, 1)] == D("1847.80")

    # Finance sees them, on the page and in the API.
    client.force_login(bob)
    page = client.get(reverse("regularisation_list"))
    assert page.status_code == 200
    assert page.content.decode().count("36,23") >= 2 and "08/2026" in page.content.decode()
    listed = api_client_for(bob).get("/api/v1/regularisations/").json()
    assert listed["count"] == 2 and {row["difference"] for row in listed["results"]} == {"36.23"}

    # The next claim (October) carries the October month and the two regularisation lines.
    october = generate(bob, cpas_a, month=10).claim
    lines = list(october.lines.order_by("covered_start"))
    assert [(line.covered_start, line.signed_amount, line.legislation) for line in lines] == [
        (date(2026, 8, 1), D("36.23"), "2002"),
        (date(2026, 9, 1), D("36.23"), "2002"),
        (date(2026, 10, 1), D("1847.80"), "2002"),
    ]
    assert october.total == D("1920.26")
    assert all("1.811,57" in line.description and "1.847,80" in line.description for line in lines[:2])
    assert {r.claim_reference for r in Regularisation.objects.all()} == {october.reference}
    assert api_client_for(bob).get("/api/v1/regularisations/").json()["count"] == 0

    # The sent claim is unchanged: same lines, same total, same PDF; the claimed months keep their amounts.
    sent.refresh_from_db()
    assert sent.status == "sent" and sent.total == D("5434.71") and sent.document.sha256 == sent_document
    assert list(sent.lines.order_by("position").values_list("source_key", "amount", "sign", "live")) == sent_lines
    august = MonthlySubsidy.objects.get(placement=created, month=date(2026, 8, 1))
    assert august.amount == D("1811.57") and august.claim_reference == sent.reference

    # A second claim of October finds nothing new: each regularisation is claimed once.
    assert generate(bob, cpas_a, month=10).claim is None


@pytest.mark.django_db
def test_a_cancelled_claim_gives_its_regularisations_back(client, bob, cpas_a, q3_claim_sent, generate):
    created, _sent = q3_claim_sent
    add_ris_row_in_the_admin(client)
    october = generate(bob, cpas_a, month=10).claim
    assert Regularisation.objects.filter(claimed_at__isnull=False).count() == 2
    services.claim_cancel(acting_user=bob, claim=october)
    assert Regularisation.objects.filter(claimed_at__isnull=True, claim_reference="").count() == 2
    again = generate(bob, cpas_a, month=10).claim
    assert again.line_count == 3 and again.total == D("1920.26")
