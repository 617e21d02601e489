"""The writes (services) of regularisations: a retroactive change recomputes the months already claimed.

When an administrator adds, corrects or removes a row of a national table (RIS amounts, RMMMG) or a pay
period is entered late, every month of the persons concerned is computed again with the same pure
computation as the monthly subsidies (:func:`recomputed_months`, the one place to swap it):

- a month not yet claimed simply takes the new amount (the usual regeneration);
- a month already claimed is never edited: the difference between the new amount and what was claimed
  for it so far becomes a pending :class:`~measures.models.Regularisation`, claimed on the next claim.
  No record when the difference is zero; a second change updates the month's pending regularisation.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from cpas_portal.money import eur

from . import rules
from .explain import money
from .minimum_wage import MinimumWageTable
from .models import MonthlySubsidy, Placement, PlacementStatus, Regularisation
from .ris import RisTable

RIS_TABLE, MINIMUM_WAGE_TABLE, PAY = "ris", "minimum_wage", "pay"
ADDED, CORRECTED, REMOVED = "added", "corrected", "removed"

REASONS = {
    RIS_TABLE: gettext_lazy("Integration income amounts in force from %(since)s %(change)s after the month was "
                            "claimed."),
    MINIMUM_WAGE_TABLE: gettext_lazy("Guaranteed average minimum monthly wage in force from %(since)s %(change)s "
                                     "after the month was claimed."),
    PAY: gettext_lazy("Gross pay from %(since)s entered after the month was claimed."),
}
CHANGES = {ADDED: gettext_lazy("added"), CORRECTED: gettext_lazy("corrected"), REMOVED: gettext_lazy("removed")}
TABLES = {RIS_TABLE: gettext_lazy("integration income amounts"),
          MINIMUM_WAGE_TABLE: gettext_lazy("guaranteed average minimum monthly wage"),
          PAY: gettext_lazy("gross pay of placement %(placement)s")}


def _day(value):
    try:
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return value


def reason(table, since, change=ADDED):
    """A stored reason: which table changed, from which day, how."""
    return {"table": table, "since": since.isoformat(), "change": change}


def row(table, instance, values, **extra):
    """A stored description of a table row involved: its table, date and amounts at the time of the change."""
    return {"table": table, "id": instance.pk, "effective_date": instance.effective_date.isoformat(),
            "values": [str(value) for value in values], **extra}


def render_reason(stored):
    return str(REASONS[stored["table"]]) % {"since": _day(stored["since"]),
                                            "change": CHANGES.get(stored.get("change"), "")}


def render_row(stored):
    table = str(TABLES[stored["table"]]) % {"placement": stored.get("placement", "")}
    values = " / ".join(money(value) for value in stored.get("values", []))
    return _("%(table)s from %(since)s: %(values)s") % {"table": table, "since": _day(stored["effective_date"]),
                                                         "values": values}


def recomputed_months(group, *, ris_lookup, minimum_wage_lookup):
    """``{(placement pk, month): computed month}`` of a (CPAS, person) group with today's tables.

    The same pure computation the monthly subsidies use (see ``services.subsidies_regenerate``).
    """
    from .services import _terms

    schedule = rules.subsidy_schedule([_terms(member) for member in group], ris_lookup=ris_lookup,
                                      minimum_wage_lookup=minimum_wage_lookup)
    return {(line.key, line.month): line for lines in schedule.values() for line in lines}


def _group(cpas_id, niss):
    return list(
        Placement.objects.filter(cpas_id=cpas_id, beneficiary__niss=niss).exclude(status=PlacementStatus.CANCELLED)
        .select_related("cpas", "beneficiary").prefetch_related("pay_changes").order_by("start", "pk")
    )


def _merged(existing, new):
    return existing + [entry for entry in new if entry not in existing]


@transaction.atomic
def regularisations_record(*, acting_user, placement, reasons, rows, ris_lookup=None, minimum_wage_lookup=None):
    """Recompute the claimed months of the person of ``placement`` at its CPAS and record their differences.

    Returns the pending regularisations created or updated. The claimed months and the regularisations of
    the group are locked, so a claim being made at the same moment sees them before or after, never half.
    """
    group = _group(placement.cpas_id, placement.beneficiary.niss)
    months = list(MonthlySubsidy.objects.select_for_update().filter(placement__in=[m.pk for m in group])
                  .order_by("pk"))
    regularisations = list(Regularisation.objects.select_for_update().filter(placement__in=[m.pk for m in group])
                           .order_by("pk"))
    claimed_before = defaultdict(Decimal)
    pending = {}
    for regularisation in regularisations:
        if regularisation.claimed:
            claimed_before[regularisation.subsidy_id] += regularisation.difference
        else:
            pending[regularisation.subsidy_id] = regularisation
    # A month whose claim was cancelled or rejected is open again: it will simply take the new amount.
    stale = [pending.pop(month.pk).pk for month in months if not month.claimed and month.pk in pending]
    claimed = [month for month in months if month.claimed]
    if stale:
        Regularisation.objects.filter(pk__in=stale, claimed_at__isnull=True).delete()
    if not claimed:
        return []
    computed = recomputed_months(group, ris_lookup=ris_lookup or RisTable(),
                                 minimum_wage_lookup=minimum_wage_lookup or MinimumWageTable())
    by_pk = {member.pk: member for member in group}
    recorded, created, drop = [], [], []
    for month in claimed:
        result = computed.get((month.placement_id, month.month))
        if result is None or result.amount is None:
            # No longer a month of the contract, or a parameter is missing: nothing can be recomputed.
            continue
        so_far = eur(month.amount + claimed_before[month.pk])
        difference = eur(result.amount - so_far)
        regularisation = pending.get(month.pk)
        if difference == 0:
            if regularisation is not None:
                drop.append(regularisation.pk)
            continue
        if regularisation is None:
            regularisation = Regularisation(
                cpas_id=month.cpas_id, placement_id=month.placement_id,
                beneficiary_id=by_pk[month.placement_id].beneficiary_id, subsidy=month, month=month.month,
                created_by=acting_user)
            created.append(regularisation)
        regularisation.scheme = result.scheme
        regularisation.claimed_amount, regularisation.recomputed_amount = so_far, result.amount
        regularisation.difference = difference
        regularisation.reasons = _merged(regularisation.reasons or [], reasons)
        regularisation.rows = _merged(regularisation.rows or [], rows)
        regularisation.explanation = [reason_.as_json() for reason_ in result.reasons]
        regularisation.full_clean(exclude=["cpas", "placement", "beneficiary", "subsidy", "created_by"],
                                  validate_constraints=False)
        if regularisation.pk:
            regularisation._history_user = acting_user
            regularisation.save()
        recorded.append(regularisation)
    if drop:
        Regularisation.objects.filter(pk__in=drop, claimed_at__isnull=True).delete()
    if created:
        bulk_create_with_history(created, Regularisation, default_user=acting_user)
    return recorded


@transaction.atomic
def regularisations_after_table_change(*, acting_user, table, since, change, rows):
    """A row of a national table (``RIS_TABLE`` or ``MINIMUM_WAGE_TABLE``) in force from ``since`` was added,
    corrected or removed: every person with a month from then on is computed again — months not yet
    claimed are regenerated, months claimed get their regularisation. Returns the regularisations recorded.
    """
    from .services import subsidies_regenerate

    groups = (MonthlySubsidy.objects.filter(month__gte=rules.first_of_month(since))
              .values_list("cpas_id", "beneficiary__niss").distinct().order_by("cpas_id", "beneficiary__niss"))
    ris_lookup, minimum_wage_lookup = RisTable(), MinimumWageTable()
    recorded = []
    for cpas_id, niss in list(groups):
        placement = (Placement.objects.filter(cpas_id=cpas_id, beneficiary__niss=niss)
                     .select_related("beneficiary").order_by("start", "pk").first())
        subsidies_regenerate(acting_user=acting_user, placement=placement)
        recorded += regularisations_record(acting_user=acting_user, placement=placement,
                                           reasons=[reason(table, since, change)], rows=rows,
                                           ris_lookup=ris_lookup, minimum_wage_lookup=minimum_wage_lookup)
    return recorded


def regularisations_after_pay_change(*, acting_user, placement, pay):
    """A pay period entered (or corrected) for months already claimed: their regularisations."""
    return regularisations_record(
        acting_user=acting_user, placement=placement, reasons=[reason(PAY, pay.effective_date)],
        rows=[row(PAY, pay, [pay.gross_monthly_pay], placement=placement.pk)])


# Claims ----------------------------------------------------------------------------------------

@transaction.atomic
def regularisations_freeze(*, acting_user, claimed, reference):
    """Mark the regularisations of ``claimed`` (``{pk: signed amount on the claim}``) as claimed under ``reference``.

    Refused when one changed since the claim read it (a table changed at that moment): the claim is then
    made again with the new figures rather than with stale ones.
    """
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the claim reference.")})
    locked = list(Regularisation.objects.select_for_update().filter(pk__in=list(claimed)).order_by("pk"))
    if len(locked) != len(claimed):
        raise ValidationError({"lines": _("Some regularisations no longer exist: make the claim again.")})
    if any(regularisation.claimed for regularisation in locked):
        raise ValidationError({"lines": _("Some regularisations are already claimed.")})
    if any(regularisation.difference != claimed[regularisation.pk] for regularisation in locked):
        raise ValidationError({"lines": _("A regularisation changed while the claim was made: make the claim "
                                          "again.")})
    now = timezone.now()
    Regularisation.objects.filter(pk__in=[r.pk for r in locked]).update(claimed_at=now, claim_reference=reference)
    for regularisation in locked:
        regularisation.claimed_at, regularisation.claim_reference = now, reference
    Regularisation.history.bulk_history_create(locked, update=True, default_user=acting_user)
    return locked


@transaction.atomic
def regularisations_release(*, acting_user, regularisations):
    """The claim holding them was cancelled or rejected: pending again, for the next claim.

    When the month got a new pending regularisation in the meantime, the two are one difference again.
    """
    pks = [getattr(item, "pk", item) for item in regularisations]
    locked = list(Regularisation.objects.select_for_update().filter(pk__in=pks, claimed_at__isnull=False)
                  .order_by("pk"))
    newer = {regularisation.subsidy_id: regularisation for regularisation in Regularisation.objects
             .select_for_update().filter(subsidy__in=[r.subsidy_id for r in locked], claimed_at__isnull=True)}
    released = []
    for regularisation in locked:
        later = newer.get(regularisation.subsidy_id)
        if later is None:
            released.append(regularisation)
            continue
        later.difference = eur(later.difference + regularisation.difference)
        later.claimed_amount = eur(later.claimed_amount - regularisation.difference)
        later.reasons = _merged(regularisation.reasons, later.reasons)
        later.rows = _merged(regularisation.rows, later.rows)
        regularisation._history_user = later._history_user = acting_user
        regularisation.delete()
        if later.difference == 0:
            later.delete()
        else:
            later.save()
    Regularisation.objects.filter(pk__in=[r.pk for r in released]).update(claimed_at=None, claim_reference="")
    for regularisation in released:
        regularisation.claimed_at, regularisation.claim_reference = None, ""
    Regularisation.history.bulk_history_create(released, update=True, default_user=acting_user)
    return released
