"""Beneficiaries API: list, filter, search, create, retrieve, update; tokens; 400 with field errors."""

import pytest

from cpas_portal.models import Beneficiary
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

NEW = {
    "niss": "85.07.30-033.28", "first_name": "Julien", "last_name": "Renard", "birth_date": "1985-07-30",
    "sex": "M", "language": "fr", "right_type": "ris", "category": 2, "right_start": "2025-01-01",
}


def test_create_then_retrieve_shows_the_compact_number(api_client_for, alice, cpas_a):
    api = api_client_for(alice)
    created = api.post("/api/v1/beneficiaries/", NEW, format="json")
    assert created.status_code == 201, created.json()
    body = api.get(f"/api/v1/beneficiaries/{created.json()['id']}/").json()
    assert body["niss"] == "85073003328" and body["niss_masked"] == "85.07.30-***.**"
    assert Beneficiary.objects.get(cpas=cpas_a).history.get().history_user == alice


def test_list_masks_the_number_and_filters(api_client_for, alice, cpas_a):
    BeneficiaryFactory(cpas=cpas_a, last_name="Lambert", category=1)
    BeneficiaryFactory(cpas=cpas_a, last_name="Mertens", category=3, right_type="equivalent_aid")
    api = api_client_for(alice)
    rows = api.get("/api/v1/beneficiaries/").json()["results"]
    assert all("niss" not in row and row["niss_masked"].endswith("-***.**") for row in rows)
    assert [r["last_name"] for r in api.get("/api/v1/beneficiaries/?category=3").json()["results"]] == ["Mertens"]
    assert [r["last_name"] for r in api.get("/api/v1/beneficiaries/?search=lamb").json()["results"]] == ["Lambert"]
    equivalent = api.get("/api/v1/beneficiaries/?right_type=equivalent_aid").json()["results"]
    assert [r["last_name"] for r in equivalent] == ["Mertens"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"niss": "85073003329"}, "niss"),
        ({"niss": "123"}, "niss"),
        ({"category": 4}, "category"),
        ({"birth_date": "30/02/1985"}, "birth_date"),
        ({"right_end": "2024-01-01"}, "right_end"),
        ({"postal_code": "50"}, "postal_code"),
        ({"sex": "Q"}, "sex"),
    ],
)
def test_bad_input_is_a_400_with_the_field(api_client_for, alice, change, field):
    response = api_client_for(alice).post("/api/v1/beneficiaries/", {**NEW, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Beneficiary.objects.exists()


def test_a_duplicate_number_is_a_400_on_niss(api_client_for, alice, beneficiary_a):
    response = api_client_for(alice).post("/api/v1/beneficiaries/", {**NEW, "niss": beneficiary_a.niss}, format="json")
    assert response.status_code == 400 and "niss" in response.json()


def test_garbage_bodies_are_400_not_500(api_client_for, alice):
    api = api_client_for(alice)
    assert api.post("/api/v1/beneficiaries/", "not json", content_type="application/json").status_code == 400
    assert api.post("/api/v1/beneficiaries/", [1, 2], format="json").status_code == 400


def test_update_records_the_author(api_client_for, alice, beneficiary_a):
    response = api_client_for(alice).patch(
        f"/api/v1/beneficiaries/{beneficiary_a.pk}/", {"city": "Jambes"}, format="json"
    )
    assert response.status_code == 200 and response.json()["city"] == "Jambes"
    assert beneficiary_a.history.first().history_user == alice


def test_token_authentication(client, alice, beneficiary_a):
    from rest_framework.test import APIClient

    issued = client.post("/api/v1/auth/token/", {"username": "alice", "password": "secret-pass-2026"}).json()
    token = issued["token"]
    assert issued["expiry"]
    api = APIClient()
    assert api.get("/api/v1/beneficiaries/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/beneficiaries/").json()["count"] == 1
    created = api.post("/api/v1/beneficiaries/", NEW, format="json")
    assert created.status_code == 201
    assert Beneficiary.objects.get(pk=created.json()["id"]).history.get().history_user == alice


def test_a_wrong_password_gets_no_token(client, alice):
    assert client.post("/api/v1/auth/token/", {"username": "alice", "password": "nope"}).status_code == 400


def test_schema_and_docs(client, alice):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/beneficiaries/" in schema["paths"] and "/api/v1/auth/token/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/beneficiaries/"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/beneficiaries/" in (tmp_path / "schema.yml").read_text()
