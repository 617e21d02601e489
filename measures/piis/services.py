"""Every write on PIIS and evaluation meetings: atomic, validated, versioned, recorded with who and when."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cpas_portal.concurrency import bump_version
from cpas_portal.inputs import far_future_errors
from cpas_portal.models import Cpas
from cpas_portal.months import add_months
from measures.models import Placement, PlacementStatus

from . import parameters, rules
from .models import Evaluation, Piis, PiisStatus

PIIS_FIELDS = ("kind", "applied_on", "decided_on", "signed_on", "start", "end", "objectives")
# How far ahead meetings are planned for a PIIS without an end date; the daily planning moves it on.
PLANNING_HORIZON_MONTHS = 12


def _save(instance, acting_user):
    instance.full_clean()
    instance._history_user = acting_user
    instance.save()
    return instance


def _locked(piis):
    return Piis.objects.select_for_update(of=("self",)).select_related("beneficiary", "cpas").get(pk=piis.pk)


def _check_third_parties(cpas, third_parties):
    if any(organisation.cpas_id != cpas.pk for organisation in third_parties):
        raise ValidationError({"third_parties": _("This organisation is not in your CPAS's directory.")})


PIIS_DATES = ("applied_on", "decided_on", "signed_on", "start", "end")


def _check_dates(piis):
    """A PIIS exists since the law of 26 May 2002: no date of it may come before (its rules are not in force)."""
    errors = {}
    for field in PIIS_DATES:
        day = getattr(piis, field)
        if day is not None and day < parameters.LAW_2002:
            errors[field] = [_("The PIIS exists since the law of 26 May 2002, in force on 1 October 2002.")]
    for field, message in far_future_errors(piis, PIIS_DATES).items():
        errors.setdefault(field, [message])
    if errors:
        raise ValidationError(errors)


def _move(piis, target):
    try:
        rules.check_transition(piis.status, target)
    except ValidationError as error:
        raise ValidationError({"status": error.messages}) from None
    piis.status = target


@transaction.atomic
def piis_create(*, acting_user, cpas, beneficiary, third_parties=(), **data) -> Piis:
    """A PIIS being negotiated (draft) for ``beneficiary``, with its third parties."""
    if beneficiary is None or beneficiary.cpas_id != cpas.pk:
        raise ValidationError({"beneficiary": _("Choose a beneficiary of your CPAS.")})
    third_parties = list(third_parties or ())
    _check_third_parties(cpas, third_parties)
    piis = Piis(cpas=cpas, beneficiary=beneficiary, created_by=acting_user,
                **{key: data[key] for key in PIIS_FIELDS if key in data})
    _check_dates(piis)
    _save(piis, acting_user)
    piis.third_parties.set(third_parties)
    return piis


@transaction.atomic
def piis_update(*, acting_user, piis, version=None, third_parties=None, **data) -> Piis:
    """Change a PIIS being negotiated or running; a running one has its meetings planned again."""
    piis = _locked(piis)
    if piis.status not in (PiisStatus.DRAFT, PiisStatus.SIGNED):
        raise ValidationError(_("An ended or cancelled PIIS cannot be changed."))
    bump_version(piis, version)
    for key in PIIS_FIELDS:
        if key in data:
            setattr(piis, key, data[key])
    if piis.status == PiisStatus.SIGNED and (piis.signed_on is None or piis.start is None):
        raise ValidationError({"start": _("A signed PIIS keeps its signature date and start.")})
    _check_dates(piis)
    _save(piis, acting_user)
    if third_parties is not None:
        third_parties = list(third_parties)
        _check_third_parties(piis.cpas, third_parties)
        piis.third_parties.set(third_parties)
    if piis.status == PiisStatus.SIGNED:
        # Dates may have moved: the meetings not yet held are planned again from the new dates.
        _unplan_after(piis, None, acting_user)
        _plan(cpas=piis.cpas, on=piis.start, acting_user=acting_user, piis_ids=[piis.pk], placement_ids=[])
    return piis


@transaction.atomic
def piis_sign(*, acting_user, piis, signed_on, start=None, end=None, version=None) -> Piis:
    """The parties signed: the PIIS runs from ``start`` and its evaluation meetings are planned."""
    piis = _locked(piis)
    bump_version(piis, version)
    _move(piis, PiisStatus.SIGNED)
    piis.signed_on = signed_on
    piis.start = start or piis.start or signed_on
    if end is not None:
        piis.end = end
    errors = {}
    if signed_on is None:
        errors["signed_on"] = [_("Enter the signature date.")]
    if piis.end is not None and piis.start is not None and piis.end < piis.start:
        errors["end"] = [_("The end cannot be before the start.")]
    if errors:
        raise ValidationError(errors)
    _check_dates(piis)
    _save(piis, acting_user)
    _plan(cpas=piis.cpas, on=piis.start, acting_user=acting_user, piis_ids=[piis.pk], placement_ids=[])
    return piis


@transaction.atomic
def piis_end(*, acting_user, piis, end, outcome, version=None) -> Piis:
    """The PIIS ended on ``end`` with ``outcome`` (seed 002's path results); later meetings are dropped."""
    piis = _locked(piis)
    bump_version(piis, version)
    _move(piis, PiisStatus.ENDED)
    errors = {}
    if end is None:
        errors["end"] = [_("Enter the end date.")]
    elif piis.start is not None and end < piis.start:
        errors["end"] = [_("The end cannot be before the start.")]
    if not outcome:
        errors["outcome"] = [_("Choose the outcome of the path.")]
    if errors:
        raise ValidationError(errors)
    piis.end, piis.outcome = end, outcome
    _check_dates(piis)
    _save(piis, acting_user)
    _unplan_after(piis, end, acting_user)
    return piis


@transaction.atomic
def piis_cancel(*, acting_user, piis, version=None) -> Piis:
    """Cancel a PIIS (never concluded, or stopped without an outcome): its planned meetings are dropped."""
    piis = _locked(piis)
    bump_version(piis, version)
    _move(piis, PiisStatus.CANCELLED)
    _save(piis, acting_user)
    _unplan_after(piis, None, acting_user)
    return piis


def _unplan_after(piis, end, acting_user):
    """Delete the meetings of ``piis`` still only planned after ``end`` (all of them when None)."""
    planned = Evaluation.objects.filter(piis=piis, held_on__isnull=True)
    if end is not None:
        planned = planned.filter(planned_on__gt=end)
    for evaluation in planned:
        evaluation._history_user = acting_user
        evaluation.delete()


@transaction.atomic
def evaluation_record(*, acting_user, evaluation, held_on, face_to_face, notes="", evaluator=None,
                      version=None) -> Evaluation:
    """A planned meeting was held: record when, whether face to face, by whom, and the notes."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    bump_version(evaluation, version)
    if held_on is None:
        raise ValidationError({"held_on": _("Enter the date the meeting was held.")})
    evaluation.held_on, evaluation.face_to_face, evaluation.notes = held_on, face_to_face, notes
    evaluation.evaluator = evaluator or acting_user
    return _save(evaluation, acting_user)


@transaction.atomic
def evaluation_add(*, acting_user, piis, held_on, face_to_face, notes="", evaluator=None) -> Evaluation:
    """Record an evaluation of ``piis`` held without having been planned."""
    piis = _locked(piis)
    if piis.status not in (PiisStatus.SIGNED, PiisStatus.ENDED):
        raise ValidationError(_("Evaluations are recorded for a signed PIIS."))
    if held_on is None:
        raise ValidationError({"held_on": _("Enter the date the meeting was held.")})
    return _save(Evaluation(cpas=piis.cpas, beneficiary=piis.beneficiary, piis=piis, held_on=held_on,
                            face_to_face=face_to_face, notes=notes, evaluator=evaluator or acting_user), acting_user)


def evaluations_plan(*, cpas, on, acting_user=None) -> int:
    """Plan the missing evaluation meetings of every running PIIS and approved art. 60 §7 placement of
    ``cpas``, from 1 January of ``on``'s year. Idempotent (the daily job runs it); returns how many were added."""
    with transaction.atomic():
        # One planner at a time per CPAS (the unique constraints are the last guard).
        list(Cpas.objects.select_for_update().filter(pk=cpas.pk).values_list("pk", flat=True))
        return _plan(cpas=cpas, on=on, acting_user=acting_user)


def _covered(slots, evaluations):
    """The planned dates of ``slots`` that already have a meeting: planned on that day, or an unplanned
    evaluation held since the previous date."""
    planned = {row["planned_on"] for row in evaluations if row["planned_on"] is not None}
    unplanned = sorted(row["held_on"] for row in evaluations if row["planned_on"] is None)
    covered, previous = set(), date.min
    for day in slots:
        if day in planned or any(previous < held <= day for held in unplanned):
            covered.add(day)
        previous = day
    return covered


def _plan(*, cpas, on, acting_user, piis_ids=None, placement_ids=None):
    """Four queries whatever the number of measures: running PIIS, placements, their meetings, the insert."""
    first_day, horizon = date(on.year, 1, 1), add_months(on, PLANNING_HORIZON_MONTHS)
    piis_rows = Piis.objects.filter(cpas=cpas, status=PiisStatus.SIGNED, start__isnull=False).filter(
        Q(end__isnull=True) | Q(end__gte=first_day))
    placement_rows = Placement.objects.filter(cpas=cpas, status=PlacementStatus.APPROVED).filter(
        Q(actual_end__gte=first_day) | Q(actual_end__isnull=True, planned_end__gte=first_day))
    if piis_ids is not None:
        piis_rows = piis_rows.filter(pk__in=piis_ids)
    if placement_ids is not None:
        placement_rows = placement_rows.filter(pk__in=placement_ids)
    piis_rows = list(piis_rows.values("id", "beneficiary_id", "start", "end"))
    placement_rows = list(placement_rows.values("id", "beneficiary_id", "start", "planned_end", "actual_end"))
    existing = {}
    if piis_rows or placement_rows:
        for row in Evaluation.objects.filter(
                Q(piis_id__in=[row["id"] for row in piis_rows])
                | Q(placement_id__in=[row["id"] for row in placement_rows])).values(
                "piis_id", "placement_id", "planned_on", "held_on"):
            key = ("piis", row["piis_id"]) if row["piis_id"] else ("placement", row["placement_id"])
            existing.setdefault(key, []).append(row)
    new = []
    for row in piis_rows:
        slots = rules.piis_evaluation_dates(start=row["start"], end=row["end"], until=horizon)
        covered = _covered(slots, existing.get(("piis", row["id"]), []))
        new += [Evaluation(cpas=cpas, beneficiary_id=row["beneficiary_id"], piis_id=row["id"], planned_on=day)
                for day in slots if day >= first_day and day not in covered]
    for row in placement_rows:
        slots = rules.placement_evaluation_dates(start=row["start"], end=row["actual_end"] or row["planned_end"])
        covered = _covered(slots, existing.get(("placement", row["id"]), []))
        new += [Evaluation(cpas=cpas, beneficiary_id=row["beneficiary_id"], placement_id=row["id"], planned_on=day)
                for day in slots if day >= first_day and day not in covered]
    if new:
        bulk_create_with_history(new, Evaluation, default_user=acting_user)
    return len(new)
