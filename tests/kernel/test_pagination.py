"""Capped counts and pages read by key: the same rows, in the same order, as Django's paginator."""

import pytest
from django.core.paginator import Paginator
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import translation

from cpas_portal.models import Beneficiary
from cpas_portal.pagination import CappedPaginator
from tests.factories import BeneficiaryFactory


@pytest.fixture
def people(cpas_a):
    return [BeneficiaryFactory(cpas=cpas_a, last_name=f"Name{index % 7}") for index in range(23)]


def _queryset(cpas):
    return (Beneficiary.objects.filter(cpas=cpas).annotate(label=Concat(F("last_name"), Value("/"), F("first_name")))
            .order_by("last_name", "-id"))


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1", "2", "3", "5", "abc", None, "-1", "999"])
def test_every_page_holds_the_rows_of_django_paginator(people, cpas_a, number):
    expected = Paginator(_queryset(cpas_a), 5).get_page(number)
    capped = CappedPaginator(_queryset(cpas_a), 5, cap=1000).get_page(number)
    assert [(row.pk, row.label) for row in capped] == [(row.pk, row.label) for row in expected]
    assert capped.number == expected.number
    assert capped.paginator.shown_count == "23" and capped.paginator.shown_pages == "5"


@pytest.mark.django_db
def test_past_the_cap_the_count_says_more_and_the_next_page_still_exists(people, cpas_a):
    paginator = CappedPaginator(_queryset(cpas_a), 5, cap=10)
    page = paginator.get_page(2)
    assert paginator.count == 11 and paginator.more
    with translation.override("fr"):
        assert paginator.shown_count == "10+"
    assert paginator.shown_pages == "3+"
    assert page.has_next()
    # Asking for a page beyond the cap counts up to it: the rows are those of Django's paginator.
    deeper = CappedPaginator(_queryset(cpas_a), 5, cap=10).get_page(4)
    assert [row.pk for row in deeper] == [row.pk for row in Paginator(_queryset(cpas_a), 5).page(4)]
    assert deeper.has_next()
    last = CappedPaginator(_queryset(cpas_a), 5, cap=10).get_page(5)
    assert [row.pk for row in last] == [row.pk for row in Paginator(_queryset(cpas_a), 5).page(5)]
    assert not last.has_next() and not last.paginator.more


@pytest.mark.django_db
def test_the_count_reads_at_most_the_cap(people, cpas_a, django_assert_max_num_queries):
    paginator = CappedPaginator(_queryset(cpas_a), 5, cap=10)
    with django_assert_max_num_queries(1) as captured:
        assert paginator.count == 11
    assert "LIMIT 11" in captured.captured_queries[0]["sql"]


def test_a_list_is_paged_too():
    page = CappedPaginator(list(range(30)), 10, cap=15).get_page(2)
    assert list(page) == list(range(10, 20)) and page.paginator.shown_count == "20+"  # counted up to the page asked for


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["9" * 40, "1\x00", "-5", "1e9", "99999999999"])
def test_any_typed_page_number_is_a_page_never_an_error(client_for, alice, people, number):
    """A page number from the address bar, however long or odd, shows a page (the last one when past the end);
    a NUL byte is refused as bad input (400) before any view, as every parameter is."""
    from django.urls import reverse

    response = client_for(alice).get(reverse("beneficiary_list"), {"page": number})
    assert response.status_code == (400 if "\x00" in number else 200)
    page = CappedPaginator(_queryset(people[0].cpas), 5).get_page(number)
    assert page.number in {1, 5}


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1", "2", "5", "abc", None, "999"])
@pytest.mark.parametrize("cap", [1000, 10, 3])
def test_the_first_page_counted_with_its_rows_is_the_same_page(people, cpas_a, number, cap):
    """``count_with_rows``: the same rows, count and page links, the first page in one query instead of two."""
    expected = CappedPaginator(_queryset(cpas_a), 5, cap=cap).get_page(number)
    together = CappedPaginator(_queryset(cpas_a), 5, cap=cap, count_with_rows=True).get_page(number)
    assert [(row.pk, row.label) for row in together] == [(row.pk, row.label) for row in expected]
    assert together.number == expected.number and together.has_next() == expected.has_next()
    assert (together.paginator.count, together.paginator.more) == (expected.paginator.count, expected.paginator.more)


@pytest.mark.django_db
def test_the_first_page_and_its_count_take_one_query(people, cpas_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CappedPaginator(_queryset(cpas_a), 5, count_with_rows=True).get_page(1)
        assert len(page) == 5 and page.paginator.shown_count == "23"
    with django_assert_num_queries(1):
        empty = CappedPaginator(_queryset(cpas_a).none() | _queryset(cpas_a).filter(pk=0), 5,
                                count_with_rows=True).get_page(1)
        assert len(empty) == 0 and empty.paginator.count == 0
