"""The statements pages cost the same number of queries for few and for many records and files."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reimbursements import services

SAMPLE = (Path(__file__).parent / "data" / "statement_92094_2026_04.txt").read_bytes()

pytestmark = pytest.mark.django_db


def _statement(bob, cpas, copies):
    """A statement of ``copies`` × the sample's three records (each number of copies a distinct file)."""
    imported, _created = services.statement_import(
        acting_user=bob, cpas=cpas, file_name=f"statement-{copies}.txt", content=SAMPLE * copies)
    return imported


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("copies", [1, 10])
def test_statement_page_queries_do_not_grow_with_the_records(client_for, bob, cpas_a, sent_claim, copies):
    statement = _statement(bob, cpas_a, copies)
    assert statement.records.count() == 3 * copies
    # session, user, membership+CPAS, the statement, its records with their lines and claims, the
    # open lines offered to match the unmatched records by hand (one query for all of them), the lines
    # of the claims it touches counted (one query for all of them), then per claim (here one): the
    # payments of its held lines summed in one query.
    assert _queries(client_for(bob), f"/claims/statements/{statement.pk}/") == 8


def test_statement_list_queries_do_not_grow_with_the_files(client_for, bob, cpas_a, sent_claim):
    client = client_for(bob)
    _statement(bob, cpas_a, 1)
    one = _queries(client, "/claims/statements/")
    for copies in range(2, 7):
        _statement(bob, cpas_a, copies)
    assert _queries(client, "/claims/statements/") == one
