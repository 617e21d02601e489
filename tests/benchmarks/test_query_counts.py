"""Query counts of every list and home page with 10 and with 1,000 rows: the same number of queries.

The rows come from the benchmark generator (``fill_lists``): people with their rights, conventions with
partners and payments, placements with their months, PIIS with evaluations, claims. No timing here.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpas_portal.generator import fill_lists
from cpas_portal.models import Role

from ..factories import CpasFactory

ON = date(2026, 3, 15)
# (url name, role, the most queries the page may make): lists of every app and the home page of each role.
PAGES = [
    ("home", Role.CASEWORKER, 20),
    ("home", Role.FINANCE, 25),
    ("home", Role.MANAGER, 22),
    ("inbox", Role.CASEWORKER, 6),
    ("beneficiary_list", Role.CASEWORKER, 8),
    ("beneficiary_list", Role.AUDITOR, 8),
    ("consultation_list", Role.MANAGER, 8),
    ("convention_list", Role.CASEWORKER, 10),
    ("placement_list", Role.CASEWORKER, 8),
    ("firm_employment_list", Role.CASEWORKER, 8),
    ("regularisation_list", Role.FINANCE, 10),
    ("piis_list", Role.CASEWORKER, 8),
    ("piis_agenda", Role.CASEWORKER, 8),
    ("claim_list", Role.FINANCE, 10),
    ("intervention_list", Role.CASEWORKER, 8),
    ("activation_list", Role.MANAGER, 8),
    ("statement_list", Role.FINANCE, 8),
]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def two_sizes(db):
    """One CPAS with 10 rows in every list, another with 1,000; the staff of each by role."""
    small = fill_lists(cpas=CpasFactory(nis_code="93010"), rows=10, on=ON)
    large = fill_lists(cpas=CpasFactory(nis_code="93011"), rows=1000, on=ON)
    return small, large


@pytest.mark.django_db
def test_every_list_and_home_page_makes_as_many_queries_with_1000_rows_as_with_10(two_sizes, client_for):
    small, large = two_sizes
    grown = {}
    for name, role, most in PAGES:
        url = reverse(name)
        few = queries_of(client_for(small[role][0]), url)
        many = queries_of(client_for(large[role][0]), url)
        assert few <= most, f"{name} ({role}): {few} queries"
        # A home page reads the people's rights in one more query only when some due item needs them (none
        # of the 10-row CPAS's items does): one query, not one per row.
        if many != few and not (name == "home" and many == few + 1):
            grown[f"{name} ({role})"] = (few, many)
    assert grown == {}, f"queries that grow with the rows (10 rows, 1,000 rows): {grown}"
