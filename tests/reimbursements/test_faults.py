"""Faults against the real services (CI): the whole worker killed mid-PDF, Redis down during a request,
PostgreSQL restarted under a running application. Each test stops or kills a service through
``scripts/services.sh`` and leaves every service running again for the tests after it.

Skipped on the embedded default (SQLite, tasks in-process); in CI every one runs.
"""

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.utils import translation

from reimbursements import services
from reimbursements.benchmark_data import create_art60_month
from reimbursements.models import Claim, ClaimDocument, GenerationJob
from tests.helpers import requires_celery_worker, requires_postgresql

ROOT = Path(__file__).resolve().parents[2]
MARCH = date(2026, 3, 1), date(2026, 3, 31)

pytestmark = [
    requires_postgresql, requires_celery_worker, pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def services_sh(command, timeout=60):
    result = subprocess.run([str(ROOT / "scripts" / "services.sh"), command], cwd=ROOT, capture_output=True,
                            text=True, timeout=timeout, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"After {seconds} s: {what}")


def job_now(job):
    return GenerationJob.objects.get(pk=job.pk)


@pytest.fixture
def beat(tmp_path):
    """Celery beat, as deployed (docker-compose.yml), running the job watcher every second."""
    environment = {**os.environ, "CPAS_JOB_WATCH_SECONDS": "1",
                   "DATABASE_URL": test_database_url()}
    log = open(tmp_path / "beat.log", "w")  # noqa: SIM115 — closed below
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "--workdir", str(ROOT), "-A", "cpas_portal", "beat",
         "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def services_back():
    """Whatever a test stopped or killed is running again afterwards (the next tests need it)."""
    yield
    connections.close_all()
    services_sh("start", timeout=90)


def test_database_url():
    database = connections["default"].settings_dict  # pytest-django's test database
    return (f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}")


test_database_url.__test__ = False


def test_a_worker_killed_mid_pdf_is_replaced_and_the_job_finishes_once(bob, cpas_a, beat, services_back):
    started = time.monotonic()
    create_art60_month(cpas=cpas_a, user=bob, count=700, start=MARCH[0], end=MARCH[1])
    job = services.claim_generation_request(acting_user=bob, cpas=cpas_a, measure="art60", period_kind="month",
                                            year=2026, number=3)

    # The claim is written (60 %) and the PDF under way: the whole worker dies, children included.
    wait_until(lambda: job_now(job).percent == 60, 90, "the job never reached the PDF rendering")
    services_sh("kill-worker")
    killed_at = time.monotonic()
    lost = job_now(job)
    assert (lost.status, lost.percent) == ("running", 60)
    assert not ClaimDocument.objects.filter(claim=lost.claim_id).exists()

    services_sh("start", timeout=90)  # a supervisor (compose's restart policy) brings the worker back
    done = wait_until(lambda: (j := job_now(job)).status in ("done", "failed") and j, 90,
                      "the job was never finished after the worker came back")
    recovered_in = time.monotonic() - killed_at
    assert (done.status, done.percent, done.error) == ("done", 100, "")
    assert done.attempts == 2 and done.claim_id == lost.claim_id
    claims = Claim.objects.filter(cpas=cpas_a, measure="art60", period_start=MARCH[0])
    assert claims.count() == 1 and claims.get().line_count == 700
    document = ClaimDocument.objects.get(claim=done.claim_id)
    assert hashlib.sha256(bytes(document.content)).hexdigest() == document.sha256

    # The killed worker's message comes back after the visibility timeout: delivered again, it is a no-op.
    again = services.run_generation_job(job.pk, heartbeat=True)
    assert (again.status, again.attempts, again.claim_id) == ("done", 2, done.claim_id)
    assert ClaimDocument.objects.filter(claim__cpas=cpas_a).count() == 1
    assert ClaimDocument.objects.get(claim=done.claim_id).rendered_at == document.rendered_at
    print(f"\nworker SIGKILL mid-PDF: recovered in {recovered_in:.1f} s, test {time.monotonic() - started:.1f} s")


def test_a_request_while_redis_is_down_is_saved_and_runs_when_redis_returns(bob, cpas_a, client_for, beat,
                                                                             services_back):
    started = time.monotonic()
    create_art60_month(cpas=cpas_a, user=bob, count=3, start=MARCH[0], end=MARCH[1])
    client = client_for(bob)
    assert client.get("/claims/new/").status_code == 200  # the pages loaded once, as in a running server
    services_sh("stop-redis")

    asked = time.monotonic()
    response = client.post("/claims/new/", {"measure": "art60", "period_kind": "month", "year": 2026,
                                            "number": 3})
    answered_in = time.monotonic() - asked
    assert response.status_code == 302, response.content[:500]
    assert answered_in < 5, f"the request took {answered_in:.1f} s with Redis down"
    job = GenerationJob.objects.get(cpas=cpas_a)
    assert (job.status, job.dispatched_at, job.queue_state) == ("queued", None, "waiting")
    with translation.override(translation.get_language()):  # the request switches to English
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'data-state="waiting"' in page.content.decode()
    assert "the job will start when the queue is back" in page.content.decode()

    services_sh("start-redis")
    back_at = time.monotonic()
    done = wait_until(lambda: (j := job_now(job)).status in ("done", "failed") and j, 60,
                      "the job never ran after Redis came back")
    assert (done.status, done.error) == ("done", ""), done.error
    assert done.dispatched_at is not None and done.claim.line_count == 3
    assert ClaimDocument.objects.filter(claim=done.claim).count() == 1
    print(f"\nRedis down: request answered in {answered_in:.2f} s; job done {time.monotonic() - back_at:.1f} s "
          f"after Redis returned; test {time.monotonic() - started:.1f} s")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def application(tmp_path):
    """The application served by gunicorn in its own process, on the test database."""
    port = free_port()
    # DEBUG off, as users run it: an error raised in a middleware (the session's, before any view) then
    # reaches handler500, which answers a lost database with the outage page.
    environment = {**os.environ, "DATABASE_URL": test_database_url(), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                   "DJANGO_DEBUG": "0"}
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 — closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cpas_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "2", "--timeout", "30"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def listening():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    wait_until(listening, 30, "gunicorn did not start")
    yield url, process
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_postgresql_restarted_under_the_application_gives_a_clean_503_then_works(bob, client_for, application,
                                                                                 services_back):
    started = time.monotonic()
    url, process = application
    client_for(bob)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client_for(bob).cookies[settings.SESSION_COOKIE_NAME].value}"
    status, body = get(f"{url}/claims/", cookie)
    assert status == 200 and "Bob Dupont" in body

    connections.close_all()
    services_sh("stop-postgresql")
    try:
        outage = [get(f"{url}{path}", cookie) for path in ("/claims/", "/beneficiaries/", "/api/v1/claims/")]
    finally:
        services_sh("start-postgresql")
    back_at = time.monotonic()
    for status, body in outage[:2]:
        assert status == 503, body[:3000]
        assert "Temporarily unavailable" in body and 'class="brand"' in body  # the page, in the layout
        assert "Traceback" not in body and "OperationalError" not in body and "psycopg" not in body
    assert outage[2][0] == 503 and "database" in outage[2][1] and "Traceback" not in outage[2][1]

    # The same application process serves again, on its first request after the restart.
    status, body = get(f"{url}/claims/", cookie)
    assert status == 200 and "Bob Dupont" in body
    assert process.poll() is None
    print(f"\nPostgreSQL restart: 503 during the outage, 200 {time.monotonic() - back_at:.2f} s after; "
          f"test {time.monotonic() - started:.1f} s")
