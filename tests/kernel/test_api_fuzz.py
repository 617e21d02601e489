"""Property-based fuzzing of every operation of the OpenAPI schema (schemathesis over Hypothesis).

Each operation gets valid and invalid requests from the schema, as a manager of CPAS A (session
cookie, so it does not depend on how API tokens are issued), with path ids that reach the seeded
objects as well as random ones. Whatever the input, the answer is never a server error. The run is
bounded (examples per operation, derandomized so CI is reproducible) to stay well under 3 minutes.
"""

import json
import os
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from conventions import services as convention_services
from cpas_portal.models import Role
from tests.conventions.factories import coaching_partner, make_convention, partner
from tests.factories import BeneficiaryFactory, member
from tests.interventions.factories import hire, pay, rate, right
from tests.measures.factories import budget, placement
from tests.piis.factories import make_piis
from tests.reimbursements.factories import FakeSource, fake_item

# CI's bounded run; a longer, random exploration: CPAS_FUZZ_EXAMPLES=500 CPAS_FUZZ_RANDOM=1.
EXAMPLES_PER_OPERATION = int(os.environ.get("CPAS_FUZZ_EXAMPLES", "25"))
DERANDOMIZE = not os.environ.get("CPAS_FUZZ_RANDOM")


def _schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]

# Every operation of the API; a new one must be added here (and is then fuzzed).
EXPECTED = {
    "GET /api/v1/art61-premiums/", "POST /api/v1/art61-premiums/", "GET /api/v1/art61-premiums/{id}/",
    "GET /api/v1/beneficiaries/", "POST /api/v1/beneficiaries/", "GET /api/v1/beneficiaries/{id}/",
    "PUT /api/v1/beneficiaries/{id}/", "PATCH /api/v1/beneficiaries/{id}/",
    "GET /api/v1/claim-jobs/", "POST /api/v1/claim-jobs/", "GET /api/v1/claim-jobs/{id}/",
    "GET /api/v1/claims/", "GET /api/v1/claims/{id}/", "POST /api/v1/claims/{id}/correct/",
    "GET /api/v1/claims/{id}/lines/", "GET /api/v1/claims/{id}/pdf/", "POST /api/v1/claims/{id}/review/",
    "POST /api/v1/claims/{id}/send/", "POST /api/v1/claims/{id}/sign/", "POST /api/v1/claims/{id}/cancel/",
    "POST /api/v1/claims/{id}/reject/",
    "GET /api/v1/conventions/", "POST /api/v1/conventions/", "GET /api/v1/conventions/{id}/",
    "PUT /api/v1/conventions/{id}/", "PATCH /api/v1/conventions/{id}/", "POST /api/v1/conventions/{id}/cancel/",
    "POST /api/v1/conventions/{id}/hours/{entry_pk}/correct/", "POST /api/v1/conventions/{id}/hours/{entry_pk}/cancel/",
    "GET /api/v1/conventions/{id}/claims/", "POST /api/v1/conventions/{id}/claims/",
    "POST /api/v1/conventions/{id}/close/", "GET /api/v1/conventions/{id}/hours/",
    "POST /api/v1/conventions/{id}/hours/", "POST /api/v1/conventions/{id}/sign/",
    "GET /api/v1/conventions/payments/", "GET /api/v1/conventions/payments/{id}/",
    "POST /api/v1/conventions/payments/{id}/pay/",
    "GET /api/v1/monthly-subsidies/", "GET /api/v1/monthly-subsidies/{id}/",
    "GET /api/v1/placements/", "POST /api/v1/placements/", "GET /api/v1/placements/{id}/",
    "PUT /api/v1/placements/{id}/", "PATCH /api/v1/placements/{id}/", "POST /api/v1/placements/{id}/approve/",
    "GET /api/v1/placements/{id}/subsidies/",
    "GET /api/v1/social-economy-budgets/", "GET /api/v1/social-economy-budgets/{id}/",
    "GET /api/v1/social-economy-budgets/overview/",
    "POST /api/v1/beneficiaries/search/",
    "GET /api/v1/firm-employments/", "POST /api/v1/firm-employments/", "GET /api/v1/firm-employments/{id}/",
    "PUT /api/v1/firm-employments/{id}/", "PATCH /api/v1/firm-employments/{id}/",
    "GET /api/v1/placements/{id}/pay-periods/", "POST /api/v1/placements/{id}/pay-periods/",
    "PUT /api/v1/placements/{id}/pay-periods/{pay_pk}/", "PATCH /api/v1/placements/{id}/pay-periods/{pay_pk}/",
    "DELETE /api/v1/placements/{id}/pay-periods/{pay_pk}/",
    "GET /api/v1/regularisations/", "GET /api/v1/regularisations/{id}/",
    "GET /api/v1/statements/", "POST /api/v1/statements/", "GET /api/v1/statements/{id}/",
    "GET /api/v1/statements/{id}/records/", "GET /api/v1/statements/layout/", "GET /api/v1/statement-jobs/{id}/",
    "GET /api/v1/statement-records/{id}/", "POST /api/v1/statement-records/{id}/match/",
    "POST /api/v1/statement-records/{id}/not-ours/",
    "GET /api/v1/beneficiaries/{beneficiary_pk}/rights/", "POST /api/v1/beneficiaries/{beneficiary_pk}/rights/",
    "GET /api/v1/beneficiaries/{beneficiary_pk}/rights/{id}/",
    "PUT /api/v1/beneficiaries/{beneficiary_pk}/rights/{id}/",
    "PATCH /api/v1/beneficiaries/{beneficiary_pk}/rights/{id}/",
    "GET /api/v1/beneficiaries/{beneficiary_pk}/notes/", "POST /api/v1/beneficiaries/{beneficiary_pk}/notes/",
    "GET /api/v1/beneficiaries/{beneficiary_pk}/notes/{id}/",
    "PUT /api/v1/beneficiaries/{beneficiary_pk}/notes/{id}/",
    "PATCH /api/v1/beneficiaries/{beneficiary_pk}/notes/{id}/",
    "GET /api/v1/beneficiaries/{beneficiary_pk}/documents/",
    "POST /api/v1/beneficiaries/{beneficiary_pk}/documents/",
    "GET /api/v1/beneficiaries/{beneficiary_pk}/documents/{id}/",
    "GET /api/v1/beneficiaries/{beneficiary_pk}/documents/{id}/download/",
    "GET /api/v1/activation-years/", "POST /api/v1/activation-years/", "GET /api/v1/activation-years/{id}/",
    "PATCH /api/v1/activation-years/{id}/", "GET /api/v1/activation-years/{id}/realised/",
    "POST /api/v1/activation-years/{id}/report/",
    "GET /api/v1/piis/", "POST /api/v1/piis/", "GET /api/v1/piis/{id}/", "PUT /api/v1/piis/{id}/",
    "PATCH /api/v1/piis/{id}/", "POST /api/v1/piis/{id}/sign/", "POST /api/v1/piis/{id}/end/",
    "POST /api/v1/piis/{id}/cancel/", "GET /api/v1/piis/{id}/evaluations/", "POST /api/v1/piis/{id}/evaluations/",
    "GET /api/v1/evaluations/", "GET /api/v1/evaluations/{id}/", "POST /api/v1/evaluations/{id}/record/",
    "GET /api/v1/intervention-hires/", "POST /api/v1/intervention-hires/", "GET /api/v1/intervention-hires/{id}/",
    "PUT /api/v1/intervention-hires/{id}/", "PATCH /api/v1/intervention-hires/{id}/",
    "GET /api/v1/intervention-payments/", "POST /api/v1/intervention-payments/",
    "GET /api/v1/intervention-payments/{id}/",
    "POST /api/v1/placements/{id}/end/", "POST /api/v1/placements/{id}/cancel/",
    "POST /api/v1/budget-allocation/preview/", "POST /api/v1/budget-allocation/apply/",
    "GET /api/v1/organisations/", "POST /api/v1/organisations/", "GET /api/v1/organisations/{id}/",
    "PUT /api/v1/organisations/{id}/", "PATCH /api/v1/organisations/{id}/",
}
# How API clients authenticate changes apart from the domain; those operations are fuzzed too, unlisted.
AUTH_PREFIX = "/api/v1/auth/"


def _label(operation):
    return f"{operation.method.upper()} {operation.path}"


def test_the_fuzzing_covers_every_operation_of_the_schema():
    domain = {_label(operation) for operation in OPERATIONS if not operation.path.startswith(AUTH_PREFIX)}
    assert domain == EXPECTED
    assert len(EXPECTED) == 122


@pytest.fixture
def world(db, cpas_a, cpas_b, django_capture_on_commit_callbacks):
    """One object of each kind in CPAS A (and a beneficiary in B), reached by the fuzzed ids."""
    from cpas_portal.celery import app
    from measures.activation import services as activation_services
    from reimbursements import services as claims
    from reimbursements import sources

    manager = member(cpas_a, Role.MANAGER, username="fuzz-manager")
    president = member(cpas_a, Role.MANAGER, username="fuzz-president")
    person = BeneficiaryFactory(cpas=cpas_a)
    other = BeneficiaryFactory(cpas=cpas_b)
    placed = placement(manager, cpas=cpas_a, beneficiary=person, start=date(2026, 1, 1),
                       planned_end=date(2026, 6, 30))
    convention = make_convention(user=manager, beneficiary=person, sign=True,
                                 partners=[partner(coaching_partner(cpas_a))])
    yearly = budget(cpas_a, 2026, "50000.00")
    piis = make_piis(manager, beneficiary=person, sign=True)
    rate("activa")
    right(person)
    hired = hire(manager, person, start=date(2026, 1, 1), end=date(2026, 6, 30))
    paid = pay(manager, hired, date(2026, 1, 1))
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        with sources.overridden("art60", FakeSource([fake_item(1, amount="1811.57")])):
            with django_capture_on_commit_callbacks(execute=True):
                job = claims.claim_generation_request(acting_user=manager, cpas=cpas_a, measure="art60",
                                                      period_kind="month", year=2026, number=3)
            job.refresh_from_db()
            claim = job.claim
            claims.claim_review(acting_user=manager, claim=claim)
            with django_capture_on_commit_callbacks(execute=True):
                claims.claim_sign(acting_user=manager, claim=claim, capacity="secretary")
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = previous
    ids = {
        "beneficiaries": person.pk, "placements": placed.pk, "monthly-subsidies": placed.monthly_subsidies.first().pk,
        "conventions": convention.pk, "payments": convention.payments.first().pk, "claims": claim.pk,
        "claim-jobs": job.pk, "social-economy-budgets": yearly.pk,
        # No premium is seeded: another CPAS's id, which must be a 404.
        "art61-premiums": other.pk,
        "pay_pk": placed.pay_changes.first().pk,
        "entry_pk": convention_services.coaching_hours_record(
            acting_user=manager, convention=convention, partner=convention.partners.first(), day=date(2024, 3, 5),
            hours=Decimal("2")).pk,
        "activation-years": activation_services.activation_create(
            acting_user=manager, cpas=cpas_a, year=2026, kind="large_city", granted_amount=Decimal("1000.00")).pk,
        "piis": piis.pk, "evaluations": piis.evaluations.first().pk,
        "intervention-hires": hired.pk, "intervention-payments": paid.pk,
    }
    return {"user": manager, "president": president, "ids": ids}


def _auth(client_user, django_client):
    django_client.force_login(client_user)
    session = django_client.cookies["sessionid"].value
    token = "f" * 32
    return {"cookies": {"sessionid": session, "csrftoken": token}, "headers": {"X-CSRFToken": token}}


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, keeping the test's database connection open between requests (as
    Django's test client does): the seeded rows live in the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_request_gets_a_server_error(world, client, wsgi_app):
    auth = _auth(world["user"], client)
    app = wsgi_app
    failures, tally = [], Counter()
    only = os.environ.get("CPAS_FUZZ_ONLY", "")
    for operation in [operation for operation in OPERATIONS if only in _label(operation)]:
        failures += _fuzz(operation, app, auth, world["ids"], tally)
    print(f"fuzzed {len(OPERATIONS)} operations, {sum(tally.values())} requests, by status class: {dict(tally)}")
    assert only or sum(tally.values()) >= len(OPERATIONS) * EXAMPLES_PER_OPERATION // 2
    assert failures == []


def _fuzz(operation, app, auth, ids, tally):
    strategies = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    if "{id}" in operation.path and _resource_id(operation, ids) is not None:
        path = {"id": _resource_id(operation, ids)}
        if "{pay_pk}" in operation.path:
            path["pay_pk"] = ids["pay_pk"]
        if "{entry_pk}" in operation.path:
            path["entry_pk"] = ids["entry_pk"]
        known = operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=path)
        strategies += [known, known]
    failures = []

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=DERANDOMIZE, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def fuzz(case):
        response = case.call(app=app, **auth)
        tally[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            failures.append(f"{_label(operation)}: {response.status_code} {case.as_curl_command()}")

    fuzz()
    return failures


def _resource_id(operation, ids):
    """The seeded object's id for ``/api/v1/<resource>/{id}/…`` (and ``/conventions/payments/{id}/``); ``None``
    for a kind not seeded here (firm employments, regularisations and statements have fuzz-reachable lists and
    their own tests), whose ids are then only generated."""
    parts = operation.path.strip("/").split("/")
    resource = parts[2]
    if resource == "conventions" and parts[3] == "payments":
        resource = "payments"
    return ids.get(resource)
