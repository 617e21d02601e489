"""The final report's job: queued by a manager, run once, frozen figures, PDF download, real worker."""

import time

import pytest
from django.urls import reverse

from measures.activation import services
from measures.activation.models import ActivationReport
from measures.activation.tasks import make_report
from tests.helpers import requires_celery_worker


@pytest.fixture
def activation(manager_a, cpas_a, make_activation):
    return make_activation(manager_a, cpas_a, year=2024)


def test_the_page_queues_the_report_and_the_pdf_downloads(client_for, manager_a, charlie, activation,
                                                          django_capture_on_commit_callbacks):
    client = client_for(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activation_report_request", args=[activation.pk]))
    assert response.status_code == 302
    job = ActivationReport.objects.get()
    assert (job.status, job.percent, job.error) == ("done", 100, "")
    assert job.realised["piis_total"] == 0
    progress = client.get(reverse("activation_report_progress", args=[job.pk]))
    assert progress.status_code == 200 and "100 %" in progress.content.decode()
    pdf = client.get(reverse("activation_report_pdf", args=[job.pk]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    other = client_for(charlie)
    assert other.get(reverse("activation_report_progress", args=[job.pk])).status_code == 404
    assert other.get(reverse("activation_report_pdf", args=[job.pk])).status_code == 404


def test_running_the_task_twice_makes_one_pdf(manager_a, activation):
    job = ActivationReport.objects.create(activation=activation, cpas=activation.cpas, requested_by=manager_a)
    make_report.apply(args=[job.pk]).get()
    job.refresh_from_db()
    first = job.sha256
    assert job.status == "done" and first
    make_report.apply(args=[job.pk]).get()
    job.refresh_from_db()
    assert (job.sha256, job.attempts) == (first, 1)


def test_a_second_request_while_one_runs_shares_it(manager_a, activation):
    first = services.report_request(acting_user=manager_a, activation=activation)
    second = services.report_request(acting_user=manager_a, activation=activation)
    assert first.pk == second.pk
    assert ActivationReport.objects.count() == 1


def test_detail_query_count_does_not_grow_with_reports(client_for, manager_a, activation,
                                                      django_assert_max_num_queries):
    for _ in range(5):
        ActivationReport.objects.create(activation=activation, cpas=activation.cpas, status="done", percent=100)
    client = client_for(manager_a)
    # session, user, two-step device, membership, the subsidy, PIIS rows, assessments, members, reports.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("activation_detail", args=[activation.pk]))
    assert response.content.decode().count("/pdf/") == 5


def _wait_for(job, seconds=60):
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(job.percent)
        if not job.is_active:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"The report is still {job.status} at {job.percent} % after {seconds} s.")


@requires_celery_worker
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_report_to_100_percent(cpas_a):
    from decimal import Decimal

    from cpas_portal.models import Role
    from tests.factories import member

    manager = member(cpas_a, Role.MANAGER, username="worker-manager")
    activation = services.activation_create(acting_user=manager, cpas=cpas_a, year=2024, kind="large_city",
                                            granted_amount=Decimal("5000.00"), objective_piis_total=3)
    job = services.report_request(acting_user=manager, activation=activation)
    seen = _wait_for(job)
    assert (job.status, job.percent, job.error) == ("done", 100, ""), job.error
    assert seen[-1] == 100
    job = ActivationReport.objects.get(pk=job.pk)
    assert bytes(job.pdf)[:4] == b"%PDF" and job.page_count == 1
