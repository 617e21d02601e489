"""PIIS lists (pages and API) and the agenda cost the same number of queries for 3 and for 30 rows."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BeneficiaryFactory, OrganisationFactory

from .factories import make_piis

pytestmark = pytest.mark.django_db


def make_many(count, cpas, user):
    today = timezone.localdate()
    partner = OrganisationFactory(cpas=cpas)
    for index in range(count):
        make_piis(user, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas, referent=user), sign=index % 2 == 0,
                  start=today - timedelta(days=200), end=today + timedelta(days=200), signed_on=today,
                  third_parties=[partner])


@pytest.mark.parametrize("rows", [3, 30])
def test_piis_list_page(client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    make_many(rows, cpas_a, alice)
    client = client_for(alice)
    # session, user, membership+cpas, count, page rows (person, referent, evaluation counts), third parties.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("piis_list"))
    assert len(re.findall(r'href="/piis/\d+/"', response.content.decode())) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_piis_api_list(api_client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    make_many(rows, cpas_a, alice)
    api = api_client_for(alice)
    # membership+cpas, count, page rows (person for the deadlines), third parties.
    with django_assert_max_num_queries(4):
        body = api.get("/api/v1/piis/").json()
    assert body["count"] == rows and len(body["results"]) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_evaluation_api_list(api_client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    make_many(rows, cpas_a, alice)
    api = api_client_for(alice)
    # membership+cpas, count, page rows.
    with django_assert_max_num_queries(3):
        body = api.get("/api/v1/evaluations/").json()
    assert body["count"] >= rows // 2 and len(body["results"]) == min(body["count"], 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_agenda_page(client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    make_many(rows, cpas_a, alice)
    client = client_for(alice)
    # session, user, membership+cpas, count, page rows (person, PIIS).
    with django_assert_max_num_queries(5):
        response = client.get(reverse("piis_agenda"))
    assert len(response.context["page"]) == min(response.context["page"].paginator.count, 25) > 0
