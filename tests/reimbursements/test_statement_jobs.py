"""The statement import as a background job: queue, progress, refusal, idempotence, watcher, tenancy."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from reimbursements import statements
from reimbursements.models import StatementImport, StatementJob, StatementRecord
from reimbursements.statement_benchmark_data import sent_claim, statement_text
from reimbursements.tasks import import_statement
from tests.helpers import requires_celery_worker

DATA = Path(__file__).parent / "data"
TXT = DATA / "statement_92094_2026_04.txt"


def _request(user, cpas, content=None, name="statement.txt"):
    return statements.statement_import_request(acting_user=user, cpas=cpas, file_name=name,
                                               content=content if content is not None else TXT.read_bytes())


@requires_celery_worker
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_the_statement_to_100_percent(bob, cpas_a):
    job = _request(bob, cpas_a)
    assert job.status == "queued"
    deadline, seen = time.monotonic() + 60, []
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(job.percent)
        if not job.is_active:
            break
        time.sleep(0.2)
    assert (job.status, job.percent, job.errors) == ("done", 100, {}), job.errors
    assert job.dispatched_at is not None and job.attempts == 1 and bytes(job.content) == b""
    assert job.statement.record_count == 3 and StatementRecord.objects.filter(statement=job.statement).count() == 3
    assert seen == sorted(seen)


@pytest.mark.django_db
def test_the_job_imports_in_steps_and_records_the_history(bob, cpas_a, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    steps = []
    original = statements._Progress.__call__

    def spy(self, percent, step):
        steps.append(percent)
        return original(self, percent, step)

    monkeypatch.setattr(statements._Progress, "__call__", spy)
    with django_capture_on_commit_callbacks(execute=True):
        job = _request(bob, cpas_a)
    job.refresh_from_db()
    assert (job.status, job.percent, job.created_statement) == ("done", 100, True)
    assert steps == sorted(steps) and steps[0] == 5 and 90 in steps
    records = job.statement.records.all()
    # Each record has its creation in the history, with who imported it.
    assert StatementRecord.history.filter(history_type="+", history_user=bob).count() == records.count() == 3


@pytest.mark.django_db
def test_the_same_file_twice_imports_once(bob, cpas_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(bob, cpas_a)
        second = _request(bob, cpas_a, name="again.txt")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.created_statement, second.created_statement) == (True, False)
    assert first.statement == second.statement and StatementImport.objects.count() == 1
    assert StatementRecord.objects.count() == 3
    # A message delivered again after the job ended changes nothing.
    assert import_statement.apply(args=[first.pk]).get()["status"] == "done"
    assert StatementRecord.objects.count() == 3 and StatementJob.objects.get(pk=first.pk).attempts == 1


@pytest.mark.django_db
def test_a_queue_that_is_down_keeps_the_job_for_the_watcher(bob, cpas_a, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise OperationalError("Redis is down")

    monkeypatch.setattr(import_statement, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = _request(bob, cpas_a)
    job.refresh_from_db()
    assert (job.status, job.dispatched_at, job.queue_state) == ("queued", None, "waiting")
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        counts = statements.statement_jobs_watch(now=timezone.now() + timedelta(minutes=1))
    job.refresh_from_db()
    assert counts["resent"] == 1 and job.status == "done" and job.statement.record_count == 3


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_run_again_by_the_watcher(bob, cpas_a):
    job = StatementJob.objects.create(cpas=cpas_a, file_name="s.txt", content=TXT.read_bytes(), sha256="x",
                                      requested_by=bob, status="running", attempts=1,
                                      heartbeat_at=timezone.now() - timedelta(hours=1),
                                      dispatched_at=timezone.now() - timedelta(hours=1))
    assert job.queue_state == "stuck"
    statements.statement_jobs_watch()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)


@pytest.mark.django_db
def test_a_refused_file_fails_with_its_field_errors_and_can_start_again(bob, cpas_a,
                                                                        django_capture_on_commit_callbacks):
    bad = TXT.read_bytes().replace(b"92094", b"21004", 1)
    with django_capture_on_commit_callbacks(execute=True):
        job = _request(bob, cpas_a, content=bad)
    job.refresh_from_db()
    assert job.status == "failed" and job.statement is None
    assert job.errors == {"file": [job.file_errors[0]]} and "21004" in job.file_errors[0]
    assert not StatementRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        statements.statement_job_retry(acting_user=bob, job=job)
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == 1  # started again, refused again


@pytest.mark.django_db
def test_another_cpas_never_sees_the_job(client_for, api_client_for, bob, charlie, alice, cpas_a,
                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _request(bob, cpas_a)
    assert client_for(charlie).get(f"/claims/statements/imports/{job.pk}/").status_code == 404
    # Charlie's role does not write claims: refused before the job is even looked up.
    assert client_for(charlie).post(f"/claims/statements/imports/{job.pk}/retry/").status_code in (403, 404)
    assert api_client_for(charlie).get(f"/api/v1/statement-jobs/{job.pk}/").status_code == 404
    assert api_client_for(bob).get(f"/api/v1/statement-jobs/{job.pk}/").json()["status"] == "done"
    # A caseworker reads but does not import.
    assert client_for(alice).post("/claims/statements/", {"file": TXT.open("rb")}).status_code == 403
    assert StatementJob.objects.count() == 1


@pytest.mark.django_db
def test_the_import_is_linear_in_queries(bob, cpas_a, django_assert_max_num_queries):
    """A statement of 1,500 records costs a fixed number of queries (inserts of 2,000 rows, history in one)."""
    sent_claim(cpas=cpas_a, user=bob, lines=1500, sequence=1)
    content = statement_text(nis_code=cpas_a.nis_code, records=1500)
    with django_assert_max_num_queries(40):
        imported, created = statements.statement_import(acting_user=bob, cpas=cpas_a, file_name="big.txt",
                                                        content=content)
    assert created and imported.record_count == 1500
    states = dict(StatementRecord.objects.filter(statement=imported).values_list("row", "state"))
    assert states[1] == "matched" and states[8] == "differs" and states[14] == "unmatched" and states[4] == "rejected"
