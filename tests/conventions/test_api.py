"""The conventions API: the same operations as the pages, 400 with field errors, Decimal as strings."""

from decimal import Decimal

import pytest

from conventions.models import Convention, PaymentKind

from .factories import FULL_PLAN, make_convention, partner

pytestmark = pytest.mark.django_db
D = Decimal


def payload(beneficiary, *partners, **overrides):
    return {"beneficiary": beneficiary.pk, "conclusion_date": "2024-03-01", "planned_hours": 100,
            "methodology": "job_coaching", **FULL_PLAN, "partners": list(partners), **overrides}


def test_the_life_of_a_convention_through_the_api(api_client_for, alice, bob, beneficiary_a, forem, jobin):
    api = api_client_for(alice)
    created = api.post("/api/v1/conventions/", payload(
        beneficiary_a, {"organisation": forem.pk, "share": "60"}, {"organisation": jobin.pk, "share": "40"}),
        format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    signed = api.post(f"/api/v1/conventions/{pk}/sign/")
    assert signed.status_code == 200
    body = signed.json()
    assert (body["agreed_amount"], body["advance_amount"], body["rule_version"], body["form_b_tier"]) == (
        "500.00", "250.00", "v2012", 2)
    assert {line["name"] for line in body["how_computed"]} >= {"rule_version", "tier_2_amount", "advance_rate"}
    assert api.post(f"/api/v1/conventions/{pk}/sign/").json() == {"status": ["Cette convention est déjà signée."]}
    forem_row = next(row for row in body["partners"] if row["organisation"] == forem.pk)
    hours = api.post(f"/api/v1/conventions/{pk}/hours/", {"partner": forem_row["id"], "day": "2024-03-04",
                                                         "hours": "12.5"}, format="json")
    assert hours.status_code == 201 and hours.json()["hours"] == "12.50"
    assert len(api.get(f"/api/v1/conventions/{pk}/hours/").json()) == 1
    assert api.get(f"/api/v1/conventions/{pk}/").json()["hours_done"] == "12.50"
    closed = api.post(f"/api/v1/conventions/{pk}/close/", {"outcome": "employed_early", "end_date": "2024-05-02"},
                      format="json")
    assert closed.status_code == 200 and closed.json()["balance_amount"] == "250.00"

    finance = api_client_for(bob)
    too_much = finance.post(f"/api/v1/conventions/{pk}/claims/", {
        "partner": forem_row["id"], "received_date": "2024-05-10", "reference": "F-1", "amount_claimed": "150.01"},
        format="json")
    assert too_much.status_code == 400 and "amount_claimed" in too_much.json()
    claim = finance.post(f"/api/v1/conventions/{pk}/claims/", {
        "partner": forem_row["id"], "received_date": "2024-05-10", "reference": "F-1", "amount_claimed": "150.00"},
        format="json")
    assert claim.status_code == 201
    payments = finance.get("/api/v1/conventions/payments/", {"convention": pk, "status": "due"}).json()["results"]
    balance = next(row for row in payments if row["kind"] == "balance")
    assert (balance["amount"], balance["partner_name"], balance["kept_by_cpas"]) == ("150.00", "Forem", False)
    paid = finance.post(f"/api/v1/conventions/payments/{balance['id']}/pay/",
                        {"paid_date": "2024-05-20", "reference": "VIR-17"}, format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert Convention.objects.get().payments.get(kind=PaymentKind.BALANCE, partner__organisation=forem).paid_date


def test_bad_input_is_a_400_with_field_errors(api_client_for, alice, beneficiary_a, forem):
    api = api_client_for(alice)
    response = api.post("/api/v1/conventions/", payload(beneficiary_a, {"is_cpas": True, "share": "100"},
                                                        planned_hours=49), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"planned_hours", "partners"}
    missing = api.post("/api/v1/conventions/", {"planned_hours": "x"}, format="json")
    assert missing.status_code == 400 and {"beneficiary", "conclusion_date", "planned_hours"} <= set(missing.json())
    draft = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)])
    close = api.post(f"/api/v1/conventions/{draft.pk}/close/", {"outcome": "stopped", "end_date": "2024-04-01"},
                     format="json")
    assert close.status_code == 400 and "signez-la d'abord" in close.json()["status"][0]


def test_roles_in_the_api(api_client_for, alice, bob, auditor_a, beneficiary_a, forem):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)], sign=True)
    advance = convention.payments.get()
    assert api_client_for(auditor_a).get(f"/api/v1/conventions/{convention.pk}/").status_code == 200
    assert api_client_for(auditor_a).post(f"/api/v1/conventions/{convention.pk}/close/", {}).status_code == 403
    assert api_client_for(bob).post(f"/api/v1/conventions/{convention.pk}/close/", {}).status_code == 403
    assert api_client_for(alice).post(f"/api/v1/conventions/payments/{advance.pk}/pay/", {}).status_code == 403
    assert api_client_for(alice).post(f"/api/v1/conventions/{convention.pk}/claims/", {}).status_code == 403


def test_the_schema_documents_the_actions(api_client_for, alice):
    schema = api_client_for(alice).get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/conventions/", "/api/v1/conventions/{id}/sign/", "/api/v1/conventions/{id}/close/",
                 "/api/v1/conventions/{id}/hours/", "/api/v1/conventions/{id}/claims/",
                 "/api/v1/conventions/payments/", "/api/v1/conventions/payments/{id}/pay/"):
        assert path in schema["paths"], path
    close = schema["paths"]["/api/v1/conventions/{id}/close/"]["post"]
    assert "ConventionClose" in str(close["requestBody"])
