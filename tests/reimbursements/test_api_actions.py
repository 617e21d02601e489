"""Every action of the claim pages in the API, with the same rules: cancel, reject, manual matching,
and a job that finds nothing to claim — each with another CPAS's 404 and a read-only role's 403."""

from datetime import date

import pytest

from reimbursements import statement, statements
from reimbursements.models import ClaimLine, GenerationJob

pytestmark = pytest.mark.django_db

MARCH = {"nis_code": "92094", "year_month": "2026-04", "first_day": date(2026, 3, 1), "last_day": date(2026, 3, 31)}


def _stranger_record(bob, cpas_a):
    """An unmatched record of CPAS A's statement (a person no claim holds)."""
    content = statement.format_record(**MARCH, niss="85073003328", amount="100.00").encode()
    imported, _created = statements.statement_import(acting_user=bob, cpas=cpas_a, file_name="s.txt",
                                                     content=content)
    record = imported.records.get()
    assert record.state == "unmatched"
    return record


def test_the_api_cancels_a_draft_and_frees_its_items(api_client_for, bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    response = api_client_for(bob).post(f"/api/v1/claims/{claim.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert not ClaimLine.objects.filter(claim=claim, live=True).exists()
    # The same rules as the page: a cancelled claim cannot be cancelled again.
    again = api_client_for(bob).post(f"/api/v1/claims/{claim.pk}/cancel/")
    assert again.status_code == 400 and "status" in again.json()


def test_the_api_cancels_no_sent_claim(api_client_for, bob, sent_claim):
    response = api_client_for(bob).post(f"/api/v1/claims/{sent_claim.pk}/cancel/")
    assert response.status_code == 400 and "status" in response.json()
    sent_claim.refresh_from_db()
    assert sent_claim.status == "sent"


def test_the_api_marks_a_sent_claim_rejected_but_not_a_draft(api_client_for, bob, cpas_a, sent_claim):
    response = api_client_for(bob).post(f"/api/v1/claims/{sent_claim.pk}/reject/")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert not sent_claim.lines.filter(live=True).exists()


def test_the_api_rejects_no_draft(api_client_for, bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    response = api_client_for(bob).post(f"/api/v1/claims/{claim.pk}/reject/")
    assert response.status_code == 400 and "status" in response.json()


@pytest.mark.parametrize("action", ["cancel", "reject"])
def test_another_cpas_gets_404_on_cancel_and_reject(api_client_for, finance_b, sent_claim, action):
    response = api_client_for(finance_b).post(f"/api/v1/claims/{sent_claim.pk}/{action}/")
    assert response.status_code == 404
    sent_claim.refresh_from_db()
    assert sent_claim.status == "sent"


@pytest.mark.parametrize("action", ["cancel", "reject"])
@pytest.mark.parametrize("role", ["auditor_a", "alice"])
def test_a_role_that_does_not_prepare_claims_gets_403(request, api_client_for, sent_claim, action, role):
    """The auditor reads only; a caseworker does not prepare claims (finance and managers do)."""
    response = api_client_for(request.getfixturevalue(role)).post(f"/api/v1/claims/{sent_claim.pk}/{action}/")
    assert response.status_code == 403
    sent_claim.refresh_from_db()
    assert sent_claim.status == "sent"


def test_the_api_matches_a_record_by_hand(api_client_for, bob, cpas_a, sent_claim):
    record = _stranger_record(bob, cpas_a)
    line = sent_claim.lines.get(beneficiary_name="Amélie Dubois")
    response = api_client_for(bob).post(f"/api/v1/statement-records/{record.pk}/match/", {"line": line.pk},
                                        format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["line"] == line.pk and response.json()["manual"] is True


def test_the_api_sets_a_record_aside_as_not_ours(api_client_for, bob, cpas_a):
    record = _stranger_record(bob, cpas_a)
    response = api_client_for(bob).post(f"/api/v1/statement-records/{record.pk}/not-ours/",
                                        {"note": "Another CPAS's person"}, format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["note"]) == ("not_ours", "Another CPAS's person")


@pytest.mark.parametrize("action", ["match", "not-ours"])
def test_another_cpas_gets_404_on_manual_matching(api_client_for, bob, finance_b, cpas_a, sent_claim, action):
    record = _stranger_record(bob, cpas_a)
    line = sent_claim.lines.first()
    response = api_client_for(finance_b).post(f"/api/v1/statement-records/{record.pk}/{action}/",
                                            {"line": line.pk, "note": ""}, format="json")
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.state == "unmatched"


@pytest.mark.parametrize("action", ["match", "not-ours"])
@pytest.mark.parametrize("role", ["auditor_a", "alice"])
def test_a_read_only_role_gets_403_on_manual_matching(request, api_client_for, bob, cpas_a, sent_claim, action,
                                                      role):
    record = _stranger_record(bob, cpas_a)
    line = sent_claim.lines.first()
    response = api_client_for(request.getfixturevalue(role)).post(
        f"/api/v1/statement-records/{record.pk}/{action}/", {"line": line.pk, "note": ""}, format="json")
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.state == "unmatched"


def test_a_job_with_nothing_to_claim_says_so_in_the_api_and_on_its_page(
        api_client_for, client_for, bob, cpas_a, fake_source, generate, django_capture_on_commit_callbacks):
    fake_source.items.clear()
    api = api_client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/claim-jobs/", {"measure": "art60", "period_kind": "month", "year": 2026,
                                                    "number": 3}, format="json")
    assert response.status_code == 202
    job = api.get(f"/api/v1/claim-jobs/{response.json()['id']}/").json()
    assert (job["status"], job["queue_state"], job["claim"]) == ("empty", "empty", None)
    # Its reason: no item at all (not "already claimed", the other way a job ends empty).
    assert job["reason"] and "déjà demandés" not in job["reason"]
    page = client_for(bob).get(f"/claims/jobs/{job['id']}/").content.decode()
    assert f'id="job-{job["id"]}-empty"' in page and job["reason"].split(":")[0] in page
    assert 'data-job-status="empty"' in page


def test_a_second_job_for_a_claimed_period_is_empty_with_its_reason(api_client_for, bob, cpas_a, fake_source,
                                                                    generate):
    generate(bob, cpas_a)
    second = generate(bob, cpas_a)
    assert second.status == "empty" and second.claim is None
    job = api_client_for(bob).get(f"/api/v1/claim-jobs/{second.pk}/").json()
    assert job["status"] == "empty" and "déjà demandés" in job["reason"]
    assert GenerationJob.objects.filter(status="done").count() == 1
