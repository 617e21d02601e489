"""Every write of the measures app: atomic, validated, attributed to the acting user."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cpas_portal.models import OrganisationKind
from cpas_portal.months import add_months

from . import parameters as p
from . import rules
from .explain import money
from .minimum_wage import MinimumWageTable
from .models import (
    Art61Premium,
    MonthlySubsidy,
    Placement,
    PlacementPay,
    PlacementStatus,
    Scheme,
    SocialEconomyBudget,
    Workplace,
)
from .ris import RisTable

PLACEMENT_FIELDS = (
    "beneficiary", "workplace", "organisation", "start", "planned_end", "actual_end", "regime",
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
    if placement.trial:
        _check_trial(placement, errors)
    if placement.scheme == Scheme.SOCIAL_ECONOMY:
        _check_social_economy(placement, errors)
    if placement.cooperation_convention_date and placement.workplace != Workplace.PRIVATE_FIRM:
        errors["cooperation_convention_date"] = _("A cooperation convention is for a placement at a private firm.")
    if errors:
        raise ValidationError(errors)


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


@transaction.atomic
def placement_create(*, acting_user, cpas, gross_monthly_pay, **data) -> Placement:
    _pay_check(gross_monthly_pay)
    placement = Placement(cpas=cpas, **{key: data[key] for key in PLACEMENT_FIELDS if key in data})
    _check_placement(placement)
    _save(placement, acting_user)
    _save(PlacementPay(placement=placement, effective_date=placement.start, gross_monthly_pay=gross_monthly_pay),
          acting_user)
    subsidies_regenerate(acting_user=acting_user, placement=placement)
    return placement


@transaction.atomic
def placement_update(*, acting_user, placement, gross_monthly_pay=None, **data) -> Placement:
    placement = Placement.objects.select_for_update(of=("self",)).select_related("beneficiary", "organisation").get(
        pk=placement.pk)
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
    _check_placement(placement)
    _save(placement, acting_user)
    if gross_monthly_pay is not None:
        _pay_check(gross_monthly_pay)
        placement.pay_changes.filter(effective_date__lt=placement.start).delete()
        first = placement.pay_changes.order_by("effective_date").first()
        if first is None or first.effective_date != placement.start:
            first = PlacementPay(placement=placement, effective_date=placement.start)
        first.gross_monthly_pay = gross_monthly_pay
        _save(first, acting_user)
    _regenerate_and_check(acting_user, placement)
    return placement


@transaction.atomic
def placement_pay_set(*, acting_user, placement, effective_date, gross_monthly_pay) -> PlacementPay:
    """A change of the gross monthly pay from ``effective_date`` (0 for an unpaid absence)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status not in (PlacementStatus.DRAFT, PlacementStatus.APPROVED):
        raise ValidationError({"effective_date": _("An ended or cancelled placement cannot be changed.")})
    if not placement.start <= effective_date <= placement.end:
        raise ValidationError({"effective_date": _("The date must fall within the contract (%(start)s – %(end)s).")
                               % {"start": placement.start.isoformat(), "end": placement.end.isoformat()}})
    if gross_monthly_pay is None or gross_monthly_pay < 0:
        raise ValidationError({"gross_monthly_pay": _("The gross pay cannot be negative.")})
    pay = placement.pay_changes.filter(effective_date=effective_date).first() or PlacementPay(
        placement=placement, effective_date=effective_date)
    pay.gross_monthly_pay = gross_monthly_pay
    _save(pay, acting_user)
    _regenerate_and_check(acting_user, placement)
    # Months already claimed are never rewritten: their difference is regularised on the next claim.
    from .regularisations import regularisations_after_pay_change

    regularisations_after_pay_change(acting_user=acting_user, placement=placement, pay=pay)
    return pay


def _regenerate_and_check(acting_user, placement):
    subsidies_regenerate(acting_user=acting_user, placement=placement)
    if placement.status == PlacementStatus.APPROVED and placement.scheme == Scheme.SOCIAL_ECONOMY:
        _check_budget(placement)


@transaction.atomic
def placement_approve(*, acting_user, placement) -> Placement:
    """Approve a placement; one under the increased subsidy must fit the CPAS's budget of every year it spans."""
    placement = Placement.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=placement.pk)
    _transition(placement, PlacementStatus.APPROVED)
    if placement.scheme == Scheme.SOCIAL_ECONOMY:
        _check_budget(placement)
    placement.approved_at, placement.approved_by = timezone.now(), acting_user
    return _save(placement, acting_user)


@transaction.atomic
def placement_end(*, acting_user, placement, actual_end) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _transition(placement, PlacementStatus.ENDED)
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
    _save(placement, acting_user)
    subsidies_regenerate(acting_user=acting_user, placement=placement)
    return placement


# Monthly subsidies -------------------------------------------------------------------------------

def _terms(placement):
    return rules.PlacementTerms(
        key=placement.pk, region=placement.cpas.region, start=placement.start, end=placement.end,
        birth_date=placement.beneficiary.birth_date, counts_as_full_time=placement.counts_as_full_time,
        regime=placement.regime, scheme=placement.scheme,
        pay=tuple((pay.effective_date, pay.gross_monthly_pay) for pay in placement.pay_changes.all()),
    )


def subsidies_regenerate(*, acting_user, placement):
    """Recompute the monthly lines of every placement of this person at this CPAS; claimed lines stay as they are.

    Together because the part-time credit and the combination of part-time placements are counted
    per (CPAS, person); a cancelled placement keeps only its claimed lines.
    """
    group = list(
        Placement.objects.filter(cpas_id=placement.cpas_id, beneficiary__niss=placement.beneficiary.niss)
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related("cpas", "beneficiary").prefetch_related("pay_changes").order_by("start", "pk")
    )
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
            line.explanation = [reason.as_json() for reason in result.reasons]
            line.computed_at = timezone.now()
    if delete:
        MonthlySubsidy.objects.filter(pk__in=delete, claimed_at__isnull=True).delete()
    if create:
        bulk_create_with_history(create, MonthlySubsidy, default_user=acting_user)
    if update:
        bulk_update_with_history(update, MonthlySubsidy, [
            "beneficiary", "amount", "scheme", "legal_basis", "rule_set", "days_covered", "days_in_month", "gross_pay",
            "counts_against_budget", "explanation", "computed_at"], default_user=acting_user)


@transaction.atomic
def monthly_subsidies_freeze(*, acting_user, lines, reference):
    """Mark ``lines`` as claimed under ``reference``: from now on regeneration never rewrites them."""
    return _freeze(MonthlySubsidy, lines, reference, acting_user)


@transaction.atomic
def art61_premiums_freeze(*, acting_user, premiums, reference):
    """Mark ``premiums`` as claimed under ``reference``."""
    return _freeze(Art61Premium, premiums, reference, acting_user)


@transaction.atomic
def monthly_subsidies_release(*, acting_user, lines):
    """The claim of ``lines`` was cancelled or rejected: they are open again (and may be recomputed)."""
    return _release(MonthlySubsidy, lines, acting_user)


@transaction.atomic
def art61_premiums_release(*, acting_user, premiums):
    return _release(Art61Premium, premiums, acting_user)


def _release(model, rows, acting_user):
    pks = [getattr(row, "pk", row) for row in rows]
    locked = list(model.objects.select_for_update().filter(pk__in=pks, claimed_at__isnull=False).order_by("pk"))
    return _set_claim(model, locked, None, "", acting_user)


def _freeze(model, rows, reference, acting_user):
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the claim reference.")})
    pks = [getattr(row, "pk", row) for row in rows]
    locked = list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    if len(locked) != len(set(pks)):
        raise ValidationError({"lines": _("Some lines no longer exist.")})
    if any(row.claimed for row in locked):
        raise ValidationError({"lines": _("Some lines are already claimed.")})
    if any(getattr(row, "amount", 0) is None for row in locked):
        raise ValidationError({"lines": _("A line without an amount cannot be claimed.")})
    return _set_claim(model, locked, timezone.now(), reference, acting_user)


def _set_claim(model, rows, claimed_at, reference, acting_user):
    # One UPDATE for all rows (a per-row bulk_update of 5,000 claimed months took seconds), then their history.
    model.objects.filter(pk__in=[row.pk for row in rows]).update(claimed_at=claimed_at, claim_reference=reference)
    for row in rows:
        row.claimed_at, row.claim_reference = claimed_at, reference
    model.history.bulk_history_create(rows, update=True, default_user=acting_user)
    return rows


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
            on=placement.start)
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

@transaction.atomic
def art61_premium_record(*, acting_user, placement, month, supervision_costs, training_costs) -> Art61Premium:
    """Record the premium of ``month``; training costs above the cap carry over to the next premium."""
    placement = Placement.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=placement.pk)
    month = rules.first_of_month(month)
    if placement.status not in rules.ACTIVE_STATUSES:
        raise ValidationError({"placement": _("Approve the placement before recording a premium.")})
    if not rules.first_of_month(placement.start) <= month <= placement.end:
        raise ValidationError({"month": _("The month is outside the contract (%(start)s – %(end)s).") % {
            "start": placement.start.isoformat(), "end": placement.end.isoformat()}})
    previous = list(placement.art61_premiums.order_by("month"))
    if previous and month <= previous[-1].month:
        raise ValidationError({"month": _("Premiums are recorded month after month: the last one is for %(month)s.")
                               % {"month": previous[-1].month.strftime("%m/%Y")}})
    organisation = placement.organisation
    try:
        decision = rules.art61_premium(
            month=month, employment_start=placement.start, counts_as_full_time=placement.counts_as_full_time,
            regime=placement.regime, organisation_kind=organisation.kind if organisation else None,
            has_cooperation_convention=placement.cooperation_convention_date is not None,
            supervision_costs=supervision_costs or Decimal("0"), training_costs=training_costs or Decimal("0"),
            carried_in=previous[-1].carried_over if previous else Decimal("0"), previous_grants=len(previous))
    except rules.RuleRefusal as refusal:
        raise ValidationError({refusal.field: refusal.message}) from None
    premium = Art61Premium(
        cpas_id=placement.cpas_id, placement=placement, beneficiary_id=placement.beneficiary_id, month=month,
        supervision_costs=supervision_costs or Decimal("0"), training_costs=training_costs or Decimal("0"),
        carried_in=previous[-1].carried_over if previous else Decimal("0"), granted_amount=decision.granted,
        carried_over=decision.carried_over, grant_number=decision.grant_number, legal_basis=p.AR_ART61,
        explanation=[reason.as_json() for reason in decision.reasons], created_by=acting_user)
    return _save(premium, acting_user)
