"""The person's file: one page with identity, rights over time, every measure's section with status and amounts,
a timeline, case notes and documents; its cost in queries does not grow with the person's history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from cpas_portal import services
from cpas_portal.models import ConsultationLog
from tests.conventions.factories import employment_office, make_convention, partner
from tests.factories import RightDecisionFactory
from tests.measures.factories import placement

from .conftest import PDF

pytestmark = pytest.mark.django_db


def add_history(user, person, years, first_year=2014):
    """``years`` more years of history: a decision, a placement with its subsidies, a convention, a note and a
    document per year."""
    forem = employment_office(person.cpas, name=f"Forem {first_year}")
    for year in range(first_year, first_year + years):
        RightDecisionFactory(beneficiary=person, cpas=person.cpas, start=date(year, 1, 1), end=date(year, 12, 31),
                             category=1 + year % 3)
        placement(user, cpas=person.cpas, beneficiary=person, start=date(year, 2, 1), planned_end=date(year, 7, 31))
        make_convention(user=user, beneficiary=person, partners=[partner(forem)],
                        conclusion_date=date(year, 9, 1), planned_hours=60)
        services.case_note_create(acting_user=user, beneficiary=person, day=date(year, 10, 1), text=f"Year {year}")
        services.document_upload(acting_user=user, beneficiary=person, kind="payslip",
                                 upload=SimpleUploadedFile("p.pdf", PDF))


@pytest.fixture
def person(cpas_a, alice):
    from tests.factories import BeneficiaryFactory

    return BeneficiaryFactory(cpas=cpas_a, referent=alice, last_name="Dubois", first_name="Amélie",
                              right_start=date(2024, 1, 1))


def test_the_file_shows_rights_sections_timeline_notes_documents_and_buttons(client_for, alice, person):
    add_history(alice, person, 2, first_year=2020)
    response = client_for(alice).get(reverse("beneficiary_detail", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    keys = [section.key for section in response.context["sections"]]
    assert {"conventions", "measures", "claims", "piis", "interventions"} <= set(keys)
    for section in response.context["sections"]:
        assert escape(str(section.title)) in page
    assert all(f'id="{anchor}"' in page for anchor in ("rights", "notes", "documents", "timeline"))
    assert "Year 2021" in page and "01/01/2021" in page
    assert f"{reverse('convention_create')}?beneficiary={person.pk}" in page
    assert f"{reverse('placement_create')}?beneficiary={person.pk}" in page
    days = [event.day for event in response.context["timeline"]]
    assert days == sorted(days, reverse=True) and date(2020, 2, 1) in days and date(2021, 9, 1) in days
    measures = next(section for section in response.context["sections"] if section.key == "measures")
    placements = measures.context["placements"]
    assert all(p.subsidy_total > Decimal("0") for p in placements)
    assert ConsultationLog.objects.filter(kind="person_page", beneficiary=person).count() == 1


def test_the_prefilled_forms_open_on_the_person(client_for, alice, person):
    client = client_for(alice)
    convention = client.get(f"{reverse('convention_create')}?beneficiary={person.pk}")
    assert convention.context["form"]["beneficiary"].value() == str(person.pk)
    placement_form = client.get(f"{reverse('placement_create')}?beneficiary={person.pk}")
    assert str(placement_form.context["form"]["beneficiary"].value()) == str(person.pk)


def test_an_auditor_sees_no_start_buttons(client_for, auditor_a, person):
    page = client_for(auditor_a).get(reverse("beneficiary_detail", args=[person.pk])).content.decode()
    assert "?beneficiary=" not in page


def count_queries(client, person):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("beneficiary_detail", args=[person.pk])).status_code == 200
    return len(queries)


def test_the_query_count_of_the_file_does_not_grow_with_the_history(client_for, alice, person):
    client = client_for(alice)
    add_history(alice, person, 1)
    short = count_queries(client, person)
    add_history(alice, person, 4, first_year=2016)
    # session, user, membership+cpas, the person (with today's right), consultation log insert, its history,
    # rights, notes, documents, conventions (1), placements (1), firm employments (1), claims (1), and the
    # membership read once for the sections' buttons; PIIS with their evaluations (2), interventions (2).
    assert count_queries(client, person) == short
    assert short <= 20


def test_every_new_url_of_another_cpas_is_a_404(client_for, api_client_for, alice, charlie, person, beneficiary_b):
    decision = person.right_decisions.get()
    note = services.case_note_create(acting_user=alice, beneficiary=person, day=date(2026, 1, 5), text="x")
    document = services.document_upload(acting_user=alice, beneficiary=person, kind="other",
                                        upload=SimpleUploadedFile("p.pdf", PDF))
    client, api = client_for(charlie), api_client_for(charlie)
    pages = [
        reverse("beneficiary_detail", args=[person.pk]),
        reverse("right_decision_create", args=[person.pk]),
        reverse("right_decision_edit", args=[person.pk, decision.pk]),
        reverse("right_decision_edit", args=[beneficiary_b.pk, decision.pk]),
        reverse("case_note_create", args=[person.pk]),
        reverse("case_note_edit", args=[person.pk, note.pk]),
        reverse("case_note_edit", args=[beneficiary_b.pk, note.pk]),
        reverse("document_upload", args=[person.pk]),
        reverse("document_download", args=[person.pk, document.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (404, 405), url
    base = f"/api/v1/beneficiaries/{person.pk}"
    endpoints = [f"{base}/rights/", f"{base}/rights/{decision.pk}/", f"{base}/notes/", f"{base}/notes/{note.pk}/",
                 f"{base}/documents/", f"{base}/documents/{document.pk}/", f"{base}/documents/{document.pk}/download/",
                 f"/api/v1/beneficiaries/{beneficiary_b.pk}/rights/{decision.pk}/",
                 f"/api/v1/beneficiaries/{beneficiary_b.pk}/notes/{note.pk}/"]
    for url in endpoints:
        assert api.get(url).status_code == 404, url
    assert api.post(f"{base}/rights/", {"right_type": "ris", "category": 1, "start": "2030-01-01"},
                    format="json").status_code == 404
    assert api.patch(f"{base}/rights/{decision.pk}/", {"end": "2030-01-01"}, format="json").status_code == 404
    assert api.post(f"{base}/notes/", {"day": "2026-01-01", "text": "y"}, format="json").status_code == 404
    decision.refresh_from_db()
    assert decision.end is None and person.case_notes.count() == 1


@pytest.mark.parametrize("kind", ["rights", "notes", "documents"])
def test_the_file_endpoints_cost_the_same_for_a_short_and_a_long_history(api_client_for, alice, person, kind):
    api = api_client_for(alice)
    url = f"/api/v1/beneficiaries/{person.pk}/{kind}/"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    add_history(alice, person, 1)
    short = queries()
    add_history(alice, person, 3, first_year=2016)
    # membership+cpas (tenancy), the person, count, page rows (their author or uploader joined).
    assert queries() == short <= 5
