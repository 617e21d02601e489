"""PIIS pages: list, create (prefilled from the person's file), edit, sign, end, record an evaluation,
the agenda, the printable contract read back with pdftotext, and the person's-file section."""

import re
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpas_portal import person_file
from cpas_portal.models import ConsultationLog
from measures.piis import pdf, services
from measures.piis.file_sections import piis_section
from measures.piis.models import Evaluation, Piis, PiisStatus
from tests.factories import BeneficiaryFactory, OrganisationFactory

from .factories import make_piis

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_status_and_by_the_people_i_follow(client_for, alice, cpas_a, beneficiary_a):
    mine = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    other = make_piis(alice, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_a))
    client = client_for(alice)
    page = client.get(reverse("piis_list")).content.decode()
    assert f'href="/piis/{mine.pk}/"' in page and f'href="/piis/{other.pk}/"' in page
    signed = client.get(reverse("piis_list"), {"status": "signed"}).content.decode()
    assert f'href="/piis/{mine.pk}/"' in signed and f'href="/piis/{other.pk}/"' not in signed
    followed = client.get(reverse("piis_list"), {"mine": "on"}).content.decode()
    assert f'href="/piis/{mine.pk}/"' in followed and f'href="/piis/{other.pk}/"' not in followed


def test_create_is_prefilled_from_the_person_and_saves(client_for, alice, cpas_a, beneficiary_a):
    forem = OrganisationFactory(cpas=cpas_a, name="Forem Namur")
    client = client_for(alice)
    form = client.get(reverse("piis_create"), {"beneficiary": beneficiary_a.pk}).content.decode()
    assert re.search(rf'value="{beneficiary_a.pk}" checked', form)
    response = client.post(reverse("piis_create"), {
        "beneficiary": beneficiary_a.pk, "kind": "socio_professional", "applied_on": "2026-01-05",
        "objectives": "Training as a cook", "third_parties": [forem.pk]})
    piis = Piis.objects.get(beneficiary=beneficiary_a)
    assert response.status_code == 302 and response.url == reverse("piis_detail", args=[piis.pk])
    assert list(piis.third_parties.all()) == [forem] and piis.created_by == alice


def test_an_invalid_form_is_shown_again_with_the_input_and_a_400(client_for, alice, beneficiary_a):
    response = client_for(alice).post(reverse("piis_create"), {
        "beneficiary": beneficiary_a.pk, "kind": "", "start": "2026-05-01", "end": "2026-04-01",
        "objectives": "Kept objectives"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kept objectives" in page and 'value="2026-05-01"' in page
    assert set(response.context["form"].errors) == {"kind", "end"}
    assert not Piis.objects.exists()


def test_sign_then_end_from_the_detail_page(client_for, alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    client = client_for(alice)
    bad = client.post(reverse("piis_sign", args=[piis.pk]), {"sign-signed_on": ""})
    assert bad.status_code == 400 and "signed_on" in bad.context["sign_form"].errors
    ok = client.post(reverse("piis_sign", args=[piis.pk]), {
        "sign-signed_on": "2026-01-28", "sign-start": "2026-02-01", "sign-end": "2027-01-31"})
    assert ok.status_code == 302
    piis.refresh_from_db()
    assert piis.status == PiisStatus.SIGNED and piis.evaluations.count() == 2
    no_outcome = client.post(reverse("piis_end", args=[piis.pk]), {"end-end": "2026-08-01", "end-outcome": ""})
    assert no_outcome.status_code == 400 and "outcome" in no_outcome.context["end_form"].errors
    client.post(reverse("piis_end", args=[piis.pk]), {"end-end": "2026-08-01", "end-outcome": "stronger_autonomy"})
    piis.refresh_from_db()
    assert (piis.status, piis.outcome) == (PiisStatus.ENDED, "stronger_autonomy")


def test_edit_answers_409_on_a_stale_version_and_keeps_the_input(client_for, alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    services.piis_update(acting_user=alice, piis=piis, objectives="Changed meanwhile")
    response = client_for(alice).post(reverse("piis_edit", args=[piis.pk]), {
        "kind": "social_participation", "objectives": "My own text", "version": "1"})
    assert response.status_code == 409 and "My own text" in response.content.decode()


def test_record_a_planned_meeting_as_held(client_for, alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    meeting = piis.evaluations.order_by("planned_on").first()
    client = client_for(alice)
    assert client.get(reverse("piis_evaluation_record", args=[meeting.pk])).status_code == 200
    bad = client.post(reverse("piis_evaluation_record", args=[meeting.pk]), {"held_on": "", "notes": "kept note"})
    assert bad.status_code == 400 and "kept note" in bad.content.decode()
    ok = client.post(reverse("piis_evaluation_record", args=[meeting.pk]), {
        "held_on": "2026-06-02", "face_to_face": "on", "notes": "Good progress", "version": "1"})
    assert ok.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.face_to_face, meeting.evaluator) == (date(2026, 6, 2), True, alice)


def test_an_auditor_reads_but_may_not_write(client_for, alice, auditor_a, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    client = client_for(auditor_a)
    assert client.get(reverse("piis_detail", args=[piis.pk])).status_code == 200
    assert client.get(reverse("piis_create")).status_code == 403
    assert client.post(reverse("piis_cancel", args=[piis.pk])).status_code == 403


def test_the_agenda_lists_my_people_overdue_first(client_for, alice, bob, cpas_a, beneficiary_a):
    today = timezone.localdate()
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True, start=today - timedelta(days=150),
                     end=today + timedelta(days=200), signed_on=today - timedelta(days=150))
    someone_else = make_piis(alice, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=bob),
                             sign=True,
                             start=today - timedelta(days=150), signed_on=today - timedelta(days=150))
    overdue = piis.evaluations.order_by("planned_on").first()
    page = client_for(alice).get(reverse("piis_agenda"))
    rows = list(page.context["page"])
    assert rows[0] == overdue and overdue.planned_on < today
    assert [row.planned_on for row in rows] == sorted(row.planned_on for row in rows)
    assert all(row.beneficiary_id == beneficiary_a.pk for row in rows)
    assert not any(row.piis_id == someone_else.pk for row in rows)
    assert reverse("piis_evaluation_record", args=[overdue.pk]) in page.content.decode()


def pdf_text(content, tmp_path):
    path = tmp_path / "piis.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_printable_piis_shows_the_parties_and_their_signature_blocks(client_for, alice, cpas_a, tmp_path):
    person = BeneficiaryFactory(right_type=None, cpas=cpas_a, last_name="Peeters", first_name="Lotte", language="nl",
                                niss="85073003328")
    forem = OrganisationFactory(cpas=cpas_a, name="VDAB Namen")
    piis = make_piis(alice, beneficiary=person, sign=True, third_parties=[forem])
    response = client_for(alice).get(reverse("piis_pdf", args=[piis.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "PEETERS Lotte" in text and "85.07.30-033.28" in text
    assert "Namen" in text and "Namur" not in text  # the CPAS's name in the person's language
    assert "VDAB Namen" in text and "Rebuild a daily rhythm" in text
    assert "01/02/2026" in text and "31/01/2027" in text and "28/01/2026" in text
    # A signature block for the person, the CPAS and each third party.
    assert text.count("Lotte PEETERS") == 1 and text.count("VDAB Namen") >= 2
    assert ConsultationLog.objects.filter(beneficiary=person, export="piis_pdf", user=alice).count() == 1


def test_the_pdf_is_rendered_in_the_persons_language(alice, cpas_a, monkeypatch):
    from django.utils import translation

    seen = []
    monkeypatch.setattr(pdf, "render_to_string",
                        lambda name, context: seen.append(translation.get_language()) or "<p>x</p>")
    for language in ("nl", "fr"):
        piis = make_piis(alice, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_a, language=language))
        pdf.render_piis_pdf(piis)
    assert seen == ["nl", "fr"]


def test_the_persons_file_shows_their_piis_and_a_start_action(rf, alice, auditor_a, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    services.evaluation_record(acting_user=alice, evaluation=piis.evaluations.first(), held_on=date(2026, 6, 1),
                               face_to_face=True)
    section = next(s for s in person_file.sections_for(beneficiary=beneficiary_a, user=alice) if s.key == "piis")
    assert section.context["piis_rows"] == [piis]
    assert [a.url for a in section.actions] == [f"{reverse('piis_create')}?beneficiary={beneficiary_a.pk}"]
    assert {event.day for event in section.events} == {date(2026, 1, 28), date(2026, 6, 1)}
    from django.template.loader import render_to_string

    html = render_to_string(section.template, {**section.context, "beneficiary": beneficiary_a})
    assert reverse("piis_detail", args=[piis.pk]) in html
    assert reverse("piis_evaluation_record", args=[piis.evaluations.order_by("planned_on").last().pk]) in html
    auditor_section = next(s for s in person_file.sections_for(beneficiary=beneficiary_a, user=auditor_a)
                           if s.key == "piis")
    assert auditor_section.actions == ()


def test_the_file_section_costs_the_same_for_a_long_history(alice, cpas_a, beneficiary_a,
                                                            django_assert_max_num_queries):
    for _ in range(6):
        make_piis(alice, beneficiary=beneficiary_a, sign=True)
    # membership, the PIIS, their evaluations (with evaluators), their third parties.
    with django_assert_max_num_queries(4):
        section = piis_section(beneficiary=beneficiary_a, user=alice)
        [list(piis.evaluations.all()) for piis in section.context["piis_rows"]]
    assert Evaluation.objects.filter(beneficiary=beneficiary_a).count() == 12


def test_the_detail_page_shows_who_changed_the_piis(client_for, alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    response = client_for(alice).get(reverse("piis_detail", args=[piis.pk]))
    history = response.context["history"]
    assert [(change.history_user, change.status) for change in history][:2] == [(alice, "signed"), (alice, "draft")]
    assert "Alice Lambert" in response.content.decode()
