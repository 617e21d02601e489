"""The home pages keep their due items until the next write in the CPAS (``cpas_portal/due_cache.py``).

Each test turns the cache on (it is on in production, with Redis, and in the development server) with a
memory cache of its own, and checks what a user would notice: a page reopened reads nothing again, yet a
write — through a page, in bulk, in a task, by the admin — shows at once; nothing crosses a CPAS, a user, a
language or a day; a cache outage leaves the page as it was without the cache.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cpas_portal import due_cache, home
from cpas_portal.models import Beneficiary, RightDecision
from cpas_portal.tasks import database_health
from tests.factories import member

from .world import person_with_items, today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def keys(response):
    groups = response.context["groups"]
    return sorted(item.key for name in ("overdue", "week", "month") for item in getattr(groups, name))


def page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response, len(queries)


def test_a_reopened_home_page_reads_no_due_item_again(client_for, cpas_a, alice):
    person_with_items(cpas_a, alice)
    client = client_for(alice)
    first, first_queries = page_queries(client)
    again, again_queries = page_queries(client)
    assert keys(again) == keys(first) and len(keys(first)) >= 5
    # Session, user, membership only: every provider's query is spared.
    assert again_queries < first_queries and again_queries <= 4
    assert again.content.decode().count("<tr data-key=") == first.content.decode().count("<tr data-key=")


def test_a_bulk_write_through_a_page_shows_at_once(client_for, cpas_a, alice, manager_a):
    """The handover moves files in bulk (no model signal): the request itself marks the CPAS as written."""
    person = person_with_items(cpas_a, alice)
    olivier = member(cpas_a, "caseworker", username="olivier", first_name="Olivier", last_name="Noël")
    assert keys(client_for(alice).get(reverse("home")))
    response = client_for(manager_a).post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": olivier.pk, "scope": "all"})
    assert response.status_code == 302
    assert Beneficiary.objects.get(pk=person.pk).referent_id == olivier.pk
    assert keys(client_for(alice).get(reverse("home"))) == []
    assert keys(client_for(olivier).get(reverse("home")))


def test_a_write_outside_requests_and_tasks_shows_once_marked(client_for, cpas_a, alice):
    person = person_with_items(cpas_a, alice)
    client = client_for(alice)
    before = keys(client.get(reverse("home")))
    ending = RightDecision.objects.get(beneficiary=person)
    RightDecision.objects.create(cpas=cpas_a, beneficiary=person, right_type="ris", category=2,
                                 start=ending.end + timedelta(days=1))
    # Written straight to the database (as a shell would): the page still shows what it read…
    assert keys(client.get(reverse("home"))) == before
    due_cache.written(cpas_a.pk)
    # …until the write is marked: the renewed right is no longer due.
    after = keys(client.get(reverse("home")))
    assert len(after) == len(before) - 1 and not any(key.startswith("rights.") for key in after)


def test_a_task_marks_every_cpas_as_written(client_for, cpas_a, alice):
    person = person_with_items(cpas_a, alice)
    client = client_for(alice)
    before = keys(client.get(reverse("home")))
    Beneficiary.objects.filter(pk=person.pk).update(referent=None)
    assert keys(client.get(reverse("home"))) == before
    database_health.apply()  # any task: Celery's task_postrun
    assert keys(client.get(reverse("home"))) == []


def test_another_cpas_write_keeps_the_page_and_the_admin_marks_all(client_for, cpas_a, cpas_b, alice, charlie,
                                                                   admin_user):
    person = person_with_items(cpas_a, alice)
    person_with_items(cpas_b, charlie)
    client = client_for(alice)
    before = keys(client.get(reverse("home")))
    Beneficiary.objects.filter(pk=person.pk).update(referent=None)
    # A request that writes in the other CPAS leaves this CPAS's pages as they were.
    client_for(charlie).post(reverse("files_handover"))
    assert keys(client_for(alice).get(reverse("home"))) == before
    # Staff reach every CPAS through the admin: their writes mark every CPAS.
    client_for(admin_user).post(reverse("files_handover"))
    assert keys(client_for(alice).get(reverse("home"))) == []


def test_nothing_crosses_users_cpas_languages_or_days(cpas_a, cpas_b, alice, charlie):
    person_with_items(cpas_a, alice)
    person_with_items(cpas_b, charlie)
    olivier = member(cpas_a, "caseworker", username="olivier", first_name="Olivier", last_name="Noël")
    on = today()
    mine = home.caseworker_groups(cpas=cpas_a, user=alice, on=on)
    assert mine.total >= 5
    assert home.caseworker_groups(cpas=cpas_a, user=olivier, on=on).total == 0
    theirs = home.caseworker_groups(cpas=cpas_b, user=charlie, on=on)
    assert {item.beneficiary_id for item in theirs.overdue + theirs.week + theirs.month}.isdisjoint(
        {item.beneficiary_id for item in mine.overdue + mine.week + mine.month})
    with translation.override("nl"):
        dutch = home.caseworker_groups(cpas=cpas_a, user=alice, on=on)
    with translation.override("fr"):
        french = home.caseworker_groups(cpas=cpas_a, user=alice, on=on)
    assert [item.reason for item in dutch.week] != [item.reason for item in french.week]
    # A month later the same items fall in other groups: another day is another entry.
    later = home.caseworker_groups(cpas=cpas_a, user=alice, on=on + timedelta(days=40))
    assert later.counts != mine.counts


def test_signing_in_or_reading_a_notification_keeps_the_page(client_for, cpas_a, alice):
    person = person_with_items(cpas_a, alice)
    client = client_for(alice)
    before = keys(client.get(reverse("home")))
    Beneficiary.objects.filter(pk=person.pk).update(referent=None)
    client.post(reverse("inbox_read_all"))
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    client.post(reverse("beneficiary_list"), {"q": person.niss})  # a search by number, posted
    client.post(reverse("person_picker_options") + "?field=beneficiary", {"beneficiary_query": "Dub"})
    assert keys(client.get(reverse("home"))) == before


def test_a_cache_outage_reads_the_database(client_for, cpas_a, alice):
    person_with_items(cpas_a, alice)
    client = client_for(alice)
    expected = keys(client.get(reverse("home")))
    from django.core.cache import cache

    with mock.patch.object(cache, "get_many", side_effect=ConnectionError("cache down")), \
            mock.patch.object(cache, "set", side_effect=ConnectionError("cache down")):
        response = client.get(reverse("home"))
        assert response.status_code == 200 and keys(response) == expected
        due_cache.written(cpas_a.pk)  # a failed mark does not fail the write it follows


def test_the_manager_and_finance_pages_are_kept_too(client_for, cpas_a, alice, manager_a, bob):
    person = person_with_items(cpas_a, alice)
    for user in (manager_a, bob):
        client = client_for(user)
        page_queries(client)
        _response, again = page_queries(client)
        assert again <= 5, user.username
    manager = client_for(manager_a)
    before = manager.get(reverse("home")).context["rows"]
    Beneficiary.objects.filter(pk=person.pk).update(referent=None)
    due_cache.written(cpas_a.pk)
    after = manager.get(reverse("home")).context
    assert [groups.total for _user, groups in after["rows"]] != [groups.total for _user, groups in before]
    assert after["unassigned"].total == sum(groups.total for _user, groups in before)


def test_a_superuser_and_a_migration_mark_every_cpas(client_for, cpas_a, alice, django_user_model):
    person = person_with_items(cpas_a, alice)
    client = client_for(alice)
    assert keys(client.get(reverse("home")))
    Beneficiary.objects.filter(pk=person.pk).update(referent=None)
    # A superuser who is not staff runs the allocations of every CPAS: their writes mark every CPAS.
    boss = django_user_model.objects.create_user("boss", "boss@example.org", "x", is_superuser=True)
    client_for(boss).post(reverse("files_handover"))
    assert keys(client_for(alice).get(reverse("home"))) == []
    person_with_items(cpas_a, alice)
    due_cache.written(cpas_a.pk)
    assert keys(client_for(alice).get(reverse("home")))
    from django.apps import apps
    from django.db.models.signals import post_migrate

    Beneficiary.objects.filter(referent=alice).update(referent=None)
    post_migrate.send(sender=apps.get_app_config("cpas_portal"), app_config=apps.get_app_config("cpas_portal"),
                      verbosity=0, interactive=False, using="default", plan=[], apps=apps)
    assert keys(client_for(alice).get(reverse("home"))) == []


def test_off_without_a_shared_cache(settings, client_for, cpas_a, alice):
    """A memory cache per process must not keep pages another process's write made stale: off unless asked."""
    settings.HOME_CACHE = False
    person = person_with_items(cpas_a, alice)
    client = client_for(alice)
    assert keys(client.get(reverse("home")))
    Beneficiary.objects.filter(pk=person.pk).update(referent=None)
    assert keys(client.get(reverse("home"))) == []
