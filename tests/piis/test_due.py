"""Due items of PIIS: to conclude (under 25, new integration income since 1 Nov 2016), meetings due or
overdue (PIIS and placements), a yearly count falling short; set-based, narrowed to referents."""

from datetime import date

import pytest
from django.urls import reverse

from cpas_portal import due
from cpas_portal.models import RightDecision
from measures import services as measures_services
from measures.piis import due as piis_due
from measures.piis import services
from tests.factories import BeneficiaryFactory
from tests.measures.factories import placement

from .factories import make_piis

pytestmark = pytest.mark.django_db


def ris(person, start, decided_on=None, end=None):
    return RightDecision.objects.create(cpas=person.cpas, beneficiary=person, right_type="ris", category=2,
                                        decided_on=decided_on, start=start, end=end)


def keys(items):
    return sorted(item.key for item in items)


def test_the_providers_are_registered():
    assert {"piis.conclude", "piis.evaluations", "piis.yearly_evaluations"} <= set(due.registered())


def test_under_25_draft_falls_due_three_months_after_the_application(alice, cpas_a):
    young = BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=alice, birth_date=date(2002, 4, 1))
    older = BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=alice, birth_date=date(1990, 4, 1))
    draft = make_piis(alice, beneficiary=young, applied_on=date(2026, 3, 10))
    make_piis(alice, beneficiary=older, applied_on=date(2026, 3, 10))
    items = list(piis_due.piis_to_conclude(cpas=cpas_a, on=date(2026, 5, 1), until=date(2026, 6, 30)))
    assert [(i.key, i.due, i.url) for i in items] == [
        (f"piis.conclude.u25:{draft.pk}", date(2026, 6, 10), reverse("piis_detail", args=[draft.pk]))]
    assert list(piis_due.piis_to_conclude(cpas=cpas_a, on=date(2026, 5, 1), until=date(2026, 6, 9))) == []
    services.piis_sign(acting_user=alice, piis=draft, signed_on=date(2026, 5, 2))
    assert list(piis_due.piis_to_conclude(cpas=cpas_a, on=date(2026, 5, 1), until=date(2026, 6, 30))) == []


@pytest.mark.parametrize("decided_on, start, expected_due", [
    (date(2016, 10, 31), date(2016, 11, 1), None),               # decided the day before the rule
    (date(2016, 11, 1), date(2016, 11, 1), date(2017, 2, 1)),    # decided the day the rule applies
    (None, date(2016, 11, 1), date(2017, 2, 1)),                 # no decision date recorded: the start decides
    (None, date(2016, 10, 31), None),
])
def test_a_new_integration_income_falls_due_three_months_after_the_decision(alice, cpas_a, decided_on, start,
                                                                            expected_due):
    person = BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=alice)
    decision = ris(person, start, decided_on)
    items = list(piis_due.piis_to_conclude(cpas=cpas_a, on=date(2017, 1, 1), until=date(2017, 3, 1)))
    if expected_due is None:
        assert items == []
    else:
        assert [(i.key, i.due) for i in items] == [(f"piis.conclude.ris:{decision.pk}", expected_due)]
        assert items[0].url == f"{reverse('piis_create')}?beneficiary={person.pk}"
        assert items[0].referent_id == alice.pk and "21 July 2016" in items[0].source


def test_a_renewal_or_a_concluded_piis_asks_for_nothing(alice, cpas_a):
    renewed = BeneficiaryFactory(right_type=None, cpas=cpas_a)
    ris(renewed, date(2025, 1, 1), end=date(2025, 12, 31))
    ris(renewed, date(2026, 1, 1), decided_on=date(2025, 12, 20))
    returning = BeneficiaryFactory(right_type=None, cpas=cpas_a)
    ris(returning, date(2024, 1, 1), end=date(2024, 6, 30))
    back = ris(returning, date(2026, 1, 1), decided_on=date(2026, 1, 5))
    concluded = BeneficiaryFactory(right_type=None, cpas=cpas_a)
    ris(concluded, date(2026, 1, 1), decided_on=date(2026, 1, 5))
    make_piis(alice, beneficiary=concluded, sign=True)
    items = list(piis_due.piis_to_conclude(cpas=cpas_a, on=date(2026, 2, 1), until=date(2026, 4, 30)))
    assert keys(items) == [f"piis.conclude.ris:{back.pk}"]


def test_meetings_due_link_to_the_recording_page_and_are_narrowed_to_referents(alice, bob, cpas_a, cpas_b, charlie):
    mine = BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=alice)
    piis = make_piis(alice, beneficiary=mine, sign=True)
    placed = placement(alice, cpas=cpas_a, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=bob),
                       start=date(2026, 1, 1), planned_end=date(2026, 12, 31))
    measures_services.placement_approve(acting_user=alice, placement=placed)
    services.evaluations_plan(cpas=cpas_a, on=date(2026, 1, 2))
    make_piis(charlie, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_b), sign=True)
    items = piis_due.evaluations_due(cpas=cpas_a, on=date(2026, 5, 1), until=date(2026, 6, 15))
    first_piis = piis.evaluations.get(planned_on=date(2026, 6, 1))
    first_placement = placed.evaluations.get(planned_on=date(2026, 4, 1))
    assert [(i.key, i.due, i.url, i.is_overdue(date(2026, 5, 1))) for i in items] == [
        (f"piis.evaluation:{first_placement.pk}", date(2026, 4, 1),
         reverse("piis_evaluation_record", args=[first_placement.pk]), True),
        (f"piis.evaluation:{first_piis.pk}", date(2026, 6, 1),
         reverse("piis_evaluation_record", args=[first_piis.pk]), False),
    ]
    only_alice = piis_due.evaluations_due(cpas=cpas_a, on=date(2026, 5, 1), until=date(2026, 6, 15),
                                          referent_ids=[alice.pk])
    assert keys(only_alice) == [f"piis.evaluation:{first_piis.pk}"]
    services.evaluation_record(acting_user=alice, evaluation=first_piis, held_on=date(2026, 6, 1), face_to_face=True)
    assert keys(piis_due.evaluations_due(cpas=cpas_a, on=date(2026, 5, 1), until=date(2026, 6, 15),
                                         referent_ids=[alice.pk])) == []


def test_a_year_short_of_evaluations_falls_due_on_31_december(alice, cpas_a, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True, start=date(2026, 1, 1), end=date(2026, 12, 31),
                     signed_on=date(2025, 12, 20))
    # Planned on 1 May and 1 September: two meetings for a full year that needs three.
    on, until = date(2026, 11, 1), date(2026, 12, 31)
    [item] = piis_due.yearly_evaluations_short(cpas=cpas_a, on=on, until=until)
    assert (item.key, item.due) == (f"piis.yearly:{piis.pk}:2026", date(2026, 12, 31))
    services.evaluation_add(acting_user=alice, piis=piis, held_on=date(2026, 11, 5), face_to_face=False)
    assert piis_due.yearly_evaluations_short(cpas=cpas_a, on=on, until=until) == []
    assert piis_due.yearly_evaluations_short(cpas=cpas_a, on=on, until=date(2026, 12, 30)) == []


@pytest.mark.parametrize("people", [2, 12])
def test_the_providers_run_a_fixed_number_of_queries(alice, cpas_a, people, django_assert_max_num_queries):
    for index in range(people):
        person = BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=alice, birth_date=date(2003, 1, 1))
        ris(person, date(2025, 12, 1), decided_on=date(2025, 12, 1))
        if index % 2:
            ris(person, date(2024, 1, 1), end=date(2024, 3, 31))
        make_piis(alice, beneficiary=person, applied_on=date(2026, 1, 5))
        make_piis(alice, beneficiary=person, sign=True)
    # conclude: drafts, RIS decisions, earlier decisions; evaluations: one; yearly: one.
    providers = [provider for name, provider in due.registered().items() if name.startswith("piis.")]
    with django_assert_max_num_queries(5):
        items = [item for provider in providers
                 for item in provider(cpas=cpas_a, on=date(2026, 3, 1), until=date(2026, 12, 31),
                                      referent_ids=[alice.pk])]
    assert len([i for i in items if i.kind == "piis.under_25"]) == people
    assert len([i for i in items if i.kind == "piis.evaluation"]) == 2 * people


def test_the_query_for_a_new_integration_income_follows_the_rule(alice, cpas_a):
    """The provider asks the database which RIS decisions make a *new* beneficiary; the rule says it in Python
    (``rules.is_new_right``). On histories with gaps of 0, 1 and 2 days, overlaps and open ends, both agree."""
    import random
    from datetime import timedelta

    from measures.piis import parameters, rules

    rng = random.Random(11)
    on, until = date(2026, 5, 1), date(2026, 7, 31)
    expected = set()
    for _person in range(40):
        person = BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=alice)
        history, start = [], date(2025, 1, 1) + timedelta(days=rng.randrange(200))
        for _decision in range(rng.randint(1, 3)):
            end = None if rng.random() < 0.3 else start + timedelta(days=rng.randrange(20, 200))
            history.append((ris(person, start, end=end), start, end))
            if end is None:
                break
            start = end + timedelta(days=rng.choice([-10, 0, 1, 2, 30]))
        for decision, start, end in history:
            earlier = [(other_start, other_end) for _d, other_start, other_end in history]
            deadline = rules.new_ris_deadline(decided_on=start)
            if (start >= parameters.REFORM_2016 and (end is None or end >= on)
                    and rules.is_new_right(start=start, earlier=earlier) and deadline.due <= until):
                expected.add(f"piis.conclude.ris:{decision.pk}")
    found = {item.key for item in piis_due.piis_to_conclude(cpas=cpas_a, on=on, until=until)}
    assert found == expected
    assert 5 < len(expected) < 40  # both sides of the rule are exercised
