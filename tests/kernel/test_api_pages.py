"""The API's lists are counted as the HTML lists are: exact up to the cap or the page asked for, a lower bound
past it, and every page reachable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpas_portal import pagination
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/beneficiaries/"


@pytest.fixture
def sixty(cpas_a, cpas_b):
    BeneficiaryFactory.create_batch(60, cpas=cpas_a)
    BeneficiaryFactory.create_batch(3, cpas=cpas_b)


def test_a_short_list_is_counted_exactly(api_client_for, alice, sixty):
    body = api_client_for(alice).get(URL).json()
    assert (body["count"], body["count_is_exact"], len(body["results"])) == (60, True, 25)
    assert body["next"].endswith("page=2")


def test_past_the_cap_the_count_is_a_lower_bound_and_the_pages_go_on(api_client_for, alice, sixty, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    api = api_client_for(alice)
    first = api.get(URL).json()
    assert (first["count"], first["count_is_exact"]) == (25, False)  # the first page and one row beyond
    assert first["next"].endswith("page=2") and first["previous"] is None
    third = api.get(URL, {"page": 3}).json()
    # Counting up to page 3 reaches the end: exact again, and no page after it.
    assert (third["count"], third["count_is_exact"], len(third["results"]), third["next"]) == (60, True, 10, None)
    seen = {row["id"] for page in (1, 2, 3) for row in api.get(URL, {"page": page}).json()["results"]}
    assert len(seen) == 60
    assert api.get(URL, {"page": 4}).status_code == 404


# (Not named "page": that name is the browser page of the Playwright plugin, which would make these browser tests.)
@pytest.mark.parametrize("number", ["last", "abc", "0", "99999999999999999999999999999999999999"])
def test_a_page_that_cannot_be_counted_to_is_a_404(api_client_for, alice, sixty, number):
    assert api_client_for(alice).get(URL, {"page": number}).status_code == 404


def test_the_count_reads_no_more_rows_than_the_cap(api_client_for, alice, sixty, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    with CaptureQueriesContext(connection) as queries:
        api_client_for(alice).get(URL)
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts and all("LIMIT 26" in sql for sql in counts), counts


def test_the_schema_describes_the_count(api_client_for, alice):
    schema = api_client_for(alice).get("/api/schema/", {"format": "json"}).json()
    pages = schema["components"]["schemas"]["PaginatedBeneficiaryListList"]
    assert pages["properties"]["count_is_exact"]["type"] == "boolean"
    assert "count_is_exact" in pages["required"]
