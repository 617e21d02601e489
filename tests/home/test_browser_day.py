"""In Chromium: a caseworker logs in, lands on their day, records an overdue PIIS evaluation meeting from it,
and the item leaves the list while the person's file shows the evaluation."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from cpas_portal import services as kernel_services
from cpas_portal.citations import cite
from cpas_portal.months import add_months
from measures.piis import parameters as piis_parameters
from measures.piis import services as piis_services
from measures.piis.models import Evaluation, PiisKind
from tests.factories import BeneficiaryFactory
from tests.helpers import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = "Formation de cariste commencée; prochain bilan avec le Forem."


@pytest.fixture
def overdue_world(cpas_a, alice):
    """Alice follows Amélie Dubois: a RIS ending within 30 days (another item of her day) and a PIIS signed
    five months ago, whose first evaluation meeting (every 4 months: 3 a year, DOMAIN.md §4) is a month overdue."""
    today = timezone.localdate()
    person = BeneficiaryFactory(cpas=cpas_a, referent=alice, last_name="Dubois", first_name="Amélie",
                                right_type=None)
    right = kernel_services.right_decision_create(
        acting_user=alice, beneficiary=person, right_type="ris", category=2,
        start=today - timedelta(days=300), end=today + timedelta(days=20))
    start = add_months(today, -5)
    piis = piis_services.piis_create(acting_user=alice, cpas=cpas_a, beneficiary=person,
                                     kind=PiisKind.SOCIO_PROFESSIONAL, applied_on=start - timedelta(days=20),
                                     decided_on=start - timedelta(days=10), objectives="Trouver un emploi.")
    piis_services.piis_sign(acting_user=alice, piis=piis, signed_on=start, start=start)
    # The morning job moves the planning horizon on (a year from today); the overdue meeting stays one.
    piis_services.evaluations_plan(cpas=cpas_a, on=today, acting_user=alice)
    overdue = Evaluation.objects.get(piis=piis, held_on__isnull=True, planned_on__lt=today)
    assert overdue.planned_on == add_months(start, 4)
    return {"today": today, "person": person, "piis": piis, "evaluation": overdue, "right": right}


def _watch_console(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_record_an_overdue_evaluation_from_the_day(login_page, live_server, alice, overdue_world):
    world = overdue_world
    evaluation, today = world["evaluation"], world["today"]
    held_on = today - timedelta(days=2)
    evaluation_row = f'#overdue tr[data-key="piis.evaluation:{evaluation.pk}"]'
    right_row = f'tr[data-key="rights.ending:{world["right"].pk}"]'

    page = login_page(alice)
    errors = _watch_console(page)
    # Logged in through the form, she lands on her day.
    expect(page).to_have_url(f"{live_server.url}{reverse('home')}")
    expect(page.locator("#overdue")).to_be_visible()
    row = page.locator(evaluation_row)
    expect(row).to_contain_text("DUBOIS Amélie")
    expect(row).to_contain_text(evaluation.planned_on.strftime("%d/%m/%Y"))
    # The legal source of the meetings (the law of 21 July 2016), as a French reader reads it.
    with translation.override("fr"):
        source = cite(piis_parameters.EVALUATIONS_PER_YEAR.in_force(evaluation.planned_on).source)
    assert "21 juillet 2016" in source
    expect(row).to_contain_text(source)
    expect(page.locator(right_row)).to_contain_text("DUBOIS Amélie")

    row.locator("a").click()
    expect(page.locator("#evaluation-form")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("DUBOIS Amélie")
    fill_date(page, "#id_held_on", held_on)
    page.check("#id_face_to_face")
    page.fill("#id_notes", NOTES)
    page.click("#evaluation-form button[type=submit]")

    # Back on the PIIS: the meeting is held, by Alice, with the notes.
    expect(page.locator("#evaluations")).to_contain_text(NOTES)
    # The page's title is the PIIS and the person only (no markup of the page leaking into it).
    expect(page).to_have_title(re.compile(r"^PIIS — DUBOIS Amélie — [^<>]+$"))
    evaluation.refresh_from_db()
    assert (evaluation.held_on, evaluation.face_to_face, evaluation.notes, evaluation.evaluator_id) == (
        held_on, True, NOTES, alice.pk)

    page.click(f"header nav >> a[href='{reverse('home')}']")
    expect(page.locator("#overdue")).to_be_visible()
    expect(page.locator(f'tr[data-key="piis.evaluation:{evaluation.pk}"]')).to_have_count(0)
    expect(page.locator(right_row)).to_contain_text("DUBOIS Amélie")

    page.goto(f"{live_server.url}{reverse('beneficiary_detail', args=[world['person'].pk])}")
    section = page.locator("#section-piis")
    held_row = section.locator("tr", has_text=NOTES)
    expect(held_row).to_contain_text(held_on.strftime("%d/%m/%Y"))
    expect(held_row).to_contain_text(evaluation.planned_on.strftime("%d/%m/%Y"))
    expect(held_row).to_contain_text("Alice Lambert")
    piis_link = page.locator(f"a[href='{reverse('piis_detail', args=[world['piis'].pk])}']")
    timeline_row = page.locator("#timeline tbody tr", has=piis_link, has_text=held_on.strftime("%d/%m/%Y"))
    expect(timeline_row).to_have_count(1)

    assert not [error for error in errors if "Content Security Policy" in error], errors
    assert not [error for error in errors if "Refused to" in error], errors
