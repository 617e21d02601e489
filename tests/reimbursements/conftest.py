import pytest

from cpas_portal.models import Role
from reimbursements import sources
from tests.factories import member

from .factories import FakeSource, fake_item


@pytest.fixture
def fake_source():
    """The art. 60 §7 measure fed by a fake source holding three items of March 2026."""
    source = FakeSource([
        fake_item(1, name="Amélie Dubois", amount="1811.57"),
        fake_item(2, name="Julien Renard", amount="625.00"),
        fake_item(3, name="Sarah Martin", amount="-120.50"),
    ])
    with sources.overridden("art60", source):
        yield source


@pytest.fixture
def director_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="diane", first_name="Diane", last_name="Leroy")


@pytest.fixture
def president_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="paul", first_name="Paul", last_name="Moreau")


@pytest.fixture
def finance_b(cpas_b):
    return member(cpas_b, Role.FINANCE, username="bert", first_name="Bert", last_name="Maes")


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """``generate(user, cpas, month=3)``: request a claim and run the job as the worker would."""
    from reimbursements import services

    def run(user, cpas, *, measure="art60", year=2026, month=3, kind="month"):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.claim_generation_request(acting_user=user, cpas=cpas, measure=measure, period_kind=kind,
                                                    year=year, number=month)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def send(bob, director_a, president_a, django_capture_on_commit_callbacks):
    """``send(claim)``: reviewed by Bob, signed by the secretary and the president, sent; read again."""
    from reimbursements import services

    def run(claim):
        services.claim_review(acting_user=bob, claim=claim)
        with django_capture_on_commit_callbacks(execute=True):
            services.claim_sign(acting_user=director_a, claim=claim, capacity="secretary")
            services.claim_sign(acting_user=president_a, claim=claim, capacity="president")
        services.claim_send(acting_user=bob, claim=claim)
        claim.refresh_from_db()
        return claim

    return run


@pytest.fixture
def sent_claim(bob, cpas_a, fake_source, generate, send):
    """The March 2026 art. 60 §7 claim of CPAS A, reviewed, signed by both and sent."""
    return send(generate(bob, cpas_a).claim)


@pytest.fixture(autouse=True)
def tasks_in_process(request):
    """Tests feed fake sources that a worker process cannot see: their tasks run in-process, even in
    CI where a broker is set. The real-worker and browser tests keep the configured broker."""
    if request.node.get_closest_marker("celery_worker") or request.node.get_closest_marker("browser"):
        yield
        return
    from cpas_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
