import pytest

from reimbursements.models import GenerationJob

from .factories import fake_item


@pytest.mark.django_db
def test_the_api_serves_claims_lines_and_the_pdf(api_client_for, bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    api = api_client_for(bob)
    listing = api.get("/api/v1/claims/").json()
    assert [item["reference"] for item in listing["results"]] == [claim.reference]
    detail = api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert detail["total"] == "2316.07" and detail["status"] == "draft"
    lines = api.get(f"/api/v1/claims/{claim.pk}/lines/").json()
    assert lines["count"] == 3
    first = lines["results"][0]
    assert first["niss_masked"] == "90.05.17-***.**" and "niss" not in first
    assert first["amount"] == "1811.57"
    assert lines["results"][2]["signed_amount"] == "-120.50"
    pdf = api.get(f"/api/v1/claims/{claim.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_the_api_asks_for_a_claim_and_reports_the_job(api_client_for, bob, fake_source,
                                                      django_capture_on_commit_callbacks):
    api = api_client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/claim-jobs/", {"measure": "art60", "period_kind": "month", "year": 2026,
                                                    "number": 3}, format="json")
    assert response.status_code == 202
    job = api.get(f"/api/v1/claim-jobs/{response.json()['id']}/").json()
    assert job["status"] == "done" and job["percent"] == 100 and job["claim"]


@pytest.mark.django_db
def test_the_api_refuses_a_wrong_request_with_field_errors(api_client_for, bob):
    response = api_client_for(bob).post("/api/v1/claim-jobs/", {"measure": "nope", "period_kind": "month",
                                                                "year": 2026, "number": 3}, format="json")
    assert response.status_code == 400 and "measure" in response.json()


@pytest.mark.django_db
def test_the_api_sign_off(api_client_for, bob, director_a, president_a, alice, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    assert api_client_for(bob).post(f"/api/v1/claims/{claim.pk}/review/").json()["status"] == "reviewed"
    assert api_client_for(alice).post(f"/api/v1/claims/{claim.pk}/sign/", {"capacity": "secretary"}).status_code == 403
    assert api_client_for(bob).post(f"/api/v1/claims/{claim.pk}/sign/", {"capacity": "secretary"}).status_code == 403
    director = api_client_for(director_a)
    assert director.post(f"/api/v1/claims/{claim.pk}/sign/", {"capacity": "secretary"}).status_code == 200
    twice = director.post(f"/api/v1/claims/{claim.pk}/sign/", {"capacity": "president"})
    assert twice.status_code == 400 and "capacity" in twice.json()
    assert api_client_for(bob).post(f"/api/v1/claims/{claim.pk}/send/").status_code == 400
    signed = api_client_for(president_a).post(f"/api/v1/claims/{claim.pk}/sign/", {"capacity": "president"}).json()
    assert signed["status"] == "signed" and len(signed["signatures"]) == 2
    assert api_client_for(bob).post(f"/api/v1/claims/{claim.pk}/send/").json()["status"] == "sent"


@pytest.mark.django_db
def test_charlie_gets_404_on_the_api_objects_of_cpas_a(api_client_for, charlie, bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    job = GenerationJob.objects.get()
    api = api_client_for(charlie)
    for url in (f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/lines/", f"/api/v1/claims/{claim.pk}/pdf/",
                f"/api/v1/claim-jobs/{job.pk}/"):
        assert api.get(url).status_code == 404, url
    assert api.get("/api/v1/claims/").json()["count"] == 0
    assert api.get("/api/v1/claims/abc/").status_code == 404


@pytest.mark.django_db
def test_the_auditor_reads_the_api_but_may_not_write(api_client_for, auditor_a, bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    api = api_client_for(auditor_a)
    assert api.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    assert api.post(f"/api/v1/claims/{claim.pk}/review/").status_code == 403
    assert api.post("/api/v1/claim-jobs/", {}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_the_api_lines_query_count_does_not_grow(api_client_for, bob, cpas_a, fake_source, generate, count,
                                                 django_assert_num_queries):
    fake_source.items[:] = [fake_item(index) for index in range(1, count + 1)]
    claim = generate(bob, cpas_a).claim
    api = api_client_for(bob)
    # membership (+CPAS), claim (+CPAS, supersedes, generated_by), signatures, count of lines, page of lines
    with django_assert_num_queries(5):
        response = api.get(f"/api/v1/claims/{claim.pk}/lines/")
    assert response.json()["count"] == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_the_api_claim_list_query_count_does_not_grow(api_client_for, bob, cpas_a, count, django_assert_num_queries):
    from .test_pages import _claims

    _claims(cpas_a, bob, count)
    api = api_client_for(bob)
    # membership (+CPAS), count of claims, page of claims (+CPAS), their signatures
    with django_assert_num_queries(4):
        response = api.get("/api/v1/claims/")
    assert response.json()["count"] == count
