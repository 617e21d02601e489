"""The beneficiary list (page and API) costs the same number of queries for 5 and for 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("rows", [5, 50])
def test_beneficiary_list_page(client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    BeneficiaryFactory.create_batch(rows, cpas=cpas_a, referent=alice)
    client = client_for(alice)
    # session, user, membership+cpas (tenancy), the referent filter's caseworkers, count, page rows with their
    # referent and right.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("beneficiary_list")).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_beneficiary_api_list(api_client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    BeneficiaryFactory.create_batch(rows, cpas=cpas_a, referent=alice)
    api = api_client_for(alice)
    # membership+cpas (tenancy), count, page rows.
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/beneficiaries/").status_code == 200


def test_the_count_does_not_grow_with_the_rows(client_for, api_client_for, alice, cpas_a):
    client, api = client_for(alice), api_client_for(alice)
    BeneficiaryFactory.create_batch(5, cpas=cpas_a, referent=alice)
    page_5, api_5 = count_queries(lambda: client.get(reverse("beneficiary_list"))), count_queries(
        lambda: api.get("/api/v1/beneficiaries/"))
    BeneficiaryFactory.create_batch(45, cpas=cpas_a, referent=alice)
    page_50, api_50 = count_queries(lambda: client.get(reverse("beneficiary_list"))), count_queries(
        lambda: api.get("/api/v1/beneficiaries/"))
    assert (page_5, api_5) == (page_50, api_50)
