"""The beneficiary list's referent filter offers the CPAS's caseworkers, kept between requests until the next
write in the CPAS (``selectors.caseworker_labels``, the home pages' cache: ``cpas_portal/due_cache.py``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpas_portal.models import Role
from tests.factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def referents(response):
    return [label for value, label in response.context["filters"].fields["referent"].choices if value.isdigit()]


def caseworkers_read(sql):
    return (sql.startswith('SELECT "auth_user"."id" AS "pk", "auth_user"."first_name"')
            and "cpas_portal_membership" in sql)


def list_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("beneficiary_list"))
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


def test_the_caseworkers_are_read_once_until_a_write(client_for, cpas_a, cpas_b, alice, charlie, admin_user):
    dora = member(cpas_a, Role.CASEWORKER, username="dora", first_name="Dora", last_name="Verbeke")
    member(cpas_a, Role.FINANCE, username="fin", first_name="Finn", last_name="Cash")
    client = client_for(alice)
    first, first_sql = list_page(client)
    assert referents(first) == ["Alice Lambert", "Dora Verbeke"]
    assert f'<option value="{dora.pk}">Dora Verbeke</option>' in first.content.decode()
    again, again_sql = list_page(client)
    assert referents(again) == referents(first)
    assert len(again_sql) == len(first_sql) - 1
    assert sum(caseworkers_read(sql) for sql in first_sql) == 1
    assert not any(caseworkers_read(sql) for sql in again_sql)

    # Renamed outside any request: kept until the CPAS is marked as written…
    alice.last_name = "Laurent"
    alice.save()
    assert referents(list_page(client)[0]) == ["Alice Lambert", "Dora Verbeke"]
    # …a write in another CPAS does not mark this one…
    client_for(charlie).post(reverse("files_handover"))
    assert referents(list_page(client_for(alice))[0]) == ["Alice Lambert", "Dora Verbeke"]
    # …a member's write does (any request that may write: ``due_cache.WrittenMiddleware``).
    client.post(reverse("files_handover"))
    assert referents(list_page(client)[0]) == ["Alice Laurent", "Dora Verbeke"]

    # The admin reaches every CPAS: a staff write marks them all.
    alice.first_name = "Alicia"
    alice.save()
    client_for(admin_user).post(reverse("files_handover"))
    assert referents(list_page(client_for(alice))[0]) == ["Alicia Laurent", "Dora Verbeke"]


def test_each_cpas_offers_its_own_caseworkers(client_for, cpas_a, cpas_b, alice, charlie):
    assert referents(list_page(client_for(alice))[0]) == ["Alice Lambert"]
    assert referents(list_page(client_for(charlie))[0]) == [charlie.get_full_name() or charlie.username]


def test_without_a_shared_cache_every_page_reads_them(settings, client_for, cpas_a, alice):
    settings.HOME_CACHE = False
    client = client_for(alice)
    _first, first_sql = list_page(client)
    _again, again_sql = list_page(client)
    assert len(again_sql) == len(first_sql)
