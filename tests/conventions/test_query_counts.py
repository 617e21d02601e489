"""The convention list (page and API) costs the same number of queries for 5 and for 50 conventions."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions import services
from tests.factories import BeneficiaryFactory

from .factories import coaching_partner, employment_office, make_convention, partner

pytestmark = pytest.mark.django_db


def make_conventions(count, cpas, user):
    forem, jobin = employment_office(cpas), coaching_partner(cpas)
    for index in range(count):
        convention = make_convention(user=user, beneficiary=BeneficiaryFactory(cpas=cpas),
                                     partners=[partner(forem, "50"), partner(jobin, "30"), partner(None, "20")],
                                     sign=index % 2 == 0)
        if index % 2 == 0:
            services.coaching_hours_record(acting_user=user, convention=convention,
                                           partner=convention.partners.first(), day=date(2024, 3, 4), hours=3)


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("rows", [5, 50])
def test_convention_list_page(client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    make_conventions(rows, cpas_a, alice)
    client = client_for(alice)
    # session, user, membership+cpas (tenancy), organisations of the partner filter, count,
    # page rows with beneficiary, hours done and overdue flag, their partners with organisations.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("convention_list"))
    assert len(re.findall(r'href="/conventions/\d+/"', response.content.decode())) == min(rows, 25)


@pytest.mark.parametrize("rows", [5, 50])
def test_convention_api_list(api_client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    make_conventions(rows, cpas_a, alice)
    api = api_client_for(alice)
    # membership+cpas (tenancy), count, page rows (beneficiary, hours done, overdue), partners.
    with django_assert_max_num_queries(4):
        body = api.get("/api/v1/conventions/").json()
    assert body["count"] == rows and len(body["results"]) == min(rows, 25)


@pytest.mark.parametrize("rows", [5, 50])
def test_payment_api_list(api_client_for, bob, alice, cpas_a, rows, django_assert_max_num_queries):
    make_conventions(rows, cpas_a, alice)
    api = api_client_for(bob)
    # membership+cpas (tenancy), count, page rows with convention, partner and organisation.
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/conventions/payments/").status_code == 200


def test_the_count_does_not_grow_with_the_rows(client_for, api_client_for, alice, cpas_a):
    client, api = client_for(alice), api_client_for(alice)
    make_conventions(5, cpas_a, alice)
    few = (count_queries(lambda: client.get(reverse("convention_list"))),
           count_queries(lambda: api.get("/api/v1/conventions/")))
    make_conventions(45, cpas_a, alice)
    many = (count_queries(lambda: client.get(reverse("convention_list"))),
            count_queries(lambda: api.get("/api/v1/conventions/")))
    assert few == many
