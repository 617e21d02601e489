"""The conventions list: sortable columns, filters by status, partner organisation and period, coloured status
badges with their text, an empty state that says what to do; every constraint speaks the user's language."""

import re
from datetime import date

import pytest
from django.db.models import CheckConstraint, UniqueConstraint
from django.urls import reverse

from conventions import models as convention_models
from conventions import services
from tests.factories import BeneficiaryFactory

from .factories import coaching_partner, make_convention, partner

pytestmark = pytest.mark.django_db


def order(response):
    return [int(pk) for pk in re.findall(r'data-convention="(\d+)"', response.content.decode())]


@pytest.fixture
def three(alice, cpas_a, forem):
    """Three conventions with 30, 5 and 0 hours done, concluded in March, April and May 2024."""
    jobin = coaching_partner(cpas_a)
    rows = []
    for month, hours, other, last_name in ((3, 30, jobin, "Zeller"), (4, 5, None, "Adam"), (5, 0, jobin, "Martin")):
        convention = make_convention(
            user=alice, beneficiary=BeneficiaryFactory(cpas=cpas_a, last_name=last_name), sign=True,
            partners=[partner(forem, "60"), partner(other, "40")], conclusion_date=date(2024, month, 1))
        if hours:
            services.coaching_hours_record(acting_user=alice, convention=convention,
                                           partner=convention.partners.first(), day=date(2024, 5, 20), hours=hours)
        rows.append(convention)
    return rows, jobin


def test_columns_sort_both_ways_and_say_so(client_for, alice, three):
    (march, april, may), _jobin = three
    client = client_for(alice)
    url = reverse("convention_list")
    assert order(client.get(url)) == [may.pk, april.pk, march.pk]  # newest conclusion first by default
    assert order(client.get(url, {"sort": "hours"})) == [may.pk, april.pk, march.pk]
    assert order(client.get(url, {"sort": "-hours"})) == [march.pk, april.pk, may.pk]
    by_name = client.get(url, {"sort": "beneficiary"})
    assert order(by_name) == [april.pk, may.pk, march.pk]
    assert 'aria-sort="ascending"' in by_name.content.decode()
    # A hand-made sort key never reaches the database: the default order applies.
    assert order(client.get(url, {"sort": "beneficiary__niss"})) == [may.pk, april.pk, march.pk]


def test_filters_by_status_partner_organisation_and_period_keep_the_sort(client_for, alice, three):
    (march, april, may), jobin = three
    services.convention_close(acting_user=alice, convention=april, outcome="stopped", end_date=date(2024, 5, 1))
    client = client_for(alice)
    url = reverse("convention_list")
    assert order(client.get(url, {"status": "signed", "sort": "concluded"})) == [march.pk, may.pk]
    assert order(client.get(url, {"partner": str(jobin.pk)})) == [may.pk, march.pk]
    assert order(client.get(url, {"partner": "cpas"})) == [april.pk]
    assert order(client.get(url, {"start": "2024-04-01", "end": "2024-04-30"})) == [april.pk]
    page = client.get(url, {"status": "signed", "sort": "-hours"}).content.decode()
    assert "status=signed" in page.split('aria-sort="none"')[1].split("</th>")[0]  # headers keep the filters
    assert "badge--success" in page


def test_the_empty_list_says_what_to_do(client_for, alice, auditor_a):
    body = client_for(alice).get(reverse("convention_list")).content.decode()
    assert 'id="convention-empty"' in body and reverse("convention_create") in body.split('id="convention-empty"')[1]
    assert 'id="convention-results"' not in body
    reader = client_for(auditor_a).get(reverse("convention_list")).content.decode()
    assert 'id="convention-empty"' in reader and reverse("convention_create") not in reader


def test_no_match_offers_to_reset_the_filters(client_for, alice, three):
    body = client_for(alice).get(reverse("convention_list"), {"status": "settled"}).content.decode()
    empty = body.split('id="convention-empty"')[1]
    assert f'href="{reverse("convention_list")}"' in empty


@pytest.mark.parametrize("sort", ["hours", "-agreed", "beneficiary", "status"])
def test_a_sorted_list_costs_a_fixed_number_of_queries(client_for, alice, three, sort, django_assert_max_num_queries):
    client = client_for(alice)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("convention_list"), {"sort": sort}).status_code == 200


def test_every_constraint_has_its_own_translatable_message():
    models = [convention_models.Convention, convention_models.ConventionPartner, convention_models.CoachingHours,
              convention_models.Payment, convention_models.PartnerClaim]
    for model in models:
        for constraint in model._meta.constraints:
            assert isinstance(constraint, CheckConstraint | UniqueConstraint)
            message = constraint.violation_error_message
            assert message and constraint.name not in str(message), constraint.name
            # Django's default ("Constraint “name” is violated.") would show the database name to a user.
            assert "Constraint" not in str(message), constraint.name
            assert type(message).__name__ == "__proxy__", f"{constraint.name} is not translatable"
