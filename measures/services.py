"""Every write of the measures app: atomic, validated, attributed to the acting user."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cpas_portal.bulk_history import CHANGED, update_with_history
from cpas_portal.concurrency import bump_version
from cpas_portal.dated import NotInForce
from cpas_portal.models import OrganisationKind
from cpas_portal.months import add_months

from . import parameters as p
from . import rules
from .explain import money
from .minimum_wage import MinimumWageTable
from .models import (
    AmountTable,
    Art61Premium,
    FirmEmployment,
    MonthlySubsidy,
    Placement,
    PlacementPay,
    PlacementStatus,
    Scheme,
    SocialEconomyBudget,
    TableConfirmation,
    Workplace,
)
from .ris import RisTable

PLACEMENT_FIELDS = (
    "beneficiary", "workplace", "organisation", "concluded_on", "start", "planned_end", "actual_end", "regime",
    "counts_as_full_time", "scheme", "trial", "cooperation_convention_date", "se_convention_date",
    "se_staff_count", "se_staff_not_reduced", "se_new_additional_job", "se_no_service_vouchers",
)
ORGANISATION_KINDS = {
    Workplace.PRIVATE_FIRM: {OrganisationKind.PRIVATE_FIRM},
    Workplace.SOCIAL_ECONOMY: {OrganisationKind.SOCIAL_ECONOMY},
    Workplace.OTHER_USER: {OrganisationKind.NON_PROFIT, OrganisationKind.PUBLIC_BODY,
                           OrganisationKind.COACHING_PARTNER, OrganisationKind.EMPLOYMENT_OFFICE},
}
SOCIAL_ECONOMY_CONDITIONS = ("se_convention_date", "se_staff_count", "se_staff_not_reduced",
                             "se_new_additional_job", "se_no_service_vouchers")


# Placements ----------------------------------------------------------------------------------------

def _check_placement(placement):
    errors = {}
    cpas_id = placement.cpas_id
    if placement.beneficiary_id and placement.beneficiary.cpas_id != cpas_id:
        errors["beneficiary"] = _("The beneficiary must belong to your CPAS.")
    organisation = placement.organisation
    if organisation is not None and organisation.cpas_id != cpas_id:
        errors["organisation"] = _("The organisation must belong to your CPAS.")
    elif placement.workplace == Workplace.CPAS and organisation is not None:
        errors["organisation"] = _("A placement at the CPAS itself has no user organisation.")
    elif placement.workplace in ORGANISATION_KINDS:
        if organisation is None:
            errors["organisation"] = _("Choose the user organisation.")
        elif organisation.kind not in ORGANISATION_KINDS[placement.workplace]:
            errors["organisation"] = _("This organisation is a %(kind)s, which does not match the workplace.") % {
                "kind": organisation.get_kind_display()}
    if placement.regime is not None and placement.regime >= 1 and not placement.counts_as_full_time:
        errors["counts_as_full_time"] = _("A full regime always counts as full-time.")
    _check_dates(placement, errors)
    if placement.trial and "start" not in errors:
        _check_trial(placement, errors)
    if placement.scheme == Scheme.SOCIAL_ECONOMY:
        _check_social_economy(placement, errors)
    if placement.cooperation_convention_date and placement.workplace != Workplace.PRIVATE_FIRM:
        errors["cooperation_convention_date"] = _("A cooperation convention is for a placement at a private firm.")
    if errors:
        raise ValidationError(errors)


def _check_dates(placement, errors):
    """A placement starts under the law of 2002 and lasts at most what opening unemployment rights needs."""
    if not placement.start:
        return
    try:
        longest = p.PLACEMENT_MAX_MONTHS.in_force(placement.start)
    except NotInForce:
        errors["start"] = _("An art. 60 §7 placement under these rules starts on or after %(day)s.") % {
            "day": p.LAW_IN_FORCE.isoformat()}
        return
    try:
        add_months(placement.start, longest.value + 1)
        latest = add_months(placement.start, longest.value) - timedelta(days=1)
    except (ValueError, OverflowError):
        errors["start"] = _("This start date is too far in the future.")
        return
    for name in ("planned_end", "actual_end"):
        end = getattr(placement, name)
        if end is not None and end > latest:
            errors[name] = _("A placement lasts at most %(months)s months (the time needed to open unemployment "
                             "rights, %(source)s): end on %(latest)s at the latest.") % {
                "months": longest.value, "source": longest.source, "latest": latest.isoformat()}


def _check_trial(placement, errors):
    if placement.workplace != Workplace.PRIVATE_FIRM:
        errors["trial"] = _("Only a placement at a private firm may serve as a trial period.")
        return
    if not (placement.start and placement.planned_end):
        return
    shortest, longest = p.TRIAL_MIN_MONTHS.at(placement.start), p.TRIAL_MAX_MONTHS.at(placement.start)
    earliest = add_months(placement.start, shortest) - timedelta(days=1)
    latest = add_months(placement.start, longest) - timedelta(days=1)
    if not earliest <= placement.planned_end <= latest:
        errors["planned_end"] = _("A trial at a private firm lasts from %(min)s to %(max)s months: end between "
                                  "%(earliest)s and %(latest)s.") % {
            "min": shortest, "max": longest, "earliest": earliest.isoformat(), "latest": latest.isoformat()}


def _check_social_economy(placement, errors):
    """Conditions of the increased subsidy (circular of 15 March 2013)."""
    organisation = placement.organisation
    if placement.workplace != Workplace.SOCIAL_ECONOMY:
        errors["scheme"] = _("The increased subsidy is only for a placement at a social-economy initiative.")
    elif organisation is not None and not organisation.recognised:
        errors["organisation"] = _("The increased subsidy needs a recognised social-economy initiative.")
    for name in SOCIAL_ECONOMY_CONDITIONS:
        if getattr(placement, name) in (None, False):
            errors[name] = _("Required for the increased subsidy (circular of 15 March 2013).")
    _check_not_already_art60(placement, errors)


def _check_not_already_art60(placement, errors):
    """New jobs, not replacements (circular of 15 March 2013): the person must not already be employed
    under art. 60 §7. Read from the placements this CPAS recorded for the person (approved or ended,
    normal subsidy, held the day before the new contract starts or during it), whatever the
    declaration says; the declaration only adds what the application does not hold."""
    if not (placement.beneficiary_id and placement.start and placement.planned_end):
        return
    recorded = Placement.objects.filter(
        cpas_id=placement.cpas_id, beneficiary__niss=placement.beneficiary.niss, scheme=Scheme.NORMAL,
        status__in=rules.ACTIVE_STATUSES).exclude(pk=placement.pk)
    others = [(other.pk, other.start, other.end) for other in recorded]
    held = rules.art60_held_before(placement.start, placement.end, others)
    if held:
        errors["beneficiary"] = _(
            "This person is already employed under art. 60 §7 (placement %(ids)s): the increased subsidy is only "
            "for a new job, not for a worker already placed (circular of 15 March 2013).") % {
            "ids": ", ".join(str(pk) for pk in held)}


def _transition(placement, status):
    if status not in rules.ALLOWED_TRANSITIONS[placement.status]:
        raise ValidationError({"status": _("A placement cannot go from %(old)s to %(new)s.") % {
            "old": placement.get_status_display(), "new": PlacementStatus(status).label}})
    placement.status = status


def _save(instance, acting_user):
    instance.full_clean()
    instance._history_user = acting_user
    instance.save()
    return instance


def _pay_check(gross_monthly_pay):
    if gross_monthly_pay is None or Decimal(gross_monthly_pay) <= 0:
        raise ValidationError({"gross_monthly_pay": _("Enter the gross monthly pay.")})


def _wage_cost_check(gross_monthly_pay, gross_wage_cost):
    """The gross wage cost is the gross pay plus the employer's costs: never below the pay."""
    if gross_wage_cost is None:
        return
    if gross_monthly_pay is not None and Decimal(gross_wage_cost) < Decimal(gross_monthly_pay):
        raise ValidationError({"gross_wage_cost": _(
            "The gross wage cost includes the gross pay: it cannot be below it (%(pay)s).") % {
            "pay": money(gross_monthly_pay)}})


KEEP = object()
"""Default of an optional argument of an update: leave the stored value as it is."""


@transaction.atomic
def placement_create(*, acting_user, cpas, gross_monthly_pay, gross_wage_cost=None, **data) -> Placement:
    _pay_check(gross_monthly_pay)
    _wage_cost_check(gross_monthly_pay, gross_wage_cost)
    placement = Placement(cpas=cpas, **{key: data[key] for key in PLACEMENT_FIELDS if key in data})
    if placement.concluded_on is None:
        placement.concluded_on = placement.start
    _check_placement(placement)
    _save(placement, acting_user)
    _save(PlacementPay(placement=placement, effective_date=placement.start, gross_monthly_pay=gross_monthly_pay,
                       gross_wage_cost=gross_wage_cost), acting_user)
    subsidies_regenerate(acting_user=acting_user, placement=placement)
    return placement


@transaction.atomic
def placement_update(*, acting_user, placement, gross_monthly_pay=None, gross_wage_cost=KEEP, version=None,
                     **data) -> Placement:
    """Change a placement; ``version`` is the one the edit was loaded from (a stale one is refused)."""
    placement = Placement.objects.select_for_update(of=("self",)).select_related("beneficiary", "organisation").get(
        pk=placement.pk)
    bump_version(placement, version)
    if placement.status not in (PlacementStatus.DRAFT, PlacementStatus.APPROVED):
        raise ValidationError({"status": _("An ended or cancelled placement cannot be changed.")})
    new_beneficiary = data.get("beneficiary")
    if (new_beneficiary is not None and new_beneficiary.pk != placement.beneficiary_id
            and placement.status != PlacementStatus.DRAFT):
        # Its months (and claims) are the person's: another person needs a placement of their own.
        raise ValidationError({"beneficiary": _("The person of an approved placement cannot be changed.")})
    for key in PLACEMENT_FIELDS:
        if key in data:
            setattr(placement, key, data[key])
    if placement.concluded_on is None:
        placement.concluded_on = placement.start
    _check_placement(placement)
    _save(placement, acting_user)
    if gross_monthly_pay is not None:
        _pay_check(gross_monthly_pay)
        first = placement.pay_changes.order_by("effective_date").first()
        wage_cost = (first.gross_wage_cost if first is not None else None) if gross_wage_cost is KEEP \
            else gross_wage_cost
        _wage_cost_check(gross_monthly_pay, wage_cost)
        for earlier in placement.pay_changes.filter(effective_date__lt=placement.start):
            earlier._history_user = acting_user
            earlier.delete()
        first = placement.pay_changes.order_by("effective_date").first()
        if first is None or first.effective_date != placement.start:
            first = PlacementPay(placement=placement, effective_date=placement.start)
        first.gross_monthly_pay, first.gross_wage_cost = gross_monthly_pay, wage_cost
        _save(first, acting_user)
    _regenerate_and_check(acting_user, placement)
    return placement


def _lock_for_pay(placement, field="effective_date"):
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status not in (PlacementStatus.DRAFT, PlacementStatus.APPROVED):
        raise ValidationError({field: _("An ended or cancelled placement cannot be changed.")})
    bump_version(placement)
    return placement


def _check_pay_period(placement, effective_date, gross_monthly_pay, gross_wage_cost):
    errors = {}
    if effective_date is None or not placement.start <= effective_date <= placement.end:
        errors["effective_date"] = _("The date must fall within the contract (%(start)s – %(end)s).") % {
            "start": placement.start.isoformat(), "end": placement.end.isoformat()}
    if gross_monthly_pay is None or gross_monthly_pay < 0:
        errors["gross_monthly_pay"] = _("The gross pay cannot be negative.")
    elif gross_wage_cost is not None and gross_monthly_pay == 0 and gross_wage_cost > 0:
        errors["gross_wage_cost"] = _("An unpaid absence has no wage cost: leave it empty.")
    else:
        try:
            _wage_cost_check(gross_monthly_pay, gross_wage_cost)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def placement_pay_set(*, acting_user, placement, effective_date, gross_monthly_pay,
                      gross_wage_cost=None) -> PlacementPay:
    """A pay period from ``effective_date`` (any day; 0 for an unpaid absence) to the day before the next one;
    replaces the period starting on the same day. Unclaimed months are recomputed."""
    placement = _lock_for_pay(placement)
    _check_pay_period(placement, effective_date, gross_monthly_pay, gross_wage_cost)
    pay = placement.pay_changes.filter(effective_date=effective_date).first() or PlacementPay(
        placement=placement, effective_date=effective_date)
    pay.gross_monthly_pay, pay.gross_wage_cost = gross_monthly_pay, gross_wage_cost
    _save(pay, acting_user)
    _regenerate_and_check(acting_user, placement)
    # Months already claimed are never rewritten: their difference is regularised on the next claim.
    from .regularisations import regularisations_after_pay_change

    regularisations_after_pay_change(acting_user=acting_user, placement=placement, pay=pay)
    return pay


@transaction.atomic
def placement_pay_update(*, acting_user, pay, effective_date, gross_monthly_pay, gross_wage_cost=None) -> PlacementPay:
    """Correct a pay period; the one starting on the contract's first day keeps that date."""
    placement = _lock_for_pay(pay.placement)
    pay = placement.pay_changes.get(pk=pay.pk)
    _check_pay_period(placement, effective_date, gross_monthly_pay, gross_wage_cost)
    if pay.effective_date == placement.start and effective_date != placement.start:
        raise ValidationError({"effective_date": _(
            "The first pay period starts with the contract (%(start)s).") % {"start": placement.start.isoformat()}})
    if placement.pay_changes.filter(effective_date=effective_date).exclude(pk=pay.pk).exists():
        raise ValidationError({"effective_date": _("Another pay period already starts on this day.")})
    pay.effective_date, pay.gross_monthly_pay, pay.gross_wage_cost = effective_date, gross_monthly_pay, gross_wage_cost
    _save(pay, acting_user)
    _regenerate_and_check(acting_user, placement)
    return pay


@transaction.atomic
def placement_pay_delete(*, acting_user, pay) -> None:
    """Remove a pay period: the previous one runs on. The period at the contract's start stays."""
    placement = _lock_for_pay(pay.placement, field="pay")
    pay = placement.pay_changes.get(pk=pay.pk)
    if pay.effective_date <= placement.start:
        raise ValidationError({"pay": _("The pay period at the start of the contract cannot be removed: "
                                        "change its amount instead.")})
    pay._history_user = acting_user
    pay.delete()
    _regenerate_and_check(acting_user, placement)


def _regenerate_and_check(acting_user, placement):
    subsidies_regenerate(acting_user=acting_user, placement=placement)
    if placement.status == PlacementStatus.APPROVED and placement.scheme == Scheme.SOCIAL_ECONOMY:
        _check_budget(placement)


@transaction.atomic
def placement_approve(*, acting_user, placement) -> Placement:
    """Approve a placement; one under the increased subsidy must fit the CPAS's budget of every year it spans."""
    placement = Placement.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=placement.pk)
    _transition(placement, PlacementStatus.APPROVED)
    bump_version(placement)
    if placement.scheme == Scheme.SOCIAL_ECONOMY:
        errors = {}
        # Re-read at approval: another placement of the person may have been approved since.
        _check_not_already_art60(placement, errors)
        if errors:
            raise ValidationError(errors)
        _check_budget(placement)
    placement.approved_at, placement.approved_by = timezone.now(), acting_user
    return _save(placement, acting_user)


@transaction.atomic
def placement_end(*, acting_user, placement, actual_end) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _transition(placement, PlacementStatus.ENDED)
    bump_version(placement)
    if actual_end is None or actual_end < placement.start:
        raise ValidationError({"actual_end": _("The end cannot be before the start.")})
    if actual_end > placement.planned_end:
        # A longer contract is a change of the planned end, which is checked against the budget.
        raise ValidationError({"actual_end": _(
            "The contract cannot end after its planned end: change the planned end first.")})
    placement.actual_end = actual_end
    _save(placement, acting_user)
    subsidies_regenerate(acting_user=acting_user, placement=placement)
    return placement


@transaction.atomic
def placement_cancel(*, acting_user, placement) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _transition(placement, PlacementStatus.CANCELLED)
    bump_version(placement)
    _save(placement, acting_user)
    subsidies_regenerate(acting_user=acting_user, placement=placement)
    return placement


# Monthly subsidies -------------------------------------------------------------------------------

def _terms(placement):
    return rules.PlacementTerms(
        key=placement.pk, region=placement.cpas.region, start=placement.start, end=placement.end,
        birth_date=placement.beneficiary.birth_date, counts_as_full_time=placement.counts_as_full_time,
        regime=placement.regime, scheme=placement.scheme,
        pay=tuple((pay.effective_date, pay.gross_monthly_pay, pay.gross_wage_cost)
                  for pay in placement.pay_changes.all()),
        concluded_on=placement.concluded_on,
    )


def _person_placements(placement):
    """Every placement of this person at this CPAS but the cancelled ones, with their pay periods."""
    return list(
        Placement.objects.filter(cpas_id=placement.cpas_id, beneficiary__niss=placement.beneficiary.niss)
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related("cpas", "beneficiary").prefetch_related("pay_changes").order_by("start", "pk")
    )


def compute_schedule(placement):
    """What the monthly subsidies of ``placement`` should be now: ``{month: rules.MonthlySubsidy}``.

    A pure function of the person's placements at this CPAS, their pay periods and the amount tables;
    it writes nothing and ignores what was claimed, so it gives the "should be" amount of a claimed
    month as well as of an open one. A cancelled placement has no month.
    """
    group = _person_placements(placement)
    schedule = rules.subsidy_schedule([_terms(member) for member in group], ris_lookup=RisTable(),
                                      minimum_wage_lookup=MinimumWageTable())
    return {line.month: line for line in schedule.get(placement.pk, [])}


def compute_month(placement, month):
    """The should-be subsidy of ``placement`` for the calendar month of ``month`` (``None`` outside the contract)."""
    return compute_schedule(placement).get(rules.first_of_month(month))


def unconfirmed_rows(reasons):
    """``table@row date`` of each amount table the line used past its confirmed date."""
    return ",".join(f"{reason.params['table']}@{reason.params['since']}" for reason in reasons
                    if reason.code == "not_confirmed")


def subsidies_regenerate(*, acting_user, placement):
    """Recompute the monthly lines of every placement of this person at this CPAS; claimed lines stay as they are.

    Together because the part-time credit and the combination of part-time placements are counted
    per (CPAS, person); a cancelled placement keeps only its claimed lines.
    """
    group = _person_placements(placement)
    schedule = rules.subsidy_schedule([_terms(member) for member in group], ris_lookup=RisTable(),
                                      minimum_wage_lookup=MinimumWageTable())
    existing = defaultdict(dict)
    for line in MonthlySubsidy.objects.filter(placement__in=[placement.pk, *[m.pk for m in group]]):
        existing[line.placement_id][line.month] = line
    by_pk = {member.pk: member for member in group}
    create, update, delete = [], [], []
    for pk in {placement.pk, *by_pk}:
        computed = {line.month: line for line in schedule.get(pk, [])}
        for month, line in existing[pk].items():
            if not line.claimed and month not in computed:
                delete.append(line.pk)
        for month, result in computed.items():
            line = existing[pk].get(month)
            if line is not None and line.claimed:
                continue
            if line is None:
                member = by_pk[pk]
                line = MonthlySubsidy(cpas_id=member.cpas_id, placement_id=pk, beneficiary_id=member.beneficiary_id,
                                      month=month)
                create.append(line)
            else:
                update.append(line)
            line.beneficiary_id = by_pk.get(pk, placement).beneficiary_id
            line.amount, line.scheme, line.legal_basis = result.amount, result.scheme, result.legal_basis
            line.rule_set, line.days_covered, line.days_in_month = (result.rule_set, result.days_covered,
                                                                    result.days_in_month)
            line.gross_pay, line.counts_against_budget = result.gross_pay, result.counts_against_budget
            line.unconfirmed_rows = unconfirmed_rows(result.reasons)
            line.explanation = [reason.as_json() for reason in result.reasons]
            line.computed_at = timezone.now()
    if delete:
        MonthlySubsidy.objects.filter(pk__in=delete, claimed_at__isnull=True).delete()
    if create:
        bulk_create_with_history(create, MonthlySubsidy, default_user=acting_user)
    if update:
        bulk_update_with_history(update, MonthlySubsidy, [
            "beneficiary", "amount", "scheme", "legal_basis", "rule_set", "days_covered", "days_in_month", "gross_pay",
            "counts_against_budget", "unconfirmed_rows", "explanation", "computed_at"], default_user=acting_user)


@transaction.atomic
def monthly_subsidies_freeze(*, acting_user, lines, reference, only_open=False):
    """Mark ``lines`` as claimed under ``reference``: from now on regeneration never rewrites them.

    ``only_open``: leave out the lines already claimed or gone instead of refusing them (a claim freezing what
    it gathered). Returns the keys of the lines frozen."""
    return _freeze(MonthlySubsidy, lines, reference, acting_user, only_open=only_open)


@transaction.atomic
def art61_premiums_freeze(*, acting_user, premiums, reference, only_open=False):
    """Mark ``premiums`` as claimed under ``reference`` (``only_open``: as for the monthly subsidies)."""
    return _freeze(Art61Premium, premiums, reference, acting_user, only_open=only_open)


@transaction.atomic
def monthly_subsidies_release(*, acting_user, lines):
    """The claim of ``lines`` was cancelled or rejected: they are open again (and may be recomputed)."""
    return _release(MonthlySubsidy, lines, acting_user)


@transaction.atomic
def art61_premiums_release(*, acting_user, premiums):
    return _release(Art61Premium, premiums, acting_user)


def _release(model, rows, acting_user):
    pks = [getattr(row, "pk", row) for row in rows]
    locked = list(model.objects.select_for_update().filter(pk__in=pks, claimed_at__isnull=False).order_by("pk")
                  .values_list("pk", flat=True))
    return _set_claim(model.objects.filter(pk__in=locked), None, "", acting_user)


def _freeze(model, rows, reference, acting_user, *, only_open=False):
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the claim reference.")})
    pks = [getattr(row, "pk", row) for row in rows]
    has_amount = any(field.name == "amount" for field in model._meta.concrete_fields)
    if only_open:
        # One statement finds, locks and freezes the open rows (one claimed in between is left out) and writes their
        # history; the database refuses a row without an amount (constraint "claimed has amount").
        try:
            with transaction.atomic():
                return _set_claim(model.objects.filter(pk__in=pks, claimed_at__isnull=True), timezone.now(),
                                  reference, acting_user)
        except IntegrityError:
            raise ValidationError({"lines": _("A line without an amount cannot be claimed.")}) from None
    # The rows are locked in the order of their keys and checked as values: a model instance per row is not
    # needed to know whether it exists, is claimed or has an amount.
    locked = list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list(
        "pk", "claimed_at", *(["amount"] if has_amount else [])))
    if len(locked) != len(set(pks)):
        raise ValidationError({"lines": _("Some lines no longer exist.")})
    if any(row[1] is not None for row in locked):
        raise ValidationError({"lines": _("Some lines are already claimed.")})
    if has_amount and any(row[2] is None for row in locked):
        raise ValidationError({"lines": _("A line without an amount cannot be claimed.")})
    return _set_claim(model.objects.filter(pk__in=[row[0] for row in locked]), timezone.now(), reference, acting_user)


def _set_claim(rows, claimed_at, reference, acting_user):
    """Set the claim of the rows of the queryset ``rows`` and write their history with who and when, in one
    statement on PostgreSQL (an instance or a historical instance per row took seconds for 5,000 months).
    Returns their keys."""
    return update_with_history(rows, values={"claimed_at": claimed_at, "claim_reference": reference},
                               history_type=CHANGED, user=acting_user)


# Social-economy budget -----------------------------------------------------------------------------

def committed_in_year(cpas_id, year, *, exclude_placement=None, cpas_created_only=False):
    """What approved placements under the increased subsidy take from the budget of ``year``."""
    lines = MonthlySubsidy.objects.filter(
        cpas_id=cpas_id, month__year=year, counts_against_budget=True, amount__isnull=False,
        placement__status__in=rules.ACTIVE_STATUSES)
    if exclude_placement is not None:
        lines = lines.exclude(placement_id=exclude_placement)
    if cpas_created_only:
        lines = lines.filter(placement__organisation__created_by_cpas=True)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def _check_budget(placement):
    """Refuse, with the figures, a placement that would overrun the budget or the quarter for the CPAS's own
    initiatives. The budget rows are locked, so two approvals at the same moment are checked one after the other."""
    lines = list(placement.monthly_subsidies.filter(counts_against_budget=True))
    if any(line.amount is None for line in lines):
        raise ValidationError(_("Some months cannot be computed (a parameter is missing): the placement cannot be "
                                "checked against the budget."))
    requested = defaultdict(lambda: Decimal("0.00"))
    for line in lines:
        requested[line.month.year] += line.amount
    if not requested:
        return
    budgets = {budget.year: budget for budget in SocialEconomyBudget.objects.select_for_update().filter(
        cpas_id=placement.cpas_id, year__in=requested).order_by("year")}
    errors = []
    created_by_cpas = bool(placement.organisation and placement.organisation.created_by_cpas)
    for year in sorted(requested):
        budget = budgets.get(year)
        if budget is None:
            errors.append(_("No social-economy budget is recorded for %(year)s.") % {"year": year})
            continue
        checks = rules.budget_checks(
            year=year, granted=budget.granted_amount,
            committed=committed_in_year(placement.cpas_id, year, exclude_placement=placement.pk),
            requested=requested[year], created_by_cpas=created_by_cpas,
            committed_cpas_created=committed_in_year(placement.cpas_id, year, exclude_placement=placement.pk,
                                                     cpas_created_only=True) if created_by_cpas else Decimal("0"),
            on=date(year, 1, 1))
        errors += [_budget_message(check) for check in checks if check.overrun]
    if errors:
        raise ValidationError(errors)


def _budget_message(check):
    figures = {"year": check.year, "limit": money(check.limit), "granted": money(check.granted),
               "committed": money(check.committed), "requested": money(check.requested),
               "overrun": money(check.overrun)}
    if check.share_limited:
        return _("Budget %(year)s: initiatives created by the CPAS may use at most a quarter of the budget of "
                 "%(granted)s, %(limit)s; already committed to them %(committed)s, this placement needs "
                 "%(requested)s: %(overrun)s too much.") % figures
    return _("Budget %(year)s: %(granted)s granted, %(committed)s already committed, this placement needs "
             "%(requested)s: %(overrun)s over the budget.") % figures


@transaction.atomic
def budgets_allocate(*, acting_user, year, envelope, reimbursed, source):
    """Set every CPAS's budget of ``year`` from the national envelope (``reimbursed``: CPAS → amounts of the
    reference years). Refused when a CPAS has already committed more than its new budget."""
    allocation = rules.allocate_budgets(envelope, reimbursed, on=date(year, 1, 1))
    existing = {budget.cpas_id: budget for budget in SocialEconomyBudget.objects.select_for_update().filter(
        year=year, cpas__in=[row.key for row in allocation]).order_by("cpas_id")}
    too_low = []
    for row in allocation:
        committed = committed_in_year(row.key.pk, year)
        if committed > row.amount:
            too_low.append(_("%(cpas)s: %(committed)s already committed, more than the new budget %(amount)s.")
                           % {"cpas": row.key, "committed": money(committed), "amount": money(row.amount)})
    if too_low:
        raise ValidationError({"envelope": too_low})
    saved = []
    for row in allocation:
        budget = existing.get(row.key.pk) or SocialEconomyBudget(cpas=row.key, year=year)
        budget.granted_amount, budget.source = row.amount, source[:250]
        saved.append(_save(budget, acting_user))
    return saved


# Art. 61 tutoring premium --------------------------------------------------------------------------

FIRM_EMPLOYMENT_FIELDS = ("beneficiary", "organisation", "cooperation_convention_date", "start", "end", "regime")


def _check_firm_employment(employment):
    errors = {}
    if employment.beneficiary_id and employment.beneficiary.cpas_id != employment.cpas_id:
        errors["beneficiary"] = _("The beneficiary must belong to your CPAS.")
    organisation = employment.organisation if employment.organisation_id else None
    if organisation is not None and organisation.cpas_id != employment.cpas_id:
        errors["organisation"] = _("The organisation must belong to your CPAS.")
    elif organisation is not None and organisation.kind != OrganisationKind.PRIVATE_FIRM:
        errors["organisation"] = _("The employer must be a private firm (not a non-profit): this organisation is a "
                                   "%(kind)s.") % {"kind": organisation.get_kind_display()}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def firm_employment_create(*, acting_user, cpas, **data) -> FirmEmployment:
    """Record that a beneficiary is hired by a private firm with a cooperation convention (art. 61)."""
    employment = FirmEmployment(cpas=cpas, created_by=acting_user,
                                **{key: data[key] for key in FIRM_EMPLOYMENT_FIELDS if key in data})
    _check_firm_employment(employment)
    return _save(employment, acting_user)


@transaction.atomic
def firm_employment_update(*, acting_user, employment, **data) -> FirmEmployment:
    employment = FirmEmployment.objects.select_for_update().get(pk=employment.pk)
    premiums = list(employment.art61_premiums.order_by("month"))
    if premiums and "beneficiary" in data and data["beneficiary"].pk != employment.beneficiary_id:
        raise ValidationError({"beneficiary": _("Premiums are recorded for this employment: its person stays.")})
    for key in FIRM_EMPLOYMENT_FIELDS:
        if key in data:
            setattr(employment, key, data[key])
    _check_firm_employment(employment)
    if premiums and (employment.start > premiums[0].month.replace(day=28)
                     or (employment.end and employment.end < premiums[-1].month)):
        raise ValidationError({"start": _("Premiums are recorded from %(first)s to %(last)s: the employment must "
                                          "cover those months.") % {"first": premiums[0].month.strftime("%m/%Y"),
                                                                    "last": premiums[-1].month.strftime("%m/%Y")}})
    return _save(employment, acting_user)


@transaction.atomic
def art61_premium_record(*, acting_user, month, supervision_costs, training_costs, placement=None,
                         firm_employment=None) -> Art61Premium:
    """Record the premium of ``month`` for an art. 60 §7 placement at a private firm or an employment by the
    firm itself (exactly one); training costs above the cap carry over to the next premium."""
    if (placement is None) == (firm_employment is None):
        raise ValidationError({"placement": _("Choose either the placement or the employment by the firm.")})
    month = rules.first_of_month(month)
    if placement is not None:
        employment = Placement.objects.select_for_update(of=("self",)).select_related("organisation").get(
            pk=placement.pk)
        if employment.status not in rules.ACTIVE_STATUSES:
            raise ValidationError({"placement": _("Approve the placement before recording a premium.")})
        has_convention = employment.cooperation_convention_date is not None
        end = employment.end
    else:
        employment = FirmEmployment.objects.select_for_update(of=("self",)).select_related("organisation").get(
            pk=firm_employment.pk)
        has_convention = True
        end = employment.end
    if month < rules.first_of_month(employment.start) or (end is not None and month > end):
        raise ValidationError({"month": _("The month is outside the contract (%(start)s – %(end)s).") % {
            "start": employment.start.isoformat(), "end": end.isoformat() if end else "…"}})
    previous = list(employment.art61_premiums.order_by("month"))
    if previous and month <= previous[-1].month:
        raise ValidationError({"month": _("Premiums are recorded month after month: the last one is for %(month)s.")
                               % {"month": previous[-1].month.strftime("%m/%Y")}})
    organisation = employment.organisation
    carried_in = previous[-1].carried_over if previous else Decimal("0")
    try:
        decision = rules.art61_premium(
            month=month, employment_start=employment.start, regime=employment.regime,
            organisation_kind=organisation.kind if organisation else None,
            has_cooperation_convention=has_convention,
            supervision_costs=supervision_costs or Decimal("0"), training_costs=training_costs or Decimal("0"),
            carried_in=carried_in, previous_grants=len(previous))
    except rules.RuleRefusal as refusal:
        raise ValidationError({refusal.field: refusal.message}) from None
    premium = Art61Premium(
        cpas_id=employment.cpas_id, placement=employment if placement is not None else None,
        firm_employment=employment if firm_employment is not None else None,
        beneficiary_id=employment.beneficiary_id, month=month,
        supervision_costs=supervision_costs or Decimal("0"), training_costs=training_costs or Decimal("0"),
        carried_in=carried_in, granted_amount=decision.granted,
        carried_over=decision.carried_over, grant_number=decision.grant_number, legal_basis=p.AR_ART61,
        explanation=[reason.as_json() for reason in decision.reasons], created_by=acting_user)
    return _save(premium, acting_user)


# Amount tables -------------------------------------------------------------------------------------

@transaction.atomic
def table_confirm(*, acting_user, table, confirmed_up_to, note=""):
    """An administrator confirms that ``table`` holds every row in force up to ``confirmed_up_to``: the months
    up to then are no longer "not confirmed", and claims holding them may be signed."""
    if table not in AmountTable.values:
        raise ValidationError({"table": _("Unknown amount table.")})
    if confirmed_up_to is None:
        raise ValidationError({"confirmed_up_to": _("Give the date up to which the table is confirmed.")})
    confirmation = TableConfirmation.objects.select_for_update().filter(table=table).first() or TableConfirmation(
        table=table)
    confirmation.confirmed_up_to, confirmation.note = confirmed_up_to, (note or confirmation.note)[:250]
    confirmation.confirmed_by, confirmation.confirmed_at = acting_user, timezone.now()
    _save(confirmation, acting_user)
    # Open lines marked for this table are recomputed: those now confirmed lose the mark.
    marked = MonthlySubsidy.objects.filter(unconfirmed_rows__contains=f"{table}@", claimed_at__isnull=True,
                                           month__lte=confirmed_up_to)
    for placement in Placement.objects.filter(pk__in=marked.values("placement_id")).select_related("beneficiary"):
        subsidies_regenerate(acting_user=acting_user, placement=placement)
    return confirmation
