"""Reads of the measures app, always starting from the user's CPAS."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from cpas_portal import due_cache
from cpas_portal.aggregates import built_once, child_sum
from cpas_portal.compiled import compiled
from cpas_portal.models import Organisation
from cpas_portal.pagination import first_page_with_count
from cpas_portal.tenancy import compiled_get_or_404, get_in_cpas_or_404, scoped

from . import rules
from .models import (
    Art61Premium,
    FirmEmployment,
    MonthlySubsidy,
    Placement,
    PlacementPay,
    Regularisation,
    SocialEconomyBudget,
)


@built_once
def _list_totals():
    return {"subsidy_total": child_sum(MonthlySubsidy.objects.all(), "placement", "amount"),
            "contract_end": Coalesce("actual_end", "planned_end")}


def placement_list(*, cpas, status="", search="", organisation_id=None, period_from=None, period_until=None):
    """The placements of ``cpas``; ``period_from``/``period_until``: those whose contract overlaps that period."""
    queryset = scoped(Placement.objects.select_related("beneficiary", "organisation"), cpas).annotate(
        **_list_totals())
    if status:
        queryset = queryset.filter(status=status)
    if organisation_id:
        queryset = queryset.filter(organisation_id=organisation_id)
    if period_from:
        queryset = queryset.filter(contract_end__gte=period_from)
    if period_until:
        queryset = queryset.filter(start__lte=period_until)
    for word in (search or "").split():
        queryset = queryset.filter(Q(beneficiary__last_name__icontains=word)
                                   | Q(beneficiary__first_name__icontains=word)
                                   | Q(organisation__name__icontains=word))
    return queryset.order_by("-start", "-id")


def placement_rows(*, cpas, order, fields, **filters):
    """The rows of :func:`placement_list` with only ``fields``, in ``order``."""
    return placement_list(cpas=cpas, **filters).only(*fields).order_by(*order)


@compiled
def placement_first_page(cpas_id, *, order, fields, per_page):
    """The placement list as it opens (no filter): its first ``per_page`` rows (:func:`placement_rows`), each with
    the list's capped count (``pagination.first_page_with_count``). One query compiled once per process for each
    order."""
    return first_page_with_count(placement_rows(cpas=cpas_id, order=order, fields=fields), per_page)


@compiled
def _placement_in(cpas_id, pk):
    return Placement.objects.select_related("cpas", "beneficiary", "organisation", "approved_by").filter(
        cpas_id=cpas_id, pk=pk)


def placement_get(*, cpas, pk):
    return compiled_get_or_404(_placement_in, cpas, pk)


def placement_subsidies(placement):
    return placement.monthly_subsidies.order_by("month")


def placement_pay_periods(placement):
    """The pay periods of ``placement``, each with ``until``: the day before the next one, or the contract's end."""
    periods = list(placement.pay_changes.order_by("effective_date"))
    for period, following in zip(periods, [*periods[1:], None], strict=True):
        period.until = following.effective_date - timedelta(days=1) if following else placement.end
    return periods


def placement_pay_get(placement, pk):
    return get_object_or_404(placement.pay_changes.all(), pk=pk)


def placement_pay_history(placement, limit=50):
    """Who added, changed or removed which pay period, and when (removed periods included)."""
    return PlacementPay.history.filter(placement_id=placement.pk).select_related("history_user").order_by(
        "-history_date", "-history_id")[:limit]


def placement_premiums(placement):
    return placement.art61_premiums.order_by("month")


def subsidy_list(*, cpas):
    return scoped(MonthlySubsidy.objects.select_related("beneficiary", "placement"), cpas).order_by(
        "month", "placement_id")


def premium_list(*, cpas):
    return scoped(Art61Premium.objects.select_related("beneficiary", "placement", "firm_employment"), cpas).order_by(
        "month", "placement_id", "firm_employment_id")


def placement_employers(*, cpas):
    """The organisations of ``cpas`` that host at least one placement (the list's employer filter)."""
    return scoped(Organisation.objects.all(), cpas).filter(placements__isnull=False).distinct().order_by("name", "id")


def firm_employment_employers(*, cpas):
    return scoped(Organisation.objects.all(), cpas).filter(firm_employments__isnull=False).distinct().order_by(
        "name", "id")


def employer_choices(*, cpas, of):
    """The employer filter's (id, name) pairs: ``of`` is "placements" or "firm_employments". Kept until the next
    write in the CPAS, like the home pages' items (``cpas_portal/due_cache.py``): finding the few organisations
    among thousands of placements costs a page more than a millisecond, and they change only with a write."""
    employers = {"placements": placement_employers, "firm_employments": firm_employment_employers}[of]
    return due_cache.remembered(page=f"employers-of-{of}", cpas_id=cpas.pk, parts=(), read=lambda: list(
        employers(cpas=cpas).values_list("pk", "name")))


def firm_employment_list(*, cpas, search="", organisation_id=None, period_from=None, period_until=None):
    queryset = scoped(FirmEmployment.objects.select_related("beneficiary", "organisation"), cpas).annotate(
        premium_total=child_sum(Art61Premium.objects.all(), "firm_employment", "granted_amount"))
    if organisation_id:
        queryset = queryset.filter(organisation_id=organisation_id)
    if period_from:
        queryset = queryset.filter(Q(end__isnull=True) | Q(end__gte=period_from))
    if period_until:
        queryset = queryset.filter(start__lte=period_until)
    for word in (search or "").split():
        queryset = queryset.filter(Q(beneficiary__last_name__icontains=word)
                                   | Q(beneficiary__first_name__icontains=word)
                                   | Q(organisation__name__icontains=word))
    return queryset.order_by("-start", "-id")


def firm_employment_get(*, cpas, pk):
    return get_in_cpas_or_404(FirmEmployment.objects.select_related("cpas", "beneficiary", "organisation"), cpas,
                              pk=pk)


def firm_employment_premiums(employment):
    return employment.art61_premiums.order_by("month")


REGULARISATION_STATES = ("pending", "claimed", "all")


def regularisation_list(*, cpas, state="pending"):
    """Regularisations of ``cpas``: pending (not claimed yet, the default), claimed, or all."""
    queryset = scoped(Regularisation.objects.select_related("beneficiary", "placement", "created_by"), cpas)
    if state == "pending":
        queryset = queryset.filter(claimed_at__isnull=True)
    elif state == "claimed":
        queryset = queryset.filter(claimed_at__isnull=False)
    return queryset.order_by("month", "beneficiary__last_name", "placement_id", "id")


def regularisation_totals(*, cpas):
    """Count and sum of the pending regularisations of ``cpas``."""
    return scoped(Regularisation.objects, cpas).filter(claimed_at__isnull=True).aggregate(
        count=Count("id"), total=Sum("difference"))


def budget_list(*, cpas):
    return scoped(SocialEconomyBudget.objects.select_related("cpas"), cpas).order_by("-year")


def budget_get(*, cpas, pk):
    return get_in_cpas_or_404(SocialEconomyBudget.objects.select_related("cpas"), cpas, pk=pk)


def reimbursable_subsidy_lines(*, cpas, start, end, include_claimed=False):
    """Monthly subsidies of approved (or ended) placements of ``cpas`` for the months from ``start`` to ``end``.

    Each line carries its CPAS, beneficiary, month, amount, legal basis and scheme; lines whose amount
    cannot be computed are left out. Unclaimed lines only, unless ``include_claimed``.
    """
    lines = MonthlySubsidy.objects.filter(
        cpas=cpas, month__gte=rules.first_of_month(start), month__lte=end, amount__isnull=False,
        placement__status__in=rules.ACTIVE_STATUSES,
    ).select_related("cpas", "beneficiary", "placement", "placement__organisation")
    if not include_claimed:
        lines = lines.filter(claimed_at__isnull=True)
    return lines.order_by("month", "beneficiary__last_name", "placement_id")


def reimbursable_art61_premiums(*, cpas, start, end, include_claimed=False):
    """Art. 61 premiums of ``cpas`` for the months from ``start`` to ``end`` (unclaimed unless ``include_claimed``)."""
    premiums = Art61Premium.objects.filter(
        cpas=cpas, month__gte=rules.first_of_month(start), month__lte=end,
    ).select_related("cpas", "beneficiary", "placement", "placement__organisation", "firm_employment",
                     "firm_employment__organisation")
    if not include_claimed:
        premiums = premiums.filter(claimed_at__isnull=True)
    return premiums.order_by("month", "beneficiary__last_name", "placement_id", "firm_employment_id")


@dataclass
class BudgetMonth:
    month: date
    consumed: Decimal = Decimal("0.00")
    forecast: Decimal = Decimal("0.00")
    cumulative: Decimal = Decimal("0.00")

    @property
    def past(self):
        return self.forecast == 0


@dataclass
class BudgetOverview:
    year: int
    budget: SocialEconomyBudget | None
    months: list = field(default_factory=list)
    cpas_created: Decimal = Decimal("0.00")

    @property
    def granted(self):
        return self.budget.granted_amount if self.budget else None

    @property
    def consumed(self):
        return sum((month.consumed for month in self.months), Decimal("0.00"))

    @property
    def forecast(self):
        return self.consumed + sum((month.forecast for month in self.months), Decimal("0.00"))

    @property
    def remaining(self):
        return None if self.budget is None else self.granted - self.forecast

    @property
    def quarter_limit(self):
        from cpas_portal.money import eur

        from . import parameters as p

        return None if self.budget is None else eur(self.granted * p.CPAS_CREATED_INITIATIVES_SHARE.at(
            date(self.year, 12, 31)))


# Social-economy budgets exist from the circular of 15/03/2013; a far year is a typing error.
BUDGET_YEARS = (2013, 2100)


def budget_overview(*, cpas, year, today):
    """The year's social-economy budget of ``cpas``: consumed (months up to ``today``'s), forecast to December
    from the approved placements, and the share taken by initiatives created by the CPAS."""
    budget = scoped(SocialEconomyBudget.objects.all(), cpas).filter(year=year).first()
    months = {month: BudgetMonth(month) for month in rules.months_between(date(year, 1, 1), date(year, 12, 31))}
    rows = scoped(MonthlySubsidy.objects, cpas).filter(
        month__year=year, counts_against_budget=True, amount__isnull=False,
        placement__status__in=rules.ACTIVE_STATUSES,
    ).values("month", "placement__organisation__created_by_cpas").annotate(total=Sum("amount"))
    overview = BudgetOverview(year, budget)
    current = rules.first_of_month(today)
    for row in rows:
        target = months[row["month"]]
        if row["month"] <= current:
            target.consumed += row["total"]
        else:
            target.forecast += row["total"]
        if row["placement__organisation__created_by_cpas"]:
            overview.cpas_created += row["total"]
    running = Decimal("0.00")
    for month in months.values():
        running += month.consumed + month.forecast
        month.cumulative = running
    overview.months = list(months.values())
    return overview


@built_once
def _placement_totals():
    subsidies = MonthlySubsidy.objects.all()
    return {"subsidy_total": child_sum(subsidies, "placement", "amount", default=Decimal("0.00")),
            "subsidy_claimed": child_sum(subsidies.filter(claimed_at__isnull=False), "placement", "amount",
                                         default=Decimal("0.00")),
            "premium_total": child_sum(Art61Premium.objects.all(), "placement", "granted_amount",
                                       default=Decimal("0.00"))}


@built_once
def _person_placements():
    return Placement.objects.select_related("organisation").annotate(**_placement_totals()).order_by("-start", "-id")


@compiled
def _placements_of(cpas_id, beneficiary_id):
    return _person_placements().filter(cpas_id=cpas_id, beneficiary_id=beneficiary_id)


def person_placements(*, beneficiary):
    """The art. 60 §7 placements of ``beneficiary``, newest first (a list), each with its subsidy months, subsidy
    total, the part already claimed, and its art. 61 premiums: one query, compiled once per process."""
    return _placements_of(beneficiary.cpas_id, beneficiary.pk)


@built_once
def _employment_totals():
    premiums = Art61Premium.objects.all()
    return {"premium_total": child_sum(premiums, "firm_employment", "granted_amount", default=Decimal("0.00")),
            "premium_claimed": child_sum(premiums.filter(claimed_at__isnull=False), "firm_employment",
                                         "granted_amount", default=Decimal("0.00"))}


@built_once
def _person_firm_employments():
    return (FirmEmployment.objects.select_related("organisation").annotate(**_employment_totals())
            .order_by("-start", "-id"))


@compiled
def _firm_employments_of(cpas_id, beneficiary_id):
    return _person_firm_employments().filter(cpas_id=cpas_id, beneficiary_id=beneficiary_id)


def person_firm_employments(*, beneficiary):
    """The person's employments by a private firm (a list) with their art. 61 premiums granted: one query, compiled
    once per process."""
    return _firm_employments_of(beneficiary.cpas_id, beneficiary.pk)
