"""The due items (intérim reaching its limit, hires ending) and the person's file section."""

from datetime import date

import pytest
from django.template.loader import render_to_string

from cpas_portal import due, person_file
from measures.interventions.due import interventions_due
from measures.interventions.file_sections import interventions_section
from tests.factories import BeneficiaryFactory

from .factories import hire, pay, rate, right

pytestmark = pytest.mark.django_db


def test_the_providers_are_registered():
    assert due.registered()["interventions"] is interventions_due
    assert person_file._providers["interventions"] is interventions_section


def test_an_interim_reaching_its_limit_and_a_hire_ending_are_due(alice, person, cpas_a):
    interim = hire(alice, person, programme="interim", start=date(2024, 5, 10), end=date(2026, 5, 9))
    other = BeneficiaryFactory(right_type=None, cpas=cpas_a)
    ending = hire(alice, other, programme="sine", start=date(2025, 1, 1), end=date(2026, 4, 20))
    hire(alice, BeneficiaryFactory(right_type=None, cpas=cpas_a), programme="activa", start=date(2025, 1, 1), end=None)
    on = date(2026, 4, 10)
    items = {item.key: item for item in interventions_due(cpas=cpas_a, on=on, until=date(2026, 5, 10))}
    assert items[f"interventions.interim_limit:{interim.pk}"].due == date(2026, 5, 9)
    # The intérim ends on its limit: said once, as the limit.
    assert f"interventions.hire_end:{interim.pk}" not in items
    assert items[f"interventions.hire_end:{ending.pk}"].due == date(2026, 4, 20)
    assert len(items) == 2
    assert {item.audience for item in items.values()} == {"caseworker"}
    assert items[f"interventions.interim_limit:{interim.pk}"].referent_id == alice.pk
    # Beyond 30 days: not yet.
    assert not list(interventions_due(cpas=cpas_a, on=date(2026, 3, 1), until=date(2026, 3, 31)))
    # Only the people the given caseworkers follow.
    narrowed = interventions_due(cpas=cpas_a, on=on, until=date(2026, 5, 10), referent_ids=[alice.pk])
    assert {item.beneficiary_id for item in narrowed} == {person.pk}


def test_the_interim_limit_counts_from_the_first_interim(alice, person, cpas_a):
    hire(alice, person, programme="interim", start=date(2024, 5, 10), end=date(2024, 8, 31))
    second = hire(alice, person, programme="interim", start=date(2025, 6, 1), end=date(2026, 5, 1))
    keys = {item.key for item in interventions_due(cpas=cpas_a, on=date(2026, 4, 20), until=date(2026, 5, 20))}
    assert f"interventions.interim_limit:{second.pk}" in keys  # 9 May 2026, from 10 May 2024


def test_due_queries_do_not_grow(alice, cpas_a, django_assert_num_queries):
    def count():
        with django_assert_num_queries(2):
            return len(list(interventions_due(cpas=cpas_a, on=date(2026, 4, 1), until=date(2026, 5, 1))))

    hire(alice, BeneficiaryFactory(right_type=None, cpas=cpas_a), programme="interim", start=date(2024, 4, 20),
         end=date(2026, 4, 19))
    assert count() == 1
    for _index in range(5):
        hire(alice, BeneficiaryFactory(right_type=None, cpas=cpas_a), programme="interim", start=date(2024, 4, 20),
             end=date(2026, 4, 19))
    assert count() == 6


def test_the_file_shows_the_persons_hires(alice, bob, person, django_assert_max_num_queries):
    rate("activa")
    hired = hire(alice, person, start=date(2025, 1, 1), end=date(2025, 6, 30))
    pay(bob, hired, date(2025, 2, 1))
    with django_assert_max_num_queries(2):
        section = interventions_section(beneficiary=person, user=alice)
    assert section.title == "Financial interventions"
    assert [hire.payment_count for hire in section.context["hires"]] == [1]
    assert [event.day for event in section.events] == [date(2025, 1, 1), date(2025, 6, 30)]
    assert section.actions[0].url.endswith(f"?beneficiary={person.pk}")
    html = render_to_string(section.template, {**section.context, "beneficiary": person})
    assert "Activa" in html and "500,00" in html or "500.00" in html
    for month in range(3, 7):
        pay(bob, hired, date(2025, month, 1))
    with django_assert_max_num_queries(2):
        interventions_section(beneficiary=person, user=alice)


def test_the_file_offers_no_action_to_finance_and_nothing_to_another_cpas(bob, charlie, person):
    assert interventions_section(beneficiary=person, user=bob).actions == ()
    assert interventions_section(beneficiary=person, user=charlie) is None


def test_no_right_needed_for_the_file(alice, cpas_a):
    someone = BeneficiaryFactory(right_type=None, cpas=cpas_a)
    right(someone)
    assert interventions_section(beneficiary=someone, user=alice).context["hires"] == []


def test_a_hire_at_a_private_firm_is_a_recorded_employment_measure(alice, person, cpas_a):
    from cpas_portal import employment
    from tests.factories import OrganisationFactory

    hired = hire(alice, person, programme="activa", start=date(2025, 1, 1), end=None)
    hire(alice, BeneficiaryFactory(right_type=None, cpas=cpas_a), programme="sine",
         organisation=OrganisationFactory(cpas=cpas_a, kind="social_economy"))
    measures = employment.measures_on(beneficiary=person, day=date(2025, 6, 1))
    assert [(m.source_key, m.at_private_firm) for m in measures] == [(f"interventions.hire:{hired.pk}", True)]
    assert employment.measures_on(beneficiary=person, day=date(2024, 12, 31)) == []
