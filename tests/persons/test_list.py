"""The beneficiary list: filters on today's right, referent and status, sortable columns, empty states, and a
fixed number of queries."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cpas_portal.demo import national_number
from cpas_portal.models import Beneficiary
from tests.factories import BeneficiaryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(cpas_a, alice):
    today = timezone.localdate()
    return {
        "aid": BeneficiaryFactory(cpas=cpas_a, last_name="Aide", first_name="Anne", right_type="equivalent_aid",
                                  category=1, referent=alice),
        "ending": BeneficiaryFactory(cpas=cpas_a, last_name="Bientot", first_name="Bruno", category=3,
                                     right_start=today - timedelta(days=100), right_end=today + timedelta(days=10)),
        "none": BeneficiaryFactory(cpas=cpas_a, last_name="Sans", first_name="Sophie", right_type=None),
    }


def names(response):
    html = response.content.decode()
    return [name for name in ("AIDE", "BIENTOT", "SANS") if name in html]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["AIDE", "BIENTOT", "SANS"]),
    ({"right": "equivalent_aid"}, ["AIDE"]),
    ({"right": "none"}, ["SANS"]),
    ({"category": "3"}, ["BIENTOT"]),
    ({"status": "ending"}, ["BIENTOT"]),
    ({"status": "no_right"}, ["SANS"]),
    ({"status": "active"}, ["AIDE", "BIENTOT"]),
    ({"referent": "none"}, ["BIENTOT", "SANS"]),
])
def test_filters(client_for, alice, listed, params, expected):
    response = client_for(alice).get(reverse("beneficiary_list"), params)
    assert response.status_code == 200
    assert names(response) == expected


def test_referent_filter_lists_caseworkers_by_full_name(client_for, alice, bob, listed):
    html = client_for(alice).get(reverse("beneficiary_list"), {"referent": alice.pk}).content.decode()
    assert names_of(html) == ["AIDE"]
    assert alice.get_full_name() in html
    assert bob.get_full_name() not in html  # a finance officer follows nobody


def names_of(html):
    return [name for name in ("AIDE", "BIENTOT", "SANS") if name in html]


def test_the_category_is_shown_with_its_meaning_and_status_as_a_badge(client_for, alice, listed):
    html = client_for(alice).get(reverse("beneficiary_list"), {"category": "3"}).content.decode()
    assert "3 —" in html and "badge" in html


def test_sorting_by_birth_date_descending(client_for, alice, cpas_a):
    from datetime import date

    BeneficiaryFactory(cpas=cpas_a, last_name="Older", birth_date=date(1960, 1, 1))
    BeneficiaryFactory(cpas=cpas_a, last_name="Younger", birth_date=date(2000, 1, 1))
    html = client_for(alice).get(reverse("beneficiary_list"), {"sort": "-birth_date"}).content.decode()
    assert html.index("YOUNGER") < html.index("OLDER")
    assert 'aria-sort="descending"' in html


def in_page_language(html, text):
    """The text as the page shows it: translated into the page's language ({% translate %} does not escape)."""
    language = re.search(r'<html lang="([a-z]+)">', html).group(1)
    with translation.override(language):
        translated = translation.gettext(text)
    assert language == "en" or translated != text, f"no {language} translation of {text!r}"
    return translated


def test_empty_states_say_what_to_do(client_for, alice, cpas_a):
    html = client_for(alice).get(reverse("beneficiary_list")).content.decode()
    assert reverse("beneficiary_create") in html
    assert in_page_language(html, "No beneficiary registered yet.") in html
    assert in_page_language(html, "Register the first person with their national number and right decision:") in html
    BeneficiaryFactory(cpas=cpas_a)
    html = client_for(alice).post(reverse("beneficiary_list"), {"q": "zzz"}).content.decode()
    assert in_page_language(html, "No beneficiary matches this search or these filters.") in html
    assert in_page_language(html, "Clear the search and filters") in html


@pytest.mark.parametrize("typed", ["-", "'", "..", " - "])
def test_a_search_of_punctuation_alone_finds_nobody(client_for, alice, cpas_a, typed):
    """Such a search can match nobody: the page says so (it was a server error on PostgreSQL, whose capped count
    was read with the first page), sorted, filtered, through a form post or the address."""
    BeneficiaryFactory(cpas=cpas_a)
    client = client_for(alice)
    for response in (client.get(reverse("beneficiary_list"), {"q": typed}),
                     client.get(reverse("beneficiary_list"), {"q": typed, "sort": "-birth_date", "status": "active"}),
                     client.post(reverse("beneficiary_list"), {"q": typed})):
        html = response.content.decode()
        assert response.status_code == 200
        assert in_page_language(html, "No beneficiary matches this search or these filters.") in html


def test_a_number_search_never_lands_in_a_sort_link(client_for, alice, listed):
    html = client_for(alice).post(reverse("beneficiary_list"), {"q": listed["aid"].niss}).content.decode()
    assert "AIDE" in html and listed["aid"].niss not in html.replace(f'value="{listed["aid"].niss}"', "")


@pytest.mark.parametrize("rows", [10, 1000])
def test_query_count_does_not_grow(client_for, alice, cpas_a, django_assert_max_num_queries, rows):
    caseworker = UserFactory()
    Beneficiary.objects.bulk_create([
        Beneficiary(cpas=cpas_a, niss=national_number(date(1960, 1, 1) + timedelta(days=index), 1),
                    first_name="Row", last_name=f"Row{index:04d}", birth_date=date(1960, 1, 1) + timedelta(days=index),
                    sex="M", referent=caseworker)
        for index in range(rows)])
    client = client_for(alice)
    # session, user, membership+cpas, the referent filter's caseworkers, count, page rows with their referent
    # and right in force.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("beneficiary_list"), {"status": "no_right", "sort": "referent"})
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == min(rows, 25) + 1
