"""Rules of partnership conventions ("500 € measure"): pure functions of plain values and a legal date.

Every function takes the convention's conclusion date as ``on`` (the date that decides the rule
version, DOMAIN.md §5) and returns the amount with the parameters used, so that pages, the API and
the reimbursement claim show how it was computed. Sources: seeds 000 and 003.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpas_portal import money
from cpas_portal.dated import InForce, NotInForce
from cpas_portal.months import add_months

from . import parameters as p


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SIGNED = "signed", gettext_lazy("Signed")
    COMPLETED = "completed", gettext_lazy("Hours completed")
    EMPLOYED_EARLY = "employed_early", gettext_lazy("Employed before the end")
    STOPPED = "stopped", gettext_lazy("Stopped")
    SETTLED = "settled", gettext_lazy("Settled")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


# The only place that says which status may follow which.
ALLOWED_TRANSITIONS = {
    # A draft that will not be signed is cancelled, never deleted (the record and its history stay).
    ConventionStatus.DRAFT: {ConventionStatus.SIGNED, ConventionStatus.CANCELLED},
    ConventionStatus.SIGNED: {ConventionStatus.COMPLETED, ConventionStatus.EMPLOYED_EARLY, ConventionStatus.STOPPED},
    ConventionStatus.COMPLETED: {ConventionStatus.SETTLED},
    ConventionStatus.EMPLOYED_EARLY: {ConventionStatus.SETTLED},
    ConventionStatus.STOPPED: {ConventionStatus.SETTLED},
    ConventionStatus.SETTLED: set(),
    ConventionStatus.CANCELLED: set(),
}
CLOSING_OUTCOMES = (ConventionStatus.COMPLETED, ConventionStatus.EMPLOYED_EARLY, ConventionStatus.STOPPED)

# The five elements every individual coaching plan contains at least (seed 003); training is optional.
REQUIRED_PLAN_ELEMENTS = (
    "plan_assessment", "plan_job_offers", "plan_application_techniques", "plan_work_attitudes", "plan_prospection",
)


def check_transition(current, target):
    """Raise a ValidationError unless ``current`` → ``target`` is in ALLOWED_TRANSITIONS."""
    if target not in ALLOWED_TRANSITIONS[ConventionStatus(current)]:
        if current == ConventionStatus.CANCELLED:
            raise ValidationError({"status": _("This convention is cancelled: it can no longer change.")})
        if target == ConventionStatus.CANCELLED:
            raise ValidationError({"status": _(
                "Only a draft convention can be cancelled; a signed convention is closed instead (e.g. stopped).")})
        messages = {
            ConventionStatus.SIGNED: _("This convention is already signed."),
            ConventionStatus.SETTLED: _("Only a closed convention can be settled."),
        }
        if target in CLOSING_OUTCOMES:
            message = (_("A draft convention cannot be closed: sign it first.") if current == ConventionStatus.DRAFT
                       else _("This convention is already closed."))
        else:
            message = messages.get(target, _("This change of status is not allowed."))
        raise ValidationError({"status": message})


def used(in_force: InForce, *, interpretation=False, value=None):
    """One line of "how computed": a parameter, its value, since when, and its source."""
    return {
        "name": in_force.name,
        "value": str(in_force.value if value is None else value),
        "since": in_force.since.isoformat(),
        "source": in_force.source,
        "interpretation": interpretation or in_force.source == p.INTERPRETATION,
    }


def rule_version(*, on: date) -> InForce:
    try:
        return p.RULE_VERSION.in_force(on)
    except NotInForce:
        raise ValidationError({"conclusion_date": _(
            "No partnership convention rule is in force on %(day)s (the measure starts on %(start)s)."
        ) % {"day": on.isoformat(), "start": p.V2004_START.isoformat()}}) from None


@dataclass(frozen=True)
class Decision:
    amount: Decimal
    parameters: list = field(default_factory=list)


def form_b_tier(planned_hours, *, on: date) -> int:
    """SPP IS form B code of a convention: 0 none, 1 plan of at least 50 h, 2 of at least 100 h."""
    if planned_hours >= p.TIER_2_HOURS.at(on):
        return 2
    if planned_hours >= p.TIER_1_HOURS.at(on):
        return 1
    return 0


def agreed_amount(planned_hours, *, on: date) -> Decision:
    """AR 23/09/2004 art. 3 (as amended by AR 08/10/2012): ≥ 100 h → 500 €, ≥ 50 h → 250 €, else not eligible."""
    version = rule_version(on=on)
    tier_1, tier_2 = p.TIER_1_HOURS.in_force(on), p.TIER_2_HOURS.in_force(on)
    if planned_hours < tier_1.value:
        raise ValidationError({"planned_hours": _(
            "A coaching plan of fewer than %(hours)s hours is not eligible for the measure."
        ) % {"hours": tier_1.value}})
    if planned_hours >= tier_2.value:
        amount = p.TIER_2_AMOUNT.in_force(on)
        return Decision(amount.value, [used(version), used(tier_2), used(amount)])
    amount = p.TIER_1_AMOUNT.in_force(on)
    return Decision(amount.value, [used(version), used(tier_1), used(amount)])


def advance_amount(agreed, *, on: date) -> Decision:
    """Circular of 31/01/2013 §3: half of the agreed amount is paid when the convention is concluded."""
    rate = p.ADVANCE_RATE.in_force(on)
    return Decision(money.eur(agreed * rate.value), [used(rate)])


def final_amount(*, agreed, advance, outcome, on: date) -> Decision:
    """The amount the convention finally costs, by how it ended.

    Hours completed: the agreed amount. Employed before the plan ends: 500 € under the 2012 version
    (AR 08/10/2012), the agreed amount before it. Stopped without a job: no balance, only the
    advance already paid [interp, DOMAIN.md §5].
    """
    if outcome == ConventionStatus.STOPPED:
        return Decision(advance, [{"name": "stopped", "value": "advance_only", "since": "",
                                   "source": p.INTERPRETATION, "interpretation": True}])
    if outcome == ConventionStatus.EMPLOYED_EARLY:
        try:
            early = p.EARLY_EMPLOYMENT_AMOUNT.in_force(on)
        except NotInForce:
            return Decision(agreed)
        return Decision(max(agreed, early.value), [used(early)])
    if outcome == ConventionStatus.COMPLETED:
        return Decision(agreed)
    raise ValueError(f"Not a closing outcome: {outcome!r}")


@dataclass(frozen=True)
class PartnerShare:
    is_cpas: bool
    share: Decimal
    # An organisation that is the regional employment service or that it approved (kernel flag).
    approved_by_employment_service: bool = True


def _plain(number):
    """``90.00`` → ``90``, ``33.5`` → ``33.5`` (never ``9E+1``)."""
    return format(Decimal(number).normalize(), "f")


def check_shares(partners, *, on: date) -> list:
    """The participation shares of the partners, in percent, add up to 100; the CPAS keeps to its limit.

    2004 version: the CPAS carries at most 50 % of the hours [interp]; 2012 version: any share, but
    the CPAS must still work with at least one other partner (circular of 31/01/2013 §2).
    """
    partners = list(partners)
    if not partners:
        raise ValidationError({"partners": _("A convention needs at least one partner.")})
    if any(partner.share <= 0 for partner in partners):
        raise ValidationError({"partners": _("Every partner's share must be above zero.")})
    total = sum(partner.share for partner in partners)
    if total != Decimal("100"):
        raise ValidationError({"partners": _("The partners' shares add up to %(total)s %%, not 100 %%.") % {
            "total": _plain(total)}})
    cpas_rows = [partner for partner in partners if partner.is_cpas]
    if len(cpas_rows) > 1:
        raise ValidationError({"partners": _("The CPAS itself can be a partner only once.")})
    others = len(partners) - len(cpas_rows)
    minimum = p.MIN_OTHER_PARTNERS.in_force(on)
    if others < minimum.value:
        raise ValidationError({"partners": _(
            "The CPAS must work with at least one other partner (regional employment office or third party)."
        )})
    limit = p.CPAS_MAX_SHARE.in_force(on)
    cpas_share = cpas_rows[0].share if cpas_rows else Decimal("0")
    if cpas_share > limit.value:
        raise ValidationError({"partners": _(
            "Under the rules in force on %(day)s the CPAS may carry at most %(limit)s %% of the hours."
        ) % {"day": on.isoformat(), "limit": _plain(limit.value)}})
    approval = p.PARTNERS_APPROVED_BY_EMPLOYMENT_SERVICE.in_force(on)
    if approval.value and any(not partner.is_cpas and not partner.approved_by_employment_service
                              for partner in partners):
        raise ValidationError({"partners": _(
            "Under the decree of 23 September 2004 (conventions concluded before 4 November 2012) every partner "
            "is the regional employment service or a partner it approved."
        )})
    return [used(minimum), used(limit, interpretation=limit.value < 100), used(approval)]


def check_eligibility(*, has_right, recorded_measures=(), declared_insertion_measure_end=None,
                      declared_in_private_employment_measure=False, on: date) -> dict:
    """Seed 003: RIS or equivalent aid in force at conclusion, or the last 3 months of an insertion
    measure; never a person already in an employment measure at a private firm.

    DOMAIN.md §5: the facts come from what the application records — the person's right dates
    (``has_right``) and the measures running on the conclusion date (``recorded_measures``: objects
    with ``label``, ``end`` and ``at_private_firm``). The caller's declaration may add what is not
    recorded (an insertion measure or a private-firm employment held elsewhere) but never overrides
    a recorded fact: a recorded insertion measure's own end date decides [interp]. Returns the basis
    of the decision and the recorded measures it read.
    """
    rule_version(on=on)
    recorded_measures = list(recorded_measures)
    at_private_firm = [measure for measure in recorded_measures if measure.at_private_firm]
    if at_private_firm:
        raise ValidationError({"in_private_employment_measure": _(
            "On the conclusion date the application records an employment measure at a private firm (%(measure)s): "
            "the person cannot follow this coaching."
        ) % {"measure": at_private_firm[0].label}})
    if declared_in_private_employment_measure:
        raise ValidationError({"in_private_employment_measure": _(
            "A person already in an employment measure at a private firm cannot follow this coaching."
        )})
    recorded = [getattr(measure, "source_key", "") for measure in recorded_measures]
    if has_right:
        return {"basis": "right", "recorded": recorded}
    months = p.INSERTION_MEASURE_LAST_MONTHS.at(on)
    if recorded_measures:
        end = max(measure.end for measure in recorded_measures)
        if add_months(end, -months) <= on <= end:
            return {"basis": "recorded_insertion_measure", "recorded": recorded}
        raise ValidationError({"insertion_measure_end": _(
            "On the conclusion date the person does not receive the integration income or equivalent aid, and the "
            "insertion measure recorded in the application ends on %(end)s, more than %(months)s months later."
        ) % {"end": end.isoformat(), "months": months}})
    end = declared_insertion_measure_end
    if end and add_months(end, -months) <= on <= end:
        return {"basis": "declared_insertion_measure", "recorded": recorded}
    raise ValidationError({"insertion_measure_end": _(
        "On the conclusion date the person neither receives the integration income or equivalent aid, nor is in "
        "the last %(months)s months of an insertion measure."
    ) % {"months": months}})


def check_hours_entry(*, day, hours, conclusion_date, today, planned_hours, other_hours) -> None:
    """An entry of coaching hours: on a day between the conclusion and today, above zero, and keeping the
    convention's total within the hours its plan fixes.

    ``other_hours`` is the total of the convention's other entries that count (not cancelled). The plan
    fixes the number of coaching hours (AR 23/09/2004 art. 3); the balance is due once the partners have
    done that number (circular of 31/01/2013 §3): hours beyond it are not part of the convention.
    """
    errors = {}
    if day is not None and day > today:
        errors["day"] = _("Coaching hours cannot be recorded for a future date (%(day)s): record them once given.") % {
            "day": day.isoformat()}
    elif day is not None and conclusion_date is not None and day < conclusion_date:
        errors["day"] = _("Coaching hours cannot precede the conclusion of the convention.")
    if hours is not None:
        if hours <= 0:
            errors["hours"] = _("Enter a number of hours above zero.")
        elif other_hours + hours > planned_hours:
            errors["hours"] = _(
                "With these hours the convention would total %(total)s hours, above the %(planned)s hours its plan "
                "fixes (%(left)s left). Source: %(source)s."
            ) % {"total": _plain(other_hours + hours), "planned": planned_hours,
                 "left": _plain(max(Decimal("0"), planned_hours - other_hours)), "source": p.PLANNED_HOURS_SOURCE}
    if errors:
        raise ValidationError(errors)


def tier_reached(hours_done, *, on: date) -> dict:
    """The form B tier and amount the hours recorded so far reach (AR 23/09/2004 art. 3): what the plan's
    progress stands for, shown next to the tier fixed at signing; it follows every correction of the hours."""
    tier = form_b_tier(hours_done, on=on)
    amount = {1: p.TIER_1_AMOUNT, 2: p.TIER_2_AMOUNT}.get(tier)
    return {"tier": tier, "amount": amount.at(on) if amount else None,
            "next_hours": {0: p.TIER_1_HOURS.at(on), 1: p.TIER_2_HOURS.at(on)}.get(tier)}


def missing_plan_elements(plan) -> list:
    """The required plan elements (seed 003) not ticked in ``plan`` (a mapping of element → bool)."""
    return [element for element in REQUIRED_PLAN_ELEMENTS if not plan.get(element)]


def split_by_shares(amount, shares):
    """Split ``amount`` by the partners' shares; the parts always add up to it (DOMAIN.md §5 [interp])."""
    return money.split_by_shares(amount, shares)


ROUNDING_LINE = {
    "name": "rounding", "value": "half_up_largest_share", "since": "",
    "source": p.INTERPRETATION, "interpretation": True,
}


@dataclass(frozen=True)
class Assessment:
    """What signing decides: the rule version, the agreed amount and the advance per partner."""

    rule_version: str
    tier: int
    agreed: Decimal
    advance: Decimal
    advance_parts: list
    parameters: list


def assess(*, planned_hours, partners, on: date) -> Assessment:
    """The agreed amount and the 50 % advance split by the partners' shares."""
    partners = list(partners)
    version = rule_version(on=on)
    agreed = agreed_amount(planned_hours, on=on)
    share_lines = check_shares(partners, on=on)
    advance = advance_amount(agreed.amount, on=on)
    parts = split_by_shares(advance.amount, [partner.share for partner in partners])
    validator = p.METHODOLOGY_VALIDATOR.in_force(on)
    lines = agreed.parameters + advance.parameters + share_lines + [used(validator), ROUNDING_LINE]
    return Assessment(version.value, form_b_tier(planned_hours, on=on), agreed.amount, advance.amount, parts, lines)


@dataclass(frozen=True)
class Settlement:
    """What closing decides: the final amount and the balance per partner (final part − advance part)."""

    final: Decimal
    balance: Decimal
    final_parts: list
    balance_parts: list
    parameters: list


def settle(*, agreed, advance_parts, shares, outcome, on: date) -> Settlement:
    advance = sum(advance_parts, Decimal("0.00"))
    final = final_amount(agreed=agreed, advance=advance, outcome=outcome, on=on)
    final_parts = list(advance_parts) if outcome == ConventionStatus.STOPPED else split_by_shares(final.amount, shares)
    balance_parts = [final_part - advance_part for final_part, advance_part in zip(final_parts, advance_parts,
                                                                                    strict=True)]
    return Settlement(final.amount, final.amount - advance, final_parts, balance_parts, final.parameters)
