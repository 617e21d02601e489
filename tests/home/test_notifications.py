"""The daily job records due items as notifications once; the inbox reads and marks them; the digest e-mails."""

import pytest
from django.core import mail
from django.urls import reverse

from cpas_portal import tasks
from cpas_portal.models import Notification
from cpas_portal.notifications import notifications_record_all, notifications_send_digest
from tests.helpers import requires_celery_worker

from .world import CASEWORKER_KINDS, claim, person_with_items, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(cpas_a, cpas_b, alice, bob, charlie, manager_a):
    person = person_with_items(cpas_a, alice)
    person_with_items(cpas_b, charlie)
    claim(cpas_a, status="reviewed", sequence=1)
    return person


def snapshot():
    return sorted(Notification.objects.values_list("user__username", "key", "due", "kind"))


def test_running_the_job_twice_adds_nothing(items, alice, bob, charlie, manager_a):
    added = notifications_record_all(on=today())
    first = snapshot()
    assert added == len(first) > 0
    assert notifications_record_all(on=today()) == 0
    assert snapshot() == first
    by_user = {}
    for username, _key, _due, kind in first:
        by_user.setdefault(username, set()).add(kind)
    assert by_user["alice"] == set(CASEWORKER_KINDS)
    assert by_user["charlie"] == set(CASEWORKER_KINDS)
    assert by_user["marie"] == {"reimbursements.awaiting_signature"}
    assert by_user["bob"] == {"reimbursements.awaiting_signature"}
    # Each user only hears of their own CPAS.
    assert {n.cpas_id for n in Notification.objects.filter(user=charlie)} == {charlie.membership.cpas_id}


def test_the_task_records_and_a_second_run_adds_nothing(items):
    # In this process (the test's transaction is not visible to a worker; the broker test below uses one).
    first = tasks.notify_due_items.apply().get()
    assert first["added"] > 0
    assert tasks.notify_due_items.apply().get()["added"] == 0


def test_the_task_runs_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["due-items-notify"]
    assert entry["task"] == "cpas_portal.tasks.notify_due_items"
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {0}


@requires_celery_worker
@pytest.mark.django_db(transaction=True)
def test_through_the_broker_twice_the_same_notifications(cpas_a, alice):
    from celery.contrib.testing.worker import start_worker

    from cpas_portal.celery import app

    person_with_items(cpas_a, alice)
    with start_worker(app, perform_ping_check=False, pool="solo"):
        assert tasks.notify_due_items.delay().get(timeout=60)["added"] == len(CASEWORKER_KINDS)
        first = snapshot()
        assert tasks.notify_due_items.delay().get(timeout=60)["added"] == 0
    assert snapshot() == first


def test_inbox_reads_marks_and_filters(items, client_for, alice, charlie):
    notifications_record_all(on=today())
    client = client_for(alice)
    assert f">{len(CASEWORKER_KINDS)}</span></span>" in client.get(reverse("inbox_count")).content.decode()
    page = client.get(reverse("inbox"))
    assert page.status_code == 200 and len(page.context["page"].object_list) == len(CASEWORKER_KINDS)
    assert items.niss not in page.content.decode()
    first = Notification.objects.filter(user=alice).order_by("pk").first()
    response = client.post(reverse("inbox_read", args=[first.pk]), {"next": first.url})
    assert response.status_code == 302 and response.url == first.url
    first.refresh_from_db()
    assert first.read_at is not None
    unread = client.get(reverse("inbox"), {"unread": "1"}).context["page"].object_list
    assert first not in unread and len(unread) == len(CASEWORKER_KINDS) - 1
    # Someone else's notification is not theirs to mark.
    others = Notification.objects.filter(user=charlie).first()
    client.post(reverse("inbox_read", args=[others.pk]))
    others.refresh_from_db()
    assert others.read_at is None
    client.post(reverse("inbox_read_all"))
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert "badge" not in client.get(reverse("inbox_count")).content.decode()


def test_an_outside_next_is_not_followed(items, client_for, alice):
    notifications_record_all(on=today())
    first = Notification.objects.filter(user=alice).first()
    response = client_for(alice).post(reverse("inbox_read", args=[first.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("inbox")


def test_digest_by_mail_without_national_numbers(items, settings, alice, bob):
    settings.CPAS_NOTIFICATION_DIGEST = True
    alice.email, bob.email = "alice@example.be", ""
    alice.save(), bob.save()
    notifications_record_all(on=today())
    assert notifications_send_digest(base_url="https://cpas.example") == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.be"]
    assert "https://cpas.example/" in message.body
    assert items.niss not in message.body and items.niss_masked not in message.body
    assert items.last_name not in message.body
    # Already e-mailed: the next digest sends nothing.
    assert notifications_send_digest(base_url="") == 0 and len(mail.outbox) == 1


def test_no_digest_unless_turned_on(items, settings, alice):
    settings.CPAS_NOTIFICATION_DIGEST = False
    alice.email = "alice@example.be"
    alice.save()
    notifications_record_all(on=today())
    assert notifications_send_digest() == 0 and mail.outbox == []


def test_the_meetings_are_planned_before_the_notifications(settings):
    from measures.piis.tasks import plan_evaluations

    plan, notify = settings.CELERY_BEAT_SCHEDULE["evaluations-plan"], settings.CELERY_BEAT_SCHEDULE["due-items-notify"]
    assert plan["task"] == plan_evaluations.name
    assert plan["schedule"].hour == {5} and min(plan["schedule"].hour) < min(notify["schedule"].hour)
