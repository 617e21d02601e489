"""Generation jobs as the source of truth: dispatch when the queue is down, heartbeat, the watcher that
sends lost jobs again, stuck jobs retried from their page. The faults themselves, against the real
services, are in test_faults.py."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerDown

from reimbursements import rules, services
from reimbursements.models import Claim, ClaimDocument, ClaimSignature, GenerationJob
from reimbursements.tasks import generate_claim, render_pdf
from tests.helpers import requires_postgresql

ROOT = Path(__file__).resolve().parents[2]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # the pages' English source strings, whatever is translated later


@pytest.fixture(autouse=True)
def language_restored():
    """A request in English leaves the thread's language as it found it, for the tests after these."""
    with translation.override(translation.get_language()):
        yield


T0 = timezone.datetime(2026, 4, 2, 10, 0, tzinfo=timezone.get_current_timezone())
SECONDS = timedelta(seconds=1)


@pytest.mark.parametrize(("status", "dispatched", "heartbeat", "expected"), [
    ("queued", None, None, "waiting"),                  # the queue never took it
    ("queued", T0 - 899 * SECONDS, None, "queued"),     # sent, waiting its turn
    ("queued", T0 - 901 * SECONDS, None, "stuck"),      # sent 15 min ago and never picked up
    ("running", T0, T0 - 60 * SECONDS, "running"),      # last heartbeat exactly at the limit
    ("running", T0, T0 - 61 * SECONDS, "stuck"),        # its worker stopped
    ("running", T0, None, "stuck"),
    ("done", None, None, "done"),
    ("failed", T0 - 3600 * SECONDS, T0 - 3600 * SECONDS, "failed"),
])
def test_job_state(status, dispatched, heartbeat, expected):
    assert rules.job_state(status=status, dispatched_at=dispatched, heartbeat_at=heartbeat, now=T0,
                           stale_after=60 * SECONDS, unpicked_after=900 * SECONDS) == expected


@pytest.mark.parametrize(("status", "heartbeat", "claimable"), [
    ("queued", None, True),
    ("running", T0 - 10 * SECONDS, False),   # alive elsewhere: a second delivery is a no-op
    ("running", T0 - 61 * SECONDS, True),    # lost: the next delivery takes it over
    ("running", None, True),
    ("done", None, False),
    ("failed", None, False),
])
def test_job_claimable(status, heartbeat, claimable):
    assert rules.job_claimable(status=status, heartbeat_at=heartbeat, now=T0, stale_after=60 * SECONDS) is claimable


class Queue:
    """The job queue as seen from the application: ``down()`` makes every send fail as kombu does when
    Redis refuses the connection; ``up()`` brings it back."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.refused = monkeypatch, 0

    def down(self):
        def refuse(*args, **kwargs):
            self.refused += 1
            raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        self.monkeypatch.setattr(generate_claim, "apply_async", refuse)
        self.monkeypatch.setattr(render_pdf, "apply_async", refuse)

    def up(self):
        self.monkeypatch.undo()


@pytest.fixture
def queue(monkeypatch):
    return Queue(monkeypatch)


@pytest.mark.django_db
def test_a_request_while_the_queue_is_down_is_saved_and_says_it_will_start_later(
        bob, cpas_a, fake_source, client_for, queue, django_capture_on_commit_callbacks):
    client = client_for(bob)
    queue.down()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/new/", {"measure": "art60", "period_kind": "month", "year": 2026,
                                                "number": 3}, **EN)
    assert response.status_code == 302 and queue.refused == 1
    job = GenerationJob.objects.get()
    assert (job.status, job.dispatched_at, job.queue_state) == ("queued", None, "waiting")
    page = client.get(response["Location"], **EN).content.decode()
    assert 'data-state="waiting"' in page and "Waiting for the queue" in page
    assert "the job will start when the queue is back" in page
    assert "Retry now" in page

    # The queue is back: the watcher (Celery beat) sends the job, which runs.
    queue.up()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.jobs_watch(now=timezone.now() + timedelta(minutes=1))
    assert counts["resent"] == 1 and counts["dispatched"] == 1
    job.refresh_from_db()
    assert job.status == "done" and job.claim.line_count == 3 and job.dispatched_at is not None


@pytest.mark.django_db
def test_the_api_answers_202_with_the_waiting_state_when_the_queue_is_down(
        bob, cpas_a, fake_source, api_client_for, queue, django_capture_on_commit_callbacks):
    queue.down()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(bob).post("/api/v1/claim-jobs/", {
            "measure": "art60", "period_kind": "month", "year": 2026, "number": 3}, format="json")
    assert response.status_code == 202
    assert (response.data["status"], response.data["queue_state"]) == ("queued", "waiting")


@pytest.mark.django_db
def test_signing_while_the_queue_is_down_keeps_the_signature_and_the_watcher_renders_the_pdf(
        bob, cpas_a, director_a, fake_source, generate, queue, django_capture_on_commit_callbacks):
    claim = generate(bob, cpas_a).claim  # rendered before the queue went down
    queue.down()
    services.claim_review(acting_user=bob, claim=claim)
    rendered_before = ClaimDocument.objects.get(claim=claim).rendered_at
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=director_a, claim=claim, capacity="secretary")
    assert ClaimSignature.objects.filter(claim=claim).count() == 1 and queue.refused == 1
    assert ClaimDocument.objects.get(claim=claim).rendered_at == rendered_before  # not rendered yet

    queue.up()
    counts = services.jobs_watch(now=timezone.now() + timedelta(minutes=1))
    assert counts["renders"] == 1
    document = ClaimDocument.objects.get(claim=claim)
    assert document.rendered_at > ClaimSignature.objects.get(claim=claim).signed_at
    # Up to date now: the next watch renders nothing.
    assert services.jobs_watch(now=timezone.now() + timedelta(minutes=2))["renders"] == 0


@pytest.mark.django_db
def test_a_batch_started_while_the_queue_is_down_leaves_its_jobs_waiting(
        admin_user, cpas_a, cpas_b, queue, django_capture_on_commit_callbacks):
    queue.down()
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.claim_batch_start(acting_user=admin_user, measure="art60", period_kind="month", year=2026,
                                           number=3, cpas_list=[cpas_a, cpas_b])
    assert [job.queue_state for job in batch.jobs.all()] == ["waiting", "waiting"]


def _job(cpas, user, month, **fields):
    start, end = rules.period_bounds("month", 2026, month)
    return GenerationJob.objects.create(cpas=cpas, measure="art60", period_kind="month", period_start=start,
                                        period_end=end, requested_by=user, **fields)


@pytest.mark.django_db
def test_the_watcher_sends_again_the_jobs_never_taken_and_those_whose_worker_died(bob, cpas_a, monkeypatch):
    now = timezone.now()
    never_sent = _job(cpas_a, bob, 1)
    GenerationJob.objects.filter(pk=never_sent.pk).update(created_at=now - timedelta(minutes=2))
    just_asked = _job(cpas_a, bob, 2)  # its request is still sending it
    waiting_turn = _job(cpas_a, bob, 3, dispatched_at=now - timedelta(minutes=5))
    lost_message = _job(cpas_a, bob, 4, dispatched_at=now - timedelta(minutes=16))
    worker_died = _job(cpas_a, bob, 5, status="running", percent=60, attempts=1,
                       heartbeat_at=now - timedelta(seconds=61))
    alive = _job(cpas_a, bob, 6, status="running", attempts=1, heartbeat_at=now - timedelta(seconds=5))
    # Asked from a page in Dutch (the CPAS works in French): its messages are in the asker's language.
    died_three_times = _job(cpas_a, bob, 7, status="running", attempts=3, heartbeat_at=now - timedelta(minutes=5),
                            language="nl")
    sent = []
    monkeypatch.setattr(generate_claim, "apply_async", lambda args, **kwargs: sent.append(args[0]))

    counts = services.jobs_watch(now=now)

    assert sent == [never_sent.pk, lost_message.pk, worker_died.pk]
    assert counts == {"resent": 3, "dispatched": 3, "failed": 1, "renders": 0}
    assert GenerationJob.objects.get(pk=just_asked.pk).dispatched_at is None
    assert GenerationJob.objects.get(pk=alive.pk).status == "running"
    failed = GenerationJob.objects.get(pk=died_three_times.pk)
    assert cpas_a.language != "nl"
    with translation.override("nl"):
        expected = translation.gettext("The worker stopped %(count)s times during this job; it was not started "
                                       "again.") % {"count": 3}
    assert (failed.status, failed.error) == ("failed", expected)
    assert GenerationJob.objects.get(pk=waiting_turn.pk).dispatched_at < now - timedelta(minutes=4)


@pytest.mark.django_db
def test_a_second_delivery_of_a_job_running_elsewhere_changes_nothing(bob, cpas_a, fake_source):
    job = _job(cpas_a, bob, 3, status="running", percent=60, attempts=1, heartbeat_at=timezone.now())
    again = services.run_generation_job(job.pk)
    assert (again.status, again.percent, again.attempts) == ("running", 60, 1)
    assert Claim.objects.count() == 0


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_finished_by_the_next_delivery_with_one_claim(bob, cpas_a, fake_source, generate):
    job = generate(bob, cpas_a)
    sha256 = ClaimDocument.objects.get(claim=job.claim).sha256
    # The worker died during the PDF: the claim is written, the heartbeat stopped a while ago.
    GenerationJob.objects.filter(pk=job.pk).update(status="running", percent=60,
                                                   heartbeat_at=timezone.now() - timedelta(minutes=5))
    ClaimDocument.objects.all().delete()
    finished = services.run_generation_job(job.pk)
    assert (finished.status, finished.attempts, finished.claim_id) == ("done", 2, job.claim_id)
    assert Claim.objects.count() == 1 and ClaimDocument.objects.get().sha256 == sha256


@pytest.mark.django_db
def test_a_stuck_job_shows_it_and_is_retried_from_its_page(bob, cpas_a, auditor_a, fake_source, client_for,
                                                          django_capture_on_commit_callbacks):
    job = _job(cpas_a, bob, 3, status="running", percent=10, attempts=1,
               heartbeat_at=timezone.now() - timedelta(minutes=5), dispatched_at=timezone.now())
    page = client_for(auditor_a).get(f"/claims/jobs/{job.pk}/", **EN).content.decode()
    assert 'data-state="stuck"' in page and "Stuck" in page and "the worker running it stopped" in page
    assert "Retry now" not in page  # a read-only role sees the state, not the button

    client = client_for(bob)
    assert "Retry now" in client.get(f"/claims/jobs/{job.pk}/", **EN).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/claims/jobs/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/claims/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2) and job.claim.line_count == 3


@pytest.mark.django_db
def test_a_job_under_way_is_not_retried(bob, cpas_a):
    job = _job(cpas_a, bob, 3, status="running", attempts=1, heartbeat_at=timezone.now(),
               dispatched_at=timezone.now())
    with pytest.raises(services.ValidationError):
        services.job_retry(acting_user=bob, job=job)


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_writes_the_heartbeat_while_it_renders(bob, cpas_a, fake_source, settings, monkeypatch):
    settings.CLAIM_JOB_HEARTBEAT_SECONDS = 0.05
    original = services.claim_pdf_render

    def slow_render(*, claim):
        time.sleep(0.6)
        return original(claim=claim)

    monkeypatch.setattr(services, "claim_pdf_render", slow_render)
    job = _job(cpas_a, bob, 3, dispatched_at=timezone.now())
    finished = services.run_generation_job(job.pk, heartbeat=True)
    assert finished.status == "done"
    assert finished.heartbeat_at > finished.started_at + timedelta(seconds=0.4)


@pytest.mark.django_db
def test_the_database_outage_page_is_a_503_in_the_layout_without_traceback(bob, client_for, monkeypatch):
    from django.test import Client

    from reimbursements import selectors

    def unreachable(**kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(selectors, "claim_list", unreachable)
    client = Client(raise_request_exception=False, **EN)
    client.force_login(bob)
    response = client.get("/claims/")
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Temporarily unavailable" in body and 'class="brand"' in body
    assert "Traceback" not in body and "5432" not in body


def test_the_outage_handler_answers_a_database_error_raised_outside_a_view(rf):
    from cpas_portal import outage

    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = outage.server_error(rf.get("/claims/"))
    assert response.status_code == 503 and b"Traceback" not in response.content
    try:
        raise ValueError("a bug")
    except ValueError:
        assert outage.server_error(rf.get("/claims/")).status_code == 500


def test_the_broker_fails_fast_and_its_visibility_timeout_outlasts_the_longest_job():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2 and settings.CELERY_TASK_PUBLISH_RETRY is False
    assert options["max_retries"] <= 1 and options["socket_connect_timeout"] <= 2
    watch = settings.CELERY_BEAT_SCHEDULE["claim-jobs-watch"]
    from cpas_portal.celery import app

    assert watch["task"] in app.tasks
    assert settings.CLAIM_JOB_STALE_SECONDS >= 3 * settings.CLAIM_JOB_HEARTBEAT_SECONDS


def test_redis_keeps_its_queue_on_disk_wherever_the_project_starts_it():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert "/data" in " ".join(compose["services"]["redis"]["volumes"])
    assert "beat" in compose["services"]["beat"]["command"]
    script = (ROOT / "scripts" / "services.sh").read_text()
    assert "--appendonly yes" in script and "--appendonly no" not in script


@pytest.mark.django_db
def test_a_message_that_outlived_its_job_is_dropped(bob, cpas_a):
    job = _job(cpas_a, bob, 3)
    job_id = job.pk
    job.delete()
    assert generate_claim.apply(args=[job_id]).get() == {"job": job_id, "status": "missing", "claim": None}


@pytest.mark.django_db
def test_a_job_speaks_the_language_of_the_page_that_asked_for_it(bob, cpas_a, django_capture_on_commit_callbacks):
    assert cpas_a.language == "fr"
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        job = services.claim_generation_request(acting_user=bob, cpas=cpas_a, measure="art60", period_kind="month",
                                                year=2026, number=3)
    job.refresh_from_db()
    with translation.override("de"):
        expected = translation.gettext("Nothing to claim: this measure has no reimbursable item in this period.")
    assert expected.startswith("Nichts")
    assert (job.language, job.status, job.step) == ("de", "empty", expected)
