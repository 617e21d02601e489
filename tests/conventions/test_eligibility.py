"""Eligibility from what the application records (DOMAIN.md §5), through the pages and the API."""

from datetime import date

import pytest
from django.urls import reverse

from conventions.models import Convention
from measures import services as measures
from tests.factories import BeneficiaryFactory, OrganisationFactory
from tests.measures.factories import placement, private_firm

from .factories import FULL_PLAN, make_convention, partner

pytestmark = pytest.mark.django_db

CONCLUSION = date(2024, 3, 1)


@pytest.fixture
def without_right(cpas_a):
    """No integration income nor equivalent aid on the conclusion date (right ended in 2023)."""
    return BeneficiaryFactory(cpas=cpas_a, right_start=date(2020, 1, 1), right_end=date(2023, 12, 31))


def approved_placement(user, cpas, beneficiary, **fields):
    recorded = placement(user, cpas=cpas, beneficiary=beneficiary, start=date(2023, 10, 1), **fields)
    return measures.placement_approve(acting_user=user, placement=recorded)


def api_payload(beneficiary, *partners):
    # No declaration is sent: neither insertion_measure_end nor in_private_employment_measure.
    return {"beneficiary": beneficiary.pk, "conclusion_date": CONCLUSION.isoformat(), "planned_hours": 100,
            "methodology": "job_coaching", **FULL_PLAN, "partners": list(partners)}


def page_data(beneficiary, organisation, conclusion=CONCLUSION):
    return {
        "beneficiary": beneficiary.pk, "conclusion_date": conclusion.strftime("%d/%m/%Y"), "planned_hours": "100",
        "methodology": "both", "plan_assessment": "on", "plan_job_offers": "on", "plan_application_techniques": "on",
        "plan_work_attitudes": "on", "plan_prospection": "on",
        "partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0", "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "6", "partners-0-partner": str(organisation.pk), "partners-0-share": "100",
    }


def test_a_recorded_private_firm_placement_refuses_the_convention(client_for, api_client_for, alice, cpas_a,
                                                                  beneficiary_a, forem):
    # beneficiary_a has the integration income: the recorded placement refuses all the same.
    approved_placement(alice, cpas_a, beneficiary_a, workplace="private_firm", organisation=private_firm(cpas_a),
                       planned_end=date(2024, 3, 31), trial=True)
    page = client_for(alice).post(reverse("convention_create"), page_data(beneficiary_a, forem))
    assert page.status_code == 400
    assert "2023-10-01" in page.content.decode() and "2024-03-31" in page.content.decode()  # the recorded placement
    api = api_client_for(alice).post("/api/v1/conventions/", api_payload(
        beneficiary_a, {"organisation": forem.pk, "share": "100"}), format="json")
    assert api.status_code == 400 and "in_private_employment_measure" in api.json()
    assert not Convention.objects.exists()


def test_a_recorded_insertion_measure_ending_within_three_months_accepts(client_for, api_client_for, alice,
                                                                         cpas_a, without_right, forem):
    page = client_for(alice).post(reverse("convention_create"), page_data(without_right, forem))
    assert page.status_code == 400  # nothing recorded, nothing declared
    approved_placement(alice, cpas_a, without_right, planned_end=date(2024, 5, 31))
    page = client_for(alice).post(reverse("convention_create"), page_data(without_right, forem))
    assert page.status_code == 302
    api = api_client_for(alice).post("/api/v1/conventions/", api_payload(
        without_right, {"organisation": forem.pk, "share": "100"}), format="json")
    assert api.status_code == 201, api.json()
    signed = api_client_for(alice).post(f"/api/v1/conventions/{api.json()['id']}/sign/")
    assert signed.status_code == 200
    eligibility = next(line for line in Convention.objects.get(pk=api.json()["id"]).explanation["parameters"]
                       if line["name"] == "eligibility")
    assert eligibility["value"] == "recorded_insertion_measure" and eligibility["recorded"]


def test_a_declaration_never_overrides_the_recorded_end(api_client_for, alice, cpas_a, without_right, forem):
    approved_placement(alice, cpas_a, without_right, planned_end=date(2024, 12, 31))
    response = api_client_for(alice).post("/api/v1/conventions/", {
        **api_payload(without_right, {"organisation": forem.pk, "share": "100"}),
        "insertion_measure_end": "2024-04-30"}, format="json")
    assert response.status_code == 400 and "insertion_measure_end" in response.json()


def test_a_draft_or_cancelled_placement_is_not_a_recorded_measure(alice, cpas_a, without_right, forem):
    placement(alice, cpas=cpas_a, beneficiary=without_right, start=date(2023, 10, 1), planned_end=date(2024, 5, 31))
    with pytest.raises(Exception, match="insertion"):
        make_convention(user=alice, beneficiary=without_right, partners=[partner(forem)])


def test_2004_partners_must_be_approved_by_the_regional_employment_service(client_for, api_client_for, alice,
                                                                           beneficiary_a, cpas_a, forem):
    beneficiary_a.right_decisions.update(start=date(2004, 1, 1))
    asbl = OrganisationFactory(cpas=cpas_a, name="Coaching asbl", kind="coaching_partner")
    payload = {**api_payload(beneficiary_a, {"organisation": asbl.pk, "share": "100"}), "conclusion_date": "2010-03-01"}
    refused = api_client_for(alice).post("/api/v1/conventions/", payload, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["partners"]
    page = client_for(alice).post(reverse("convention_create"), page_data(beneficiary_a, asbl, date(2010, 3, 1)))
    assert page.status_code == 400
    # The employment service itself, or a partner it approved, is accepted.
    assert api_client_for(alice).post("/api/v1/conventions/", {
        **payload, "partners": [{"organisation": forem.pk, "share": "100"}]}, format="json").status_code == 201
    asbl.approved_by_employment_service = True
    asbl.save()
    assert api_client_for(alice).post("/api/v1/conventions/", payload, format="json").status_code == 201
    # From the 2012 decree an unapproved partner is fine.
    asbl.approved_by_employment_service = False
    asbl.save()
    assert api_client_for(alice).post("/api/v1/conventions/", {**payload, "conclusion_date": "2012-11-04"},
                                      format="json").status_code == 201
