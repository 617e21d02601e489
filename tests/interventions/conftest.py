import pytest
from django.utils import translation

from cpas_portal.models import Role
from tests.factories import member

from .factories import right


@pytest.fixture(autouse=True)
def english():
    """Services and providers called here write in English (pages keep the CPAS's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="manon")


@pytest.fixture
def beneficiary_a(beneficiary_a):
    """The shared fixture person, without the right the factory gives: each test writes the rights it needs."""
    beneficiary_a.right_decisions.all().delete()
    return beneficiary_a


@pytest.fixture
def person(beneficiary_a):
    """Amélie of CPAS A, entitled to the integration income since 2020."""
    right(beneficiary_a)
    return beneficiary_a


@pytest.fixture
def tasks_in_process():
    """The claim job runs in this process, inside the test's transaction (a worker process would not see
    the rows), even where a broker is configured."""
    from cpas_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def generate(django_capture_on_commit_callbacks, tasks_in_process):
    """``generate(user, cpas, measure=…, month=3)``: request a claim and run the job as the worker would."""
    from reimbursements import services

    def run(user, cpas, *, measure="intervention", year=2026, month=3, kind="month"):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.claim_generation_request(acting_user=user, cpas=cpas, measure=measure, period_kind=kind,
                                                    year=year, number=month)
        job.refresh_from_db()
        return job

    return run
