"""Rights over time (DOMAIN.md §3): a person's right is the decision in force on a day, never one pair of dates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.models import Convention
from cpas_portal import rights, services
from cpas_portal.models import Beneficiary, RightDecision
from reimbursements import adapters
from tests.conventions.factories import make_convention, partner
from tests.factories import BeneficiaryFactory, OrganisationFactory, RightDecisionFactory

pytestmark = pytest.mark.django_db

FIRST = (date(2020, 1, 1), date(2021, 6, 30))
SECOND = (date(2022, 1, 1), None)


@pytest.fixture
def two_decisions(cpas_a, alice):
    """Integration income in 2020–mid 2021, a gap, then equivalent aid from 2022 on."""
    person = BeneficiaryFactory(cpas=cpas_a, referent=alice, right_start=FIRST[0], right_end=FIRST[1])
    services.right_decision_create(acting_user=alice, beneficiary=person, right_type="equivalent_aid", category=3,
                                   start=SECOND[0], end=SECOND[1], decided_on=date(2021, 12, 15))
    return person


@pytest.mark.parametrize(("day", "right_type"), [
    (date(2019, 12, 31), None),
    (date(2020, 1, 1), "ris"),
    (date(2021, 6, 30), "ris"),
    (date(2021, 7, 1), None),          # the gap
    (date(2021, 12, 31), None),
    (date(2022, 1, 1), "equivalent_aid"),
    (date(2026, 11, 29), "equivalent_aid"),
])
def test_the_right_in_force_is_the_decision_of_the_day(two_decisions, day, right_type):
    found = rights.in_force(beneficiary=two_decisions, day=day)
    assert (found.right_type if found else None) == right_type
    assert rights.has_right_on(beneficiary=two_decisions, day=day) is (right_type is not None)


def test_a_convention_is_eligible_on_a_day_of_the_second_decision_and_not_in_the_gap(alice, cpas_a, two_decisions):
    forem = OrganisationFactory(cpas=cpas_a, name="Forem", kind="employment_office")
    make_convention(user=alice, beneficiary=two_decisions, partners=[partner(forem)],
                    conclusion_date=date(2022, 3, 1))
    with pytest.raises(ValidationError):
        make_convention(user=alice, beneficiary=two_decisions, partners=[partner(forem)],
                        conclusion_date=date(2021, 9, 1))
    assert Convention.objects.filter(beneficiary=two_decisions).count() == 1


def test_an_overlapping_decision_is_refused_with_a_field_message(alice, two_decisions):
    with pytest.raises(ValidationError) as refused:
        services.right_decision_create(acting_user=alice, beneficiary=two_decisions, right_type="ris", category=1,
                                       start=date(2021, 6, 1), end=date(2021, 8, 31))
    assert set(refused.value.message_dict) == {"start"}
    assert "30/06/2021" in refused.value.message_dict["start"][0]
    # Filling the gap exactly is accepted.
    services.right_decision_create(acting_user=alice, beneficiary=two_decisions, right_type="ris", category=1,
                                   start=date(2021, 7, 1), end=date(2021, 12, 31))
    assert rights.has_right_on(beneficiary=two_decisions, day=date(2021, 9, 1))


def test_an_open_decision_overlapping_a_later_one_is_refused(alice, two_decisions):
    first = two_decisions.right_decisions.get(start=FIRST[0])
    with pytest.raises(ValidationError) as refused:
        services.right_decision_update(acting_user=alice, decision=first, end=None)
    assert "end" in refused.value.message_dict or "start" in refused.value.message_dict


def test_ending_a_decision_is_recorded_with_who_and_when(alice, two_decisions):
    second = two_decisions.right_decisions.get(start=SECOND[0])
    services.right_decision_end(acting_user=alice, decision=second, end=date(2026, 6, 30))
    second.refresh_from_db()
    assert second.end == date(2026, 6, 30) and second.version == 2
    assert second.history.first().history_user == alice and second.history.first().end == date(2026, 6, 30)
    assert not rights.has_right_on(beneficiary=two_decisions, day=date(2026, 7, 1))


def test_registering_a_person_takes_the_first_decision(client_for, alice, cpas_a):
    data = {"niss": "85.07.30-033.28", "last_name": "Renard", "first_name": "Julien", "birth_date": "1985-07-30",
            "sex": "M", "language": "fr", "right_type": "ris", "category": "2", "right_start": "2025-01-01",
            "right_end": "", "right_decided_on": "2024-12-20"}
    response = client_for(alice).post(reverse("beneficiary_create"), data)
    assert response.status_code == 302
    person = Beneficiary.objects.get(cpas=cpas_a)
    decision = person.right_decisions.get()
    assert (decision.right_type, decision.category, decision.start, decision.decided_on) == (
        "ris", 2, date(2025, 1, 1), date(2024, 12, 20))
    assert decision.cpas == cpas_a and decision.history.get().history_user == alice


def test_the_pages_add_correct_and_end_a_decision(client_for, alice, two_decisions):
    client = client_for(alice)
    new = {"right_type": "ris", "category": "1", "decided_on": "", "start": "2021-06-01", "end": "2021-08-31"}
    refused = client.post(reverse("right_decision_create", args=[two_decisions.pk]), new)
    assert refused.status_code == 400 and "start" in refused.context["form"].errors
    accepted = client.post(reverse("right_decision_create", args=[two_decisions.pk]),
                           {**new, "start": "2021-07-01"})
    assert accepted.status_code == 302
    second = two_decisions.right_decisions.get(start=SECOND[0])
    ended = client.post(reverse("right_decision_edit", args=[two_decisions.pk, second.pk]), {
        "right_type": "equivalent_aid", "category": "3", "decided_on": "2021-12-15", "start": "2022-01-01",
        "end": "2026-06-30", "version": second.version})
    assert ended.status_code == 302
    second.refresh_from_db()
    assert second.end == date(2026, 6, 30)
    backwards = client.post(reverse("right_decision_edit", args=[two_decisions.pk, second.pk]), {
        "right_type": "ris", "category": "3", "start": "2022-01-01", "end": "2021-01-01", "version": second.version})
    assert backwards.status_code == 400 and "end" in backwards.context["form"].errors


def test_the_api_adds_and_ends_a_decision_and_refuses_overlaps(api_client_for, alice, two_decisions):
    api = api_client_for(alice)
    url = f"/api/v1/beneficiaries/{two_decisions.pk}/rights/"
    listed = api.get(url).json()["results"]
    assert [row["start"] for row in listed] == ["2020-01-01", "2022-01-01"]
    overlap = api.post(url, {"right_type": "ris", "category": 1, "start": "2021-06-01"}, format="json")
    assert overlap.status_code == 400 and "start" in overlap.json()
    second = two_decisions.right_decisions.get(start=SECOND[0])
    ended = api.patch(f"{url}{second.pk}/", {"end": "2026-06-30"}, format="json")
    assert ended.status_code == 200 and ended.json()["end"] == "2026-06-30"
    backwards = api.patch(f"{url}{second.pk}/", {"end": "2020-01-01"}, format="json")
    assert backwards.status_code == 400 and "end" in backwards.json()


def test_the_admin_inline_refuses_overlapping_rows(admin_client, two_decisions):
    from tests.helpers import right_decisions_inline

    url = reverse("admin:cpas_portal_beneficiary_change", args=[two_decisions.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data.update(right_decisions_inline(two_decisions))
    data["right_decisions-1-start"] = "2021-01-01"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert RightDecision.objects.get(beneficiary=two_decisions, category=3).start == SECOND[0]


def test_a_claim_line_takes_the_legislation_of_the_right_of_its_period(two_decisions):
    decisions = rights.decisions_by_person(beneficiary_ids=[two_decisions.pk])[two_decisions.pk]
    assert rights.covering(decisions, start=date(2021, 3, 1), end=date(2021, 3, 31)).right_type == "ris"
    assert rights.covering(decisions, start=date(2022, 3, 1), end=date(2022, 3, 31)).right_type == "equivalent_aid"
    # A month starting in the gap takes the decision that starts during it.
    assert rights.covering(decisions, start=date(2021, 12, 1), end=date(2022, 1, 31)).right_type == "equivalent_aid"
    assert rights.covering(decisions, start=date(2021, 8, 1), end=date(2021, 8, 31)) is None

    class Line:
        beneficiary_id = two_decisions.pk

    legislation = adapters._legislation_finder([Line()])
    assert legislation(two_decisions.pk, date(2021, 3, 1), date(2021, 3, 31)) == "2002"
    assert legislation(two_decisions.pk, date(2022, 3, 1), date(2022, 3, 31)) == "1965"


def test_the_factory_makes_the_first_decision_and_the_decision_factory_more(cpas_a):
    person = BeneficiaryFactory(cpas=cpas_a, right_type="equivalent_aid", category=1, right_start=date(2023, 1, 1))
    RightDecisionFactory(beneficiary=person, cpas=cpas_a, start=date(2025, 1, 1))
    assert [(d.right_type, d.start) for d in rights.history_of(beneficiary=person)] == [
        ("equivalent_aid", date(2023, 1, 1)), ("ris", date(2025, 1, 1))]
    assert not BeneficiaryFactory(cpas=cpas_a, right_type=None).right_decisions.exists()


def test_the_admin_inline_adds_a_decision_through_the_service(admin_client, admin_user, two_decisions):
    from tests.helpers import right_decisions_inline

    url = reverse("admin:cpas_portal_beneficiary_change", args=[two_decisions.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data.update(right_decisions_inline(two_decisions))
    data.update({"right_decisions-TOTAL_FORMS": "3", "right_decisions-2-right_type": "ris",
                 "right_decisions-2-category": "1", "right_decisions-2-start": "2021-07-01",
                 "right_decisions-2-end": "2021-12-31", "right_decisions-2-beneficiary": two_decisions.pk})
    response = admin_client.post(url, data)
    assert response.status_code == 302, (response.context["adminform"].form.errors,
                                         [f.errors for f in response.context["inline_admin_formsets"][0].formset])
    added = RightDecision.objects.get(beneficiary=two_decisions, start=date(2021, 7, 1))
    assert added.history.get().history_user == admin_user and added.cpas == two_decisions.cpas
