"""PIIS services: the status pipeline, versions, history with who, and the planning of evaluation meetings."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cpas_portal.concurrency import StaleVersion
from measures import services as measures_services
from measures.piis import services
from measures.piis.models import Evaluation, PiisStatus
from tests.factories import BeneficiaryFactory, OrganisationFactory
from tests.measures.factories import placement

from .factories import make_piis

pytestmark = pytest.mark.django_db


def planned(piis_or_placement):
    return sorted(piis_or_placement.evaluations.filter(held_on__isnull=True).values_list("planned_on", flat=True))


def test_create_keeps_third_parties_of_the_cpas_and_records_who(alice, beneficiary_a, cpas_a):
    forem = OrganisationFactory(cpas=cpas_a, name="Forem Namur")
    piis = make_piis(alice, beneficiary=beneficiary_a, third_parties=[forem])
    assert piis.status == PiisStatus.DRAFT and piis.created_by == alice
    assert list(piis.third_parties.all()) == [forem]
    assert piis.history.first().history_user == alice


def test_a_third_party_of_another_cpas_is_refused(alice, beneficiary_a, cpas_b):
    with pytest.raises(ValidationError) as error:
        make_piis(alice, beneficiary=beneficiary_a, third_parties=[OrganisationFactory(cpas=cpas_b)])
    assert "third_parties" in error.value.message_dict


def test_a_beneficiary_of_another_cpas_is_refused(alice, cpas_a, beneficiary_b):
    with pytest.raises(ValidationError) as error:
        services.piis_create(acting_user=alice, cpas=cpas_a, beneficiary=beneficiary_b, kind="job")
    assert "beneficiary" in error.value.message_dict


def test_signing_plans_the_meetings_and_raises_the_version(alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    piis = services.piis_sign(acting_user=alice, piis=piis, signed_on=date(2026, 1, 28), start=date(2026, 2, 1),
                              end=date(2027, 1, 31))
    assert piis.status == PiisStatus.SIGNED and piis.version == 2
    assert planned(piis) == [date(2026, 6, 1), date(2026, 10, 1)]
    assert {e.history.first().history_user for e in piis.evaluations.all()} == {alice}


def test_a_signature_needs_its_date_and_an_end_after_the_start(alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    with pytest.raises(ValidationError) as error:
        services.piis_sign(acting_user=alice, piis=piis, signed_on=date(2026, 1, 28), start=date(2026, 2, 1),
                           end=date(2026, 1, 1))
    assert "end" in error.value.message_dict
    piis.refresh_from_db()
    assert piis.status == PiisStatus.DRAFT and piis.version == 1


def test_ending_keeps_the_outcome_and_drops_later_meetings(alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    piis = services.piis_end(acting_user=alice, piis=piis, end=date(2026, 7, 15), outcome="job")
    assert piis.status == PiisStatus.ENDED and piis.outcome == "job"
    assert planned(piis) == [date(2026, 6, 1)]
    with pytest.raises(ValidationError):
        services.piis_sign(acting_user=alice, piis=piis, signed_on=date(2026, 8, 1))


def test_ending_needs_an_outcome(alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    with pytest.raises(ValidationError) as error:
        services.piis_end(acting_user=alice, piis=piis, end=date(2026, 7, 15), outcome="")
    assert "outcome" in error.value.message_dict


def test_cancelling_removes_the_planned_meetings_but_keeps_the_held_ones(alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    first = piis.evaluations.order_by("planned_on").first()
    services.evaluation_record(acting_user=alice, evaluation=first, held_on=date(2026, 6, 2), face_to_face=True)
    services.piis_cancel(acting_user=alice, piis=piis)
    assert list(piis.evaluations.values_list("held_on", flat=True)) == [date(2026, 6, 2)]


def test_a_stale_edit_is_refused(alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    services.piis_update(acting_user=alice, piis=piis, version=1, objectives="First change")
    with pytest.raises(StaleVersion):
        services.piis_update(acting_user=alice, piis=piis, version=1, objectives="Second change")


def test_moving_a_running_piis_plans_its_meetings_again(alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    services.piis_update(acting_user=alice, piis=piis, start=date(2026, 3, 1), end=date(2026, 12, 31))
    assert planned(piis) == [date(2026, 7, 1), date(2026, 11, 1)]


def test_recording_a_planned_meeting(alice, bob, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    meeting = piis.evaluations.order_by("planned_on").first()
    saved = services.evaluation_record(acting_user=alice, evaluation=meeting, held_on=date(2026, 6, 3),
                                       face_to_face=False, notes="By phone: training found.", version=1)
    assert (saved.held_on, saved.face_to_face, saved.evaluator, saved.version) == (date(2026, 6, 3), False, alice, 2)
    assert saved.history.first().history_user == alice
    with pytest.raises(StaleVersion):
        services.evaluation_record(acting_user=bob, evaluation=meeting, held_on=date(2026, 6, 4), face_to_face=True,
                                   version=1)


def test_planning_is_idempotent_and_covers_placements_every_three_months(alice, cpas_a, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True, start=date(2026, 2, 1), end=None)
    placed = placement(alice, cpas=cpas_a, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_a),
                       start=date(2026, 1, 1), planned_end=date(2026, 12, 31))
    measures_services.placement_approve(acting_user=alice, placement=placed)
    draft_placement = placement(alice, cpas=cpas_a, start=date(2026, 1, 1), planned_end=date(2026, 12, 31))

    added = services.evaluations_plan(cpas=cpas_a, on=date(2026, 3, 1))
    assert planned(placed) == [date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]
    assert planned(draft_placement) == []
    # Signing planned up to 12 months after the start; the daily run moves the horizon on.
    assert planned(piis) == [date(2026, 6, 1), date(2026, 10, 1), date(2027, 2, 1)]
    assert added == 3
    assert services.evaluations_plan(cpas=cpas_a, on=date(2026, 3, 1)) == 0
    assert services.evaluations_plan(cpas=cpas_a, on=date(2026, 3, 2)) == 0
    total = Evaluation.objects.count()
    assert services.evaluations_plan(cpas=cpas_a, on=date(2026, 6, 1)) == 1  # 2027-06-01 enters the horizon
    assert Evaluation.objects.count() == total + 1


def test_an_unplanned_evaluation_covers_its_period(alice, cpas_a, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    piis = services.piis_sign(acting_user=alice, piis=piis, signed_on=date(2026, 1, 28), start=date(2026, 2, 1),
                              end=date(2027, 1, 31))
    meeting = piis.evaluations.get(planned_on=date(2026, 6, 1))
    meeting.delete()
    services.evaluation_add(acting_user=alice, piis=piis, held_on=date(2026, 5, 20), face_to_face=True)
    assert services.evaluations_plan(cpas=cpas_a, on=date(2026, 5, 21)) == 0
    assert planned(piis) == [date(2026, 10, 1)]


def test_planning_ignores_other_cpas(alice, charlie, cpas_a, cpas_b, beneficiary_b):
    make_piis(charlie, beneficiary=beneficiary_b, sign=True)
    assert services.evaluations_plan(cpas=cpas_a, on=date(2026, 3, 1)) == 0


def test_the_daily_task_and_the_command_plan_every_cpas_once(alice, charlie, cpas_a, cpas_b, beneficiary_a,
                                                             beneficiary_b):
    from io import StringIO

    from django.core.management import call_command

    from measures.piis.tasks import plan_evaluations

    piis_a = make_piis(alice, beneficiary=beneficiary_a, sign=True, end=None)
    piis_b = make_piis(charlie, beneficiary=beneficiary_b, sign=True, end=None)
    assert plan_evaluations(on="2026-07-01") == 2  # 2027-06-01 for each
    out = StringIO()
    call_command("plan_evaluations", "--on", "2026-07-01", stdout=out)
    assert out.getvalue().strip() == "0 meeting(s) planned."
    assert planned(piis_a)[-1] == planned(piis_b)[-1] == date(2027, 6, 1)


@pytest.mark.parametrize("field", ["applied_on", "decided_on", "start"])
def test_no_date_before_the_law_of_2002(alice, beneficiary_a, field):
    with pytest.raises(ValidationError) as error:
        services.piis_create(acting_user=alice, cpas=beneficiary_a.cpas, beneficiary=beneficiary_a,
                             kind="socio_professional", **{field: date(2002, 9, 30)})
    assert list(error.value.message_dict) == [field]
    piis = services.piis_create(acting_user=alice, cpas=beneficiary_a.cpas, beneficiary=beneficiary_a,
                                kind="socio_professional", **{field: date(2002, 10, 1)})
    assert getattr(piis, field) == date(2002, 10, 1)
