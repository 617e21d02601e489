"""Pages of art. 60 §7 placements, art. 61 premiums and the social-economy budget.

Views parse, call one service or selector, render.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cpas_portal.concurrency import form_status, save_or_refuse_stale
from cpas_portal.listing import ordering, sort_queryset, sorting_asked
from cpas_portal.pagination import CappedPaginator, list_page
from cpas_portal.tenancy import can_write, current_membership, member_required, require_write

from . import rules, selectors, services
from .allocation import allocation_source, may_allocate, parse_reimbursed
from .chart import budget_chart
from .explain import month_table
from .forms import (
    Art61PremiumForm,
    BudgetAllocationForm,
    FirmEmploymentForm,
    ListFilterForm,
    PayChangeForm,
    PlacementEndForm,
    PlacementForm,
)
from .models import PlacementStatus

PAGE_SIZE = 25
# The columns the list's rows show (``{% placement_rows %}``): a page reads and compiles no other.
PLACEMENT_ROW_FIELDS = ("id", "cpas_id", "beneficiary", "beneficiary__first_name", "beneficiary__last_name",
                        "beneficiary__niss", "organisation", "organisation__name", "workplace", "start",
                        "planned_end", "actual_end", "regime", "scheme", "status")


def form_error(form, error):
    """A service's ValidationError on the form's fields (above the form for a field it does not have)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_with_service(form, write):
    try:
        return write()
    except ValidationError as error:
        form_error(form, error)
        return None


PLACEMENT_SORTS = {
    "beneficiary": ("beneficiary__last_name", "beneficiary__first_name", "id"),
    "workplace": ("organisation__name", "workplace", "id"),
    "start": ("start", "id"),
    "end": ("contract_end", "id"),
    "regime": ("regime", "id"),
    "scheme": ("scheme", "id"),
    "status": ("status", "id"),
    "subsidy": ("subsidy_total", "id"),
}


def _filter_query(request):
    """The list's filters as a query string (for the pagination links), without the page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@member_required
def placement_list(request):
    membership = current_membership(request)
    filters = ListFilterForm(request.GET, employers=selectors.employer_choices(cpas=membership.cpas, of="placements"),
                             statuses=PlacementStatus.choices)
    values, cpas = filters.values(), membership.cpas
    sorting = sorting_asked(request, PLACEMENT_SORTS, "-start")
    order = ordering(PLACEMENT_SORTS, sorting.param)
    page = list_page(
        request.GET.get("page"), PAGE_SIZE,
        whole=lambda: selectors.placement_rows(cpas=cpas, order=order, fields=PLACEMENT_ROW_FIELDS, **values),
        first=None if any(values.values()) else lambda: selectors.placement_first_page(
            cpas.pk, order=order, fields=PLACEMENT_ROW_FIELDS, per_page=PAGE_SIZE))
    return render(request, "measures/placement_list.html", {
        "page": page, "filters": filters, "sorting": sorting, "filtered": any(values.values()),
        "query": _filter_query(request), "can_edit": can_write(membership, "measures"),
    })


def _detail_context(request, placement, **forms):
    membership = current_membership(request)
    return {
        "placement": placement,
        "month_table": month_table(selectors.placement_subsidies(placement)),
        "pay_changes": selectors.placement_pay_periods(placement),
        "pay_history": selectors.placement_pay_history(placement),
        "premiums": selectors.placement_premiums(placement),
        "can_edit": can_write(membership, "measures"),
        "pay_form": forms.get("pay_form") or PayChangeForm(),
        "end_form": forms.get("end_form") or PlacementEndForm(initial={"actual_end": placement.planned_end}),
        "action_errors": forms.get("action_errors"),
    }


@member_required
def placement_detail(request, pk):
    placement = selectors.placement_get(cpas=current_membership(request).cpas, pk=pk)
    return render(request, "measures/placement_detail.html", _detail_context(request, placement))


@member_required
@require_http_methods(["GET", "POST"])
def placement_create(request):
    require_write(request, "measures")
    cpas = current_membership(request).cpas
    form = PlacementForm(request.POST or None, cpas=cpas, initial={"beneficiary": request.GET.get("beneficiary")})
    if request.method == "POST" and form.is_valid():
        placement = save_with_service(form, lambda: services.placement_create(
            acting_user=request.user, cpas=cpas, **form.cleaned_data))
        if placement:
            messages.success(request, _("Placement recorded."))
            return redirect("placement_detail", pk=placement.pk)
    return render(request, "measures/placement_form.html", {"form": form, "creating": True},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def placement_edit(request, pk):
    require_write(request, "measures")
    cpas = current_membership(request).cpas
    placement = selectors.placement_get(cpas=cpas, pk=pk)
    form = PlacementForm(request.POST or None, instance=placement, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.placement_update(
            acting_user=request.user, placement=placement, **form.cleaned_data)))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("placement_detail", pk=saved.pk)
    return render(request, "measures/placement_form.html", {"form": form, "placement": placement},
                  status=form_status(request, form))


def _action(request, pk, run):
    """A POST action on a placement; a refusal is shown on the detail page with status 400."""
    require_write(request, "measures")
    placement = selectors.placement_get(cpas=current_membership(request).cpas, pk=pk)
    try:
        message = run(placement)
    except ValidationError as error:
        context = _detail_context(request, placement, action_errors=error.messages)
        return render(request, "measures/placement_detail.html", context, status=400)
    messages.success(request, message)
    return redirect("placement_detail", pk=placement.pk)


@member_required
@require_POST
def placement_approve(request, pk):
    return _action(request, pk, lambda placement: services.placement_approve(
        acting_user=request.user, placement=placement) and _("Placement approved."))


@member_required
@require_POST
def placement_cancel(request, pk):
    return _action(request, pk, lambda placement: services.placement_cancel(
        acting_user=request.user, placement=placement) and _("Placement cancelled."))


def _detail_form_action(request, pk, form_class, form_key, write, success):
    """A form posted from the placement page: on success back to it, else the page with the form's errors."""
    require_write(request, "measures")
    placement = selectors.placement_get(cpas=current_membership(request).cpas, pk=pk)
    form = form_class(request.POST)
    if form.is_valid() and save_with_service(form, lambda: write(placement, form.cleaned_data)):
        messages.success(request, success)
        return redirect("placement_detail", pk=placement.pk)
    return render(request, "measures/placement_detail.html",
                  _detail_context(request, placement, **{form_key: form},
                                  action_errors=form.non_field_errors()), status=400)


@member_required
@require_POST
def placement_end(request, pk):
    return _detail_form_action(
        request, pk, PlacementEndForm, "end_form",
        lambda placement, data: services.placement_end(acting_user=request.user, placement=placement, **data),
        _("Placement ended."))


@member_required
@require_POST
def placement_pay(request, pk):
    return _detail_form_action(
        request, pk, PayChangeForm, "pay_form",
        lambda placement, data: services.placement_pay_set(acting_user=request.user, placement=placement, **data),
        _("Gross pay saved; the monthly subsidies are recomputed."))


@member_required
@require_http_methods(["GET", "POST"])
def placement_pay_edit(request, pk, pay_pk):
    require_write(request, "measures")
    placement = selectors.placement_get(cpas=current_membership(request).cpas, pk=pk)
    pay = selectors.placement_pay_get(placement, pay_pk)
    form = PayChangeForm(request.POST or None, initial={
        "effective_date": pay.effective_date, "gross_monthly_pay": pay.gross_monthly_pay,
        "gross_wage_cost": pay.gross_wage_cost})
    if request.method == "POST" and form.is_valid():
        saved = save_with_service(form, lambda: services.placement_pay_update(
            acting_user=request.user, pay=pay, **form.cleaned_data))
        if saved:
            messages.success(request, _("Pay period saved; the monthly subsidies are recomputed."))
            return redirect("placement_detail", pk=placement.pk)
    return render(request, "measures/pay_period_form.html", {"form": form, "placement": placement, "pay": pay},
                  status=form_status(request, form))


@member_required
@require_POST
def placement_pay_delete(request, pk, pay_pk):
    def delete(placement):
        services.placement_pay_delete(acting_user=request.user, pay=selectors.placement_pay_get(placement, pay_pk))
        return _("Pay period removed; the monthly subsidies are recomputed.")

    return _action(request, pk, delete)


@member_required
@require_http_methods(["GET", "POST"])
def art61_premium_create(request, pk):
    require_write(request, "measures")
    placement = selectors.placement_get(cpas=current_membership(request).cpas, pk=pk)
    form = Art61PremiumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        premium = save_with_service(form, lambda: services.art61_premium_record(
            acting_user=request.user, placement=placement, **form.cleaned_data))
        if premium:
            messages.success(request, _("Tutoring premium recorded."))
            return redirect("placement_detail", pk=placement.pk)
    return render(request, "measures/art61_form.html", {
        "form": form, "placement": placement, "premiums": selectors.placement_premiums(placement),
    }, status=form_status(request, form))


FIRM_EMPLOYMENT_SORTS = {
    "beneficiary": ("beneficiary__last_name", "beneficiary__first_name", "id"),
    "firm": ("organisation__name", "id"),
    "start": ("start", "id"),
    "end": ("end", "id"),
    "regime": ("regime", "id"),
    "premiums": ("premium_total", "id"),
}


@member_required
def firm_employment_list(request):
    membership = current_membership(request)
    filters = ListFilterForm(request.GET, employers=selectors.employer_choices(cpas=membership.cpas,
                                                                                  of="firm_employments"))
    values = filters.values()
    values.pop("status")
    employments, sorting = sort_queryset(request, selectors.firm_employment_list(cpas=membership.cpas, **values),
                                         FIRM_EMPLOYMENT_SORTS, "-start")
    page = CappedPaginator(employments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measures/firm_employment_list.html", {
        "page": page, "filters": filters, "sorting": sorting, "filtered": any(values.values()),
        "query": _filter_query(request), "can_edit": can_write(membership, "measures")})


@member_required
@require_http_methods(["GET", "POST"])
def firm_employment_create(request):
    require_write(request, "measures")
    cpas = current_membership(request).cpas
    form = FirmEmploymentForm(request.POST or None, cpas=cpas, initial={"beneficiary": request.GET.get("beneficiary")})
    if request.method == "POST" and form.is_valid():
        employment = save_with_service(form, lambda: services.firm_employment_create(
            acting_user=request.user, cpas=cpas, **form.cleaned_data))
        if employment:
            messages.success(request, _("Employment recorded."))
            return redirect("firm_employment_detail", pk=employment.pk)
    return render(request, "measures/firm_employment_form.html", {"form": form, "creating": True},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def firm_employment_edit(request, pk):
    require_write(request, "measures")
    cpas = current_membership(request).cpas
    employment = selectors.firm_employment_get(cpas=cpas, pk=pk)
    form = FirmEmploymentForm(request.POST or None, instance=employment, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        saved = save_with_service(form, lambda: services.firm_employment_update(
            acting_user=request.user, employment=employment, **form.cleaned_data))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("firm_employment_detail", pk=saved.pk)
    return render(request, "measures/firm_employment_form.html", {"form": form, "employment": employment},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def firm_employment_detail(request, pk):
    """The employment and its art. 61 premiums; a POST records the premium of a month."""
    membership = current_membership(request)
    employment = selectors.firm_employment_get(cpas=membership.cpas, pk=pk)
    form = Art61PremiumForm(request.POST or None)
    if request.method == "POST":
        require_write(request, "measures")
        if form.is_valid() and save_with_service(form, lambda: services.art61_premium_record(
                acting_user=request.user, firm_employment=employment, **form.cleaned_data)):
            messages.success(request, _("Tutoring premium recorded."))
            return redirect("firm_employment_detail", pk=employment.pk)
    return render(request, "measures/firm_employment_detail.html", {
        "employment": employment, "premiums": selectors.firm_employment_premiums(employment), "form": form,
        "can_edit": can_write(membership, "measures"),
    }, status=form_status(request, form))


@member_required
def budget_overview(request, year=None):
    membership = current_membership(request)
    today = timezone.localdate()
    year = year or today.year
    if not selectors.BUDGET_YEARS[0] <= year <= selectors.BUDGET_YEARS[1]:
        raise Http404(_("No budget year %(year)s.") % {"year": year})
    overview = selectors.budget_overview(cpas=membership.cpas, year=year, today=today)
    return render(request, "measures/budget.html", {
        "overview": overview, "chart": budget_chart(overview), "year": year,
        "can_allocate": may_allocate(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def budget_allocation(request):
    """Preview, then apply, every CPAS's budget of a year: administrators across CPAS only (no CPAS membership
    needed)."""
    if not may_allocate(request.user):
        raise PermissionDenied(_("The budgets of every CPAS are allocated by an administrator of the portal; your "
                                 "CPAS's budget is on the social-economy budget page."))
    form = BudgetAllocationForm(request.POST or None, request.FILES or None)
    preview, year = None, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        year = data["year"]
        try:
            reimbursed = parse_reimbursed(data["reimbursed_csv"], year=data["year"])
            source = allocation_source(year=data["year"], envelope=data["envelope"], on=timezone.localdate())
            if "apply" in request.POST:
                saved = services.budgets_allocate(acting_user=request.user, year=data["year"],
                                                  envelope=data["envelope"], reimbursed=reimbursed, source=source)
                messages.success(request, _("%(count)s budgets of %(year)s saved.") % {
                    "count": len(saved), "year": data["year"]})
                return redirect("budget_allocation")
            preview = rules.allocate_budgets(data["envelope"], reimbursed, on=date(data["year"], 12, 31))
            form = BudgetAllocationForm(initial={**data, "reimbursed_file": None})
        except ValidationError as error:
            form_error(form, error)
        except (ValueError, LookupError) as error:
            form.add_error(None, str(error))
    context = {"form": form, "preview": preview, "year": year,
               "preview_total": sum(row.amount for row in preview) if preview else None}
    return render(request, "measures/budget_allocation.html", context, status=form_status(request, form))


@member_required
def regularisation_list(request):
    cpas = current_membership(request).cpas
    state = request.GET.get("state", "pending")
    if state not in selectors.REGULARISATION_STATES:
        state = "pending"
    page = CappedPaginator(selectors.regularisation_list(cpas=cpas, state=state), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "measures/regularisation_list.html", {
        "page": page, "state": state, "totals": selectors.regularisation_totals(cpas=cpas),
    })
