"""The PIIS's rules as pure functions: plain values in, due dates out, each with its reason and source.

No ORM, no ``today()``: the legal date is always given. Parameters come from ``parameters.py``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from cpas_portal.months import add_months

from . import parameters

DRAFT, SIGNED, ENDED, CANCELLED = "draft", "signed", "ended", "cancelled"

# The status pipeline of a PIIS: negotiated, signed, then ended with an outcome; a draft or a running
# PIIS may be cancelled. Nothing leaves ``ended`` or ``cancelled``.
ALLOWED_TRANSITIONS = {
    DRAFT: {SIGNED, CANCELLED},
    SIGNED: {ENDED, CANCELLED},
    ENDED: set(),
    CANCELLED: set(),
}


@dataclass(frozen=True)
class Deadline:
    """A date by which something must be done, why, and the legal source."""

    kind: str
    due: date
    reason: str
    source: str


def age_on(birth_date, day):
    """Age in whole years on ``day`` (a birthday on 29 February is reached on 1 March in common years)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def under_25_deadline(*, birth_date, applied_on):
    """Seed 001 §1.2 (law of 26 May 2002, art. 6 §2): for a person under 25 on the application date,
    the terms of the PIIS are negotiated within 3 months of the application. ``None`` from 25 on."""
    age_limit = parameters.UNDER_25_AGE.in_force(applied_on)
    if age_on(birth_date, applied_on) >= age_limit.value:
        return None
    months = parameters.UNDER_25_NEGOTIATION_MONTHS.in_force(applied_on)
    due = add_months(applied_on, months.value)
    return Deadline(
        kind="piis.under_25",
        due=due,
        reason=_("Under %(age)s on the application date (%(applied)s): PIIS terms negotiated within %(months)s "
                 "months, by %(due)s.") % {"age": age_limit.value, "applied": applied_on.strftime("%d/%m/%Y"),
                                          "months": months.value, "due": due.strftime("%d/%m/%Y")},
        source=months.source,
    )


def new_ris_deadline(*, decided_on):
    """From 1 Nov 2016 (law of 21 July 2016) every new integration-income beneficiary concludes a PIIS
    within 3 months of the decision. ``None`` for a decision before that date."""
    months = parameters.NEW_RIS_CONCLUSION_MONTHS.in_force(decided_on)
    if months.value is None:
        return None
    due = add_months(decided_on, months.value)
    return Deadline(
        kind="piis.new_ris",
        due=due,
        reason=_("New integration income decided on %(decided)s: a PIIS is concluded within %(months)s months, "
                 "by %(due)s.") % {"decided": decided_on.strftime("%d/%m/%Y"), "months": months.value,
                                   "due": due.strftime("%d/%m/%Y")},
        source=months.source,
    )


def is_new_right(*, start, earlier):
    """Whether an integration income starting on ``start`` makes a *new* beneficiary: no earlier RIS
    decision (``earlier``: ``(start, end)`` pairs, ``end`` None when open) ran up to the day before.
    [interp] A renewal or a change of category continues the same right; a return after a gap is new."""
    eve = start - timedelta(days=1)
    return not any(other_start < start and (other_end is None or other_end >= eve)
                   for other_start, other_end in earlier)


def conclusion_deadlines(*, birth_date, applied_on=None, ris_decided_on=None):
    """Every deadline to conclude a PIIS that applies (under 25, new integration income), soonest first."""
    found = []
    if applied_on is not None:
        found.append(under_25_deadline(birth_date=birth_date, applied_on=applied_on))
    if ris_decided_on is not None:
        found.append(new_ris_deadline(decided_on=ris_decided_on))
    return sorted((deadline for deadline in found if deadline is not None), key=lambda deadline: deadline.due)


@dataclass(frozen=True)
class YearlyEvaluations:
    """A PIIS's evaluations in one calendar year against the yearly minimum."""

    year: int
    required: int
    required_face_to_face: int
    held: int
    held_face_to_face: int
    reasons: tuple
    sources: tuple

    @property
    def missing(self):
        return max(0, self.required - self.held)

    @property
    def missing_face_to_face(self):
        return max(0, self.required_face_to_face - self.held_face_to_face)

    @property
    def met(self):
        return self.missing == 0 and self.missing_face_to_face == 0

    @property
    def due(self):
        """The last day on which the year's evaluations can still be held."""
        return date(self.year, 12, 31)


def _required_in_year(parameter, year, start, end):
    """The yearly minimum of ``parameter`` for a PIIS running from ``start`` to ``end`` (None: open).

    [interp] For a year the PIIS covers in part, the minimum is pro rata of the days covered while
    the minimum is in force, rounded down: 4 months running ask one evaluation, a full year three.
    """
    first, last = max(start, date(year, 1, 1)), min(end or date(year, 12, 31), date(year, 12, 31))
    if last < first:
        return 0, ()
    year_days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    weighted, sources = 0, []
    for index, step in enumerate(parameter.steps):
        step_end = parameter.steps[index + 1].start - timedelta(days=1) if index + 1 < len(parameter.steps) else last
        low, high = max(first, step.start), min(last, step_end)
        if high < low or step.value is None:
            continue
        weighted += step.value * ((high - low).days + 1)
        sources.append(step.source)
    return weighted // year_days, tuple(sources)


def yearly_evaluations(*, year, start, end, evaluations):
    """Law of 26 May 2002 art. 11 §3 (from 1 Nov 2016): at least 3 evaluations a year, 2 of them face to
    face. ``evaluations`` are ``(held_on, face_to_face)`` pairs; only those held in ``year`` count."""
    required, sources = _required_in_year(parameters.EVALUATIONS_PER_YEAR, year, start, end)
    required_f2f, _f2f_sources = _required_in_year(parameters.FACE_TO_FACE_PER_YEAR, year, start, end)
    in_year = [face_to_face for held_on, face_to_face in evaluations if held_on is not None and held_on.year == year]
    held, held_f2f = len(in_year), sum(1 for face_to_face in in_year if face_to_face)
    reasons = (_("%(year)s: %(held)s of %(required)s evaluations held, %(f2f)s of %(required_f2f)s face to face.")
               % {"year": year, "held": held, "required": required, "f2f": held_f2f, "required_f2f": required_f2f},)
    return YearlyEvaluations(year, required, required_f2f, held, held_f2f, reasons, sources)


def piis_evaluation_dates(*, start, end, until):
    """The dates of a PIIS's evaluation meetings: every 12 / (yearly minimum) months from its start (every
    4 months for 3 a year), on the days the minimum is in force, up to its end (or ``until`` without one)."""
    per_year = parameters.EVALUATIONS_PER_YEAR.at(max(start, parameters.REFORM_2016))
    interval = 12 // per_year
    last = min(end, until) if end else until
    found, number = [], 1
    while (day := add_months(start, number * interval)) <= last:
        if parameters.EVALUATIONS_PER_YEAR.at(day) is not None:
            found.append(day)
        number += 1
    return found


def placement_evaluation_dates(*, start, end):
    """An art. 60 §7 placement's follow-up meetings: every 3 months of its running time ([interp])."""
    interval = parameters.PLACEMENT_EVALUATION_MONTHS.at(start)
    found, number = [], 1
    while (day := add_months(start, number * interval)) <= end:
        found.append(day)
        number += 1
    return found


@dataclass(frozen=True)
class SocialActivationWindow:
    counts: bool
    earliest_end: date
    latest_end: date
    reason: str
    source: str


def social_activation_window(*, start, end):
    """Seed 002: a PIIS lasting 6 to 12 months counts in the social-activation report. Returns the
    window of end dates that count and whether ``end`` (None: not known yet) falls in it."""
    parameter = parameters.SOCIAL_ACTIVATION_MONTHS.in_force(start)
    minimum, maximum = parameter.value
    earliest = add_months(start, minimum) - timedelta(days=1)
    latest = add_months(start, maximum) - timedelta(days=1)
    counts = end is not None and earliest <= end <= latest
    reason = _("Counts for social activation when it lasts %(min)s to %(max)s months: ending between %(earliest)s "
               "and %(latest)s.") % {"min": minimum, "max": maximum, "earliest": earliest.strftime("%d/%m/%Y"),
                                     "latest": latest.strftime("%d/%m/%Y")}
    return SocialActivationWindow(counts, earliest, latest, reason, parameter.source)


def check_transition(current, target):
    from django.core.exceptions import ValidationError

    if target not in ALLOWED_TRANSITIONS[current]:
        raise ValidationError(_("A PIIS in status “%(current)s” cannot become “%(target)s”.")
                              % {"current": current, "target": target})
