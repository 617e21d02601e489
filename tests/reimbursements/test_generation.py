import threading
from decimal import Decimal

import pytest
from django.db import connection

from reimbursements import services, sources
from reimbursements.models import Claim, ClaimLine, GenerationJob
from tests.helpers import requires_postgresql

from .factories import FakeSource, fake_item


@pytest.mark.django_db
def test_a_claim_gathers_every_item_of_the_period(bob, cpas_a, fake_source, generate):
    job = generate(bob, cpas_a)
    assert (job.status, job.percent, job.error) == ("done", 100, "")
    assert job.started_at and job.finished_at
    claim = job.claim
    assert (claim.measure, claim.status, claim.version, claim.sequence) == ("art60", "draft", 1, 1)
    assert claim.reference == "92094-ART60-2026-03-1v1"
    assert claim.line_count == 3
    assert claim.total == Decimal("2316.07")
    lines = list(claim.lines.order_by("position"))
    assert [line.beneficiary_name for line in lines] == ["Amélie Dubois", "Julien Renard", "Sarah Martin"]
    regularisation = lines[2]
    assert (regularisation.amount, regularisation.sign) == (Decimal("120.50"), -1)
    assert claim.document.sha256 and claim.document.page_count == 1
    assert claim.history.first().history_user == bob


@pytest.mark.django_db
def test_items_outside_the_period_are_left_out(bob, cpas_a, fake_source, generate):
    from datetime import date

    fake_source.items.append(fake_item(9, start=date(2026, 4, 1), end=date(2026, 4, 30)))
    assert generate(bob, cpas_a).claim.line_count == 3


@pytest.mark.django_db
def test_running_the_job_again_finishes_it_once(bob, cpas_a, fake_source, generate):
    job = generate(bob, cpas_a)
    # Its worker died at 60 %: no heartbeat since.
    GenerationJob.objects.filter(pk=job.pk).update(status="running", percent=60, heartbeat_at=None)
    again = services.run_generation_job(job.pk)
    assert again.status == "done" and again.claim_id == job.claim_id
    assert Claim.objects.count() == 1
    assert ClaimLine.objects.count() == 3


@pytest.mark.django_db
def test_a_job_that_dies_while_writing_leaves_no_half_claim(bob, cpas_a, fake_source, generate, monkeypatch):
    original = services._save_lines

    def dying(claim, lines, acting_user):
        original(claim, lines[:1], acting_user)
        raise RuntimeError("worker lost")

    monkeypatch.setattr(services, "_save_lines", dying)
    job = generate(bob, cpas_a)
    assert job.status == "failed" and "worker lost" in job.error
    assert Claim.objects.count() == 0 and ClaimLine.objects.count() == 0

    monkeypatch.setattr(services, "_save_lines", original)
    GenerationJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=None)
    finished = services.run_generation_job(job.pk)
    assert finished.status == "done"
    assert finished.claim.line_count == 3


@pytest.mark.django_db
def test_a_failed_job_can_be_started_again(bob, cpas_a, fake_source, generate, monkeypatch,
                                           django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "_write_claim", lambda job, items: 1 / 0)
    failed = generate(bob, cpas_a)
    assert failed.status == "failed"
    monkeypatch.undo()
    with sources.overridden("art60", fake_source), django_capture_on_commit_callbacks(execute=True):
        retry = services.job_retry(acting_user=bob, job=failed)
    retry.refresh_from_db()
    assert retry.pk != failed.pk and retry.status == "done" and retry.claim.line_count == 3


@pytest.mark.django_db
def test_a_second_request_while_the_first_runs_shares_its_job(bob, cpas_a, fake_source):
    first = services.claim_generation_request(acting_user=bob, cpas=cpas_a, measure="art60", period_kind="month",
                                              year=2026, number=3)
    second = services.claim_generation_request(acting_user=bob, cpas=cpas_a, measure="art60", period_kind="month",
                                               year=2026, number=3)
    assert first.pk == second.pk
    assert GenerationJob.objects.count() == 1


@pytest.mark.django_db
def test_a_second_claim_for_the_same_period_holds_only_new_items(bob, cpas_a, fake_source, generate):
    first = generate(bob, cpas_a).claim
    nothing = generate(bob, cpas_a)
    assert nothing.status == "empty" and nothing.claim is None
    assert "déjà demandés" in nothing.step  # in the CPAS's language
    fake_source.items.append(fake_item(4, name="Mehdi Simon", amount="893.65"))
    second = generate(bob, cpas_a).claim
    assert second.pk != first.pk and second.sequence == 2
    assert [line.beneficiary_name for line in second.lines.all()] == ["Mehdi Simon"]
    assert second.total == Decimal("893.65")


@pytest.mark.django_db
def test_a_cancelled_claim_gives_its_items_back(bob, cpas_a, fake_source, generate):
    first = generate(bob, cpas_a).claim
    services.claim_cancel(acting_user=bob, claim=first)
    again = generate(bob, cpas_a).claim
    assert again.line_count == 3 and again.sequence == 2


@pytest.mark.django_db
def test_the_database_refuses_an_item_claimed_twice(bob, cpas_a, fake_source, generate):
    from django.db import IntegrityError, transaction

    claim = generate(bob, cpas_a).claim
    line = claim.lines.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(claim=claim, cpas=cpas_a, position=99, source_key=line.source_key, niss=line.niss,
                                 beneficiary_name="x", covered_start=line.covered_start, covered_end=line.covered_end,
                                 amount=1, legal_basis="x")


@pytest.mark.django_db
def test_a_correction_supersedes_the_sent_claim_and_totals_the_difference(
        bob, cpas_a, sent_claim, fake_source, django_capture_on_commit_callbacks):
    fake_source.items[1] = fake_item(2, name="Julien Renard", amount="500.00")   # 625 → 500
    del fake_source.items[2]                                                    # the regularisation is withdrawn
    fake_source.items.append(fake_item(5, name="Chloé Laurent", amount="250.00"))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_correction_request(acting_user=bob, claim=sent_claim)
    job.refresh_from_db()
    correction = job.claim
    sent_claim.refresh_from_db()
    assert sent_claim.status == "superseded"
    assert (correction.version, correction.supersedes_id, correction.sequence) == (2, sent_claim.pk, 1)
    assert correction.total == Decimal("1811.57") + Decimal("500.00") + Decimal("250.00")
    assert correction.difference_total == correction.total - Decimal("2316.07")
    changes = {line.beneficiary_name: (line.change, line.previous_amount, line.signed_amount, line.live)
               for line in correction.lines.all()}
    assert changes == {
        "Amélie Dubois": ("unchanged", Decimal("1811.57"), Decimal("1811.57"), True),
        "Julien Renard": ("changed", Decimal("625.00"), Decimal("500.00"), True),
        "Sarah Martin": ("withdrawn", Decimal("-120.50"), Decimal("0.00"), False),
        "Chloé Laurent": ("new", None, Decimal("250.00"), True),
    }
    assert not sent_claim.lines.filter(live=True).exists()
    assert correction.reference == "92094-ART60-2026-03-1v2"


@pytest.mark.django_db
def test_a_correction_with_no_difference_makes_no_version(bob, cpas_a, sent_claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_correction_request(acting_user=bob, claim=sent_claim)
    job.refresh_from_db()
    assert job.status == "empty" and job.claim is None and job.step
    sent_claim.refresh_from_db()
    assert sent_claim.status == "sent"


@pytest.mark.django_db
def test_a_draft_is_not_corrected_by_a_new_version(bob, cpas_a, fake_source, generate):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.claim_correction_request(acting_user=bob, claim=generate(bob, cpas_a).claim)


@pytest.mark.django_db
@pytest.mark.parametrize(("user", "allowed"), [("alice", False), ("auditor_a", False), ("bob", True)])
def test_only_finance_or_management_asks_for_a_claim(request, user, allowed, cpas_a, fake_source):
    from django.core.exceptions import PermissionDenied

    acting = request.getfixturevalue(user)

    def ask():
        return services.claim_generation_request(acting_user=acting, cpas=cpas_a, measure="art60",
                                                 period_kind="month", year=2026, number=3)

    if allowed:
        assert ask().pk
    else:
        with pytest.raises(PermissionDenied):
            ask()


@pytest.mark.django_db
def test_a_future_period_is_refused(bob, cpas_a, fake_source):
    from datetime import date

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.claim_generation_request(acting_user=bob, cpas=cpas_a, measure="art60", period_kind="month",
                                          year=2026, number=5, today=date(2026, 4, 30))
    assert "number" in error.value.message_dict


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_make_one_claim(bob, cpas_a):
    source = FakeSource([fake_item(index) for index in range(1, 41)])
    barrier = threading.Barrier(2)
    errors = []

    def request_claim():
        try:
            barrier.wait(timeout=10)
            job = services.claim_generation_request(acting_user=bob, cpas=cpas_a, measure="art60",
                                                    period_kind="month", year=2026, number=3)
            # Both run the job as two workers would, even when they share it.
            services.run_generation_job(job.pk)
        except Exception as error:  # noqa: BLE001 — reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    with sources.overridden("art60", source):
        threads = [threading.Thread(target=request_claim) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert Claim.objects.count() == 1
    assert ClaimLine.objects.filter(live=True).count() == 40


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_jobs_of_one_measure_never_claim_an_item_twice(bob, cpas_a):
    """A month and the quarter that holds it, generated at once: the lock makes them take turns."""
    source = FakeSource([fake_item(index) for index in range(1, 41)])
    month = GenerationJob.objects.create(cpas=cpas_a, measure="art60", period_kind="month",
                                         period_start="2026-03-01", period_end="2026-03-31", requested_by=bob)
    quarter = GenerationJob.objects.create(cpas=cpas_a, measure="art60", period_kind="quarter",
                                           period_start="2026-01-01", period_end="2026-03-31", requested_by=bob)
    barrier = threading.Barrier(2)

    def run(job):
        try:
            barrier.wait(timeout=10)
            services.run_generation_job(job.pk)
        finally:
            connection.close()

    with sources.overridden("art60", source):
        threads = [threading.Thread(target=run, args=(job,)) for job in (month, quarter)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert Claim.objects.count() == 1
    assert ClaimLine.objects.filter(live=True).count() == 40
    # One job made the claim; the other found every item claimed and says so.
    assert sorted(GenerationJob.objects.values_list("status", flat=True)) == ["done", "empty"]
