from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reimbursements.models import Claim, GenerationJob, StatementImport, StatementJob

from .factories import fake_item

SAMPLE = Path(__file__).parent / "data" / "statement_92094_2026_04.txt"


@pytest.mark.django_db
def test_the_claim_list_shows_the_claims_and_the_new_claim_button(client_for, bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    response = client_for(bob).get("/claims/")
    assert response.status_code == 200
    content = response.content.decode()
    assert claim.reference in content and "/claims/new/" in content
    assert "2.316,07 €" in content


@pytest.mark.django_db
def test_the_new_claim_form_starts_the_job_and_shows_its_progress(client_for, bob, fake_source,
                                                                  django_capture_on_commit_callbacks):
    client = client_for(bob)
    assert client.get("/claims/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/new/", {"measure": "art60", "period_kind": "month", "year": 2026,
                                                "number": 3})
    job = GenerationJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/jobs/{job.pk}/"
    page = client.get(f"/claims/jobs/{job.pk}/")
    assert b'value="100"' in page.content and f"/claims/{job.claim_id}/".encode() in page.content
    partial = client.get(f"/claims/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"100 %" in partial.content


@pytest.mark.django_db
def test_an_active_job_polls_its_progress(client_for, bob, cpas_a):
    job = GenerationJob.objects.create(cpas=cpas_a, measure="art60", period_kind="month", period_start="2026-03-01",
                                       period_end="2026-03-31", status="running", percent=30, requested_by=bob)
    partial = client_for(bob).get(f"/claims/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'value="30"' in partial


@pytest.mark.django_db
def test_the_new_claim_form_redisplays_errors_per_field(client_for, bob, fake_source):
    response = client_for(bob).post("/claims/new/", {"measure": "art60", "period_kind": "quarter", "year": 2026,
                                                     "number": 7})
    assert response.status_code == 400
    assert response.context["form"].errors["number"]
    assert b'value="2026"' in response.content
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_a_caseworker_and_an_auditor_may_not_ask_for_a_claim(client_for, alice, auditor_a):
    for user in (alice, auditor_a):
        client = client_for(user)
        assert client.get("/claims/new/").status_code == 403
        assert client.post("/claims/new/", {"measure": "art60", "period_kind": "month", "year": 2026,
                                            "number": 3}).status_code == 403


@pytest.mark.django_db
def test_the_claim_page_walks_through_sign_off(client_for, bob, director_a, president_a, cpas_a, fake_source,
                                               generate, django_capture_on_commit_callbacks):
    claim = generate(bob, cpas_a).claim
    finance = client_for(bob)
    page = finance.get(f"/claims/{claim.pk}/").content.decode()
    assert "Amélie Dubois" in page and "90.05.17-***.**" in page and "90.05.17-002.55" not in page
    assert 'value="review"' in page and 'value="sign-secretary"' not in page
    assert finance.post(f"/claims/{claim.pk}/review/").status_code == 302
    assert finance.post(f"/claims/{claim.pk}/sign/", {"capacity": "secretary"}).status_code == 403

    director = client_for(director_a)
    assert 'value="sign-secretary"' in director.get(f"/claims/{claim.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        director.post(f"/claims/{claim.pk}/sign/", {"capacity": "secretary"})
    after = director.get(f"/claims/{claim.pk}/").content.decode()
    assert 'value="sign-president"' not in after and 'value="sign-secretary"' not in after
    again = director.post(f"/claims/{claim.pk}/sign/", {"capacity": "president"}, follow=True)
    assert "la seconde signature" in again.content.decode()
    president_page = client_for(president_a).get(f"/claims/{claim.pk}/").content.decode()
    assert 'value="sign-president"' in president_page and 'value="sign-secretary"' not in president_page
    with django_capture_on_commit_callbacks(execute=True):
        client_for(president_a).post(f"/claims/{claim.pk}/sign/", {"capacity": "president"})
    assert client_for(bob).post(f"/claims/{claim.pk}/send/").status_code == 302
    claim.refresh_from_db()
    assert claim.status == "sent"
    page = client_for(bob).get(f"/claims/{claim.pk}/").content.decode()
    assert "Diane Leroy" in page and "Paul Moreau" in page and 'value="correct"' in page


@pytest.mark.django_db
def test_the_pdf_download(client_for, bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    response = client_for(bob).get(f"/claims/{claim.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["ETag"] == f'"{claim.document.sha256}"'


@pytest.mark.django_db
def test_the_reconciliation_upload_and_results(client_for, bob, sent_claim, django_capture_on_commit_callbacks):
    client = client_for(bob)
    page = client.get("/claims/statements/").content.decode()
    assert "<code>amount_cents</code>" in page and "73–80" in page  # the Primabook layout, TXT columns
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/statements/", {"file": upload})
    job = StatementJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/statements/imports/{job.pk}/"
    # The job ran (in-process here); polled by HTMX, its page sends the browser to the statement.
    polled = client.get(response["Location"], headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == f"/claims/statements/{job.statement_id}/"
    response = client.get(polled["HX-Redirect"])
    content = response.content.decode()
    assert response.status_code == 200
    assert sent_claim.reference in content
    assert content.count("record-matched") == 1
    assert content.count("record-differs") == 1
    assert content.count("record-unmatched") == 1
    assert "-25,00 €" in content


@pytest.mark.django_db
def test_a_wrong_statement_is_refused_with_a_message(client_for, bob, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("bad.txt", b"not a statement", content_type="text/plain")
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/statements/", {"file": upload})
    response = client.get(response["Location"])
    # The job refused the file: its page gives the line and field at fault, under the file field.
    job = StatementJob.objects.get()
    assert job.status == "failed" and job.file_errors and job.statement is None
    assert "1" in job.file_errors[0]  # the line at fault, in the uploader's language
    assert job.file_errors[0] in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")


@pytest.mark.django_db
def test_an_empty_upload_is_refused_at_once(client_for, bob):
    upload = SimpleUploadedFile("empty.txt", b"   \n", content_type="text/plain")
    response = client_for(bob).post("/claims/statements/", {"file": upload})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert not StatementJob.objects.exists()


@pytest.mark.django_db
def test_the_deadlines_page_lists_unsent_claims_and_unclaimed_items(client_for, bob, cpas_a, fake_source, generate):
    from datetime import date

    generate(bob, cpas_a)
    fake_source.items.append(fake_item(8, start=date(2026, 2, 1), end=date(2026, 2, 28), name="Late Item"))
    content = client_for(bob).get("/claims/deadlines/").content.decode()
    assert "92094-ART60-2026-03-1v1" in content
    # No beneficiary records an equivalent aid for it: the law of 2002's form B, 8 days after February.
    assert "08/03/2026" in content
    assert "1.811,57 €" in content


# Tenancy -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_charlie_gets_404_on_every_claim_page_of_cpas_a(client_for, charlie, bob, sent_claim):
    from reimbursements import services

    services.statement_import(acting_user=bob, cpas=sent_claim.cpas, file_name="s.txt", content=SAMPLE.read_bytes())
    statement = StatementImport.objects.get()
    job = GenerationJob.objects.get()
    client = client_for(charlie)
    for url in (f"/claims/{sent_claim.pk}/", f"/claims/{sent_claim.pk}/pdf/", f"/claims/{sent_claim.pk}/lines.csv",
                f"/claims/{sent_claim.pk}/lines.xlsx", f"/claims/jobs/{job.pk}/",
                f"/claims/statements/{statement.pk}/"):
        assert client.get(url).status_code == 404, url
    for action in ("review", "sign", "send", "reject", "cancel", "correct"):
        assert client.post(f"/claims/{sent_claim.pk}/{action}/", {"capacity": "secretary"}).status_code in (403, 404)
    assert sent_claim.reference not in client.get("/claims/").content.decode()
    assert sent_claim.reference.encode() not in client.get("/claims/export.csv").content


@pytest.mark.django_db
def test_the_auditor_reads_but_may_not_act(client_for, auditor_a, sent_claim):
    client = client_for(auditor_a)
    assert client.get(f"/claims/{sent_claim.pk}/").status_code == 200
    assert client.post(f"/claims/{sent_claim.pk}/correct/").status_code == 403
    assert client.post("/claims/statements/", {}).status_code == 403


# Query counts ------------------------------------------------------------------------------

def _claims(cpas, user, count):
    from django.utils import timezone

    return Claim.objects.bulk_create([
        Claim(cpas=cpas, measure="art60", period_kind="month", period_start=f"2026-{1 + index % 12:02d}-01",
              period_end=f"2026-{1 + index % 12:02d}-28", sequence=1 + index // 12, legal_basis="x",
              generated_at=timezone.now(), generated_by=user)
        for index in range(count)
    ])


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_the_claim_list_query_count_does_not_grow(client_for, bob, cpas_a, count, django_assert_num_queries):
    _claims(cpas_a, bob, count)
    client = client_for(bob)
    # session, user, membership (+CPAS), count of claims, page of claims, active jobs, then the
    # deadline warnings: the claims not yet sent, their lines' legislations (none here: the claims
    # have no lines)
    with django_assert_num_queries(8):
        response = client.get("/claims/")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_the_claim_page_query_count_does_not_grow(client_for, bob, cpas_a, fake_source, generate, count,
                                                  django_assert_num_queries):
    fake_source.items[:] = [fake_item(index) for index in range(1, count + 1)]
    claim = generate(bob, cpas_a).claim
    client = client_for(bob)
    # session, user, membership (+CPAS), claim (+CPAS, generated_by, document exists), its lines counted (all,
    # held, not confirmed), signatures, the managers who may still sign, page of lines, then the deadline of an
    # unsent claim: its lines' legislations (an unsent claim has no correction job)
    with django_assert_num_queries(9):
        response = client.get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
