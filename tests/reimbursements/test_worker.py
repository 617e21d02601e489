"""Generation through a real Celery worker on Redis (CI starts it; skipped on the embedded default)."""

import time
from datetime import date
from decimal import Decimal

import pytest

from conventions import services as convention_services
from conventions.models import Payment
from reimbursements import services
from reimbursements.models import GenerationJob
from reimbursements.tasks import generate_claim
from tests.conventions.factories import coaching_partner, make_convention, partner
from tests.helpers import requires_celery_worker


def _wait_for(job, seconds=60):
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(job.percent)
        if not job.is_active:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"The job is still {job.status} at {job.percent} % after {seconds} s.")


@requires_celery_worker
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_generates_the_claim_to_100_percent(alice, bob, cpas_a, beneficiary_a):
    convention = make_convention(user=alice, beneficiary=beneficiary_a,
                                 partners=[partner(coaching_partner(cpas_a), "100")], sign=True)
    for payment in Payment.objects.filter(convention=convention, status="due"):
        convention_services.payment_mark_paid(acting_user=bob, payment=payment, paid_date=date(2024, 3, 5))

    job = services.claim_generation_request(acting_user=bob, cpas=cpas_a, measure="convention",
                                            period_kind="month", year=2024, number=3)
    assert job.status == "queued"
    seen = _wait_for(job)
    assert (job.status, job.percent, job.error) == ("done", 100, ""), job.error
    assert seen[-1] == 100
    claim = job.claim
    assert claim.total == Decimal("250.00") and claim.line_count == 1
    assert bytes(claim.document.content)[:4] == b"%PDF"


@pytest.mark.django_db(transaction=True)
def test_the_task_runs_in_process_as_on_the_embedded_default(bob, cpas_a, fake_source):
    job = GenerationJob.objects.create(cpas=cpas_a, measure="art60", period_kind="month", period_start="2026-03-01",
                                       period_end="2026-03-31", requested_by=bob)
    result = generate_claim.apply(args=[job.pk]).get()
    job.refresh_from_db()
    assert (job.status, job.percent) == ("done", 100)
    assert result == {"job": job.pk, "status": "done", "claim": job.claim_id}
    assert job.claim.line_count == 3
    # Delivered twice (acks_late after a lost worker): the job is finished once.
    generate_claim.apply(args=[job.pk]).get()
    assert GenerationJob.objects.get(pk=job.pk).claim_id == result["claim"]
    assert job.claim.lines.count() == 3
