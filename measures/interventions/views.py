"""Pages of the financial interventions. Views parse, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cpas_portal.concurrency import form_status, save_or_refuse_stale
from cpas_portal.pagination import CappedPaginator
from cpas_portal.tenancy import can_write, current_membership, member_required, require_write

from . import rules, selectors, services
from .forms import HireFilterForm, HireForm, PaymentForm

PAGE_SIZE = 25


def _save_with_service(form, write):
    try:
        return save_or_refuse_stale(form, write)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@member_required
def intervention_list(request):
    membership = current_membership(request)
    filters = HireFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    hires = selectors.hire_list(cpas=membership.cpas, programme=data.get("programme", ""),
                                state=data.get("state", ""), search=data.get("q", ""), on=timezone.localdate())
    page = CappedPaginator(hires, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "interventions/list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "can_edit": can_write(membership, "measures")},
        status=200 if filters.is_valid() else 400)


@member_required
@require_http_methods(["GET", "POST"])
def intervention_create(request):
    require_write(request, "measures")
    cpas = current_membership(request).cpas
    beneficiary = request.GET.get("beneficiary", "")
    form = HireForm(request.POST or None, cpas=cpas,
                    initial={"beneficiary": beneficiary if beneficiary.isdigit() else None})
    if request.method == "POST" and form.is_valid():
        hire = _save_with_service(form, lambda: services.hire_create(
            acting_user=request.user, cpas=cpas, **form.cleaned_data))
        if hire:
            messages.success(request, _("Hire recorded."))
            return redirect("intervention_detail", pk=hire.pk)
    return render(request, "interventions/form.html", {"form": form, "creating": True},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def intervention_edit(request, pk):
    require_write(request, "measures")
    cpas = current_membership(request).cpas
    hire = selectors.hire_get(cpas=cpas, pk=pk)
    form = HireForm(request.POST or None, instance=hire, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        saved = _save_with_service(form, lambda: services.hire_update(
            acting_user=request.user, hire=hire, **form.cleaned_data))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("intervention_detail", pk=saved.pk)
    return render(request, "interventions/form.html", {"form": form, "hire": hire},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def intervention_detail(request, pk):
    """The hire and its monthly payments; a POST records a month's payment on its supporting document."""
    membership = current_membership(request)
    hire = selectors.hire_get(cpas=membership.cpas, pk=pk)
    form = PaymentForm(request.POST or None, initial={"document_kind": hire.supporting_document})
    if request.method == "POST":
        require_write(request, "payments")
        if form.is_valid() and _save_with_service(form, lambda: services.payment_record(
                acting_user=request.user, hire=hire, **form.cleaned_data)):
            messages.success(request, _("Payment recorded."))
            return redirect("intervention_detail", pk=hire.pk)
    interim_last_day = None
    if hire.programme == rules.INTERIM:
        interim_last_day = rules.interim_last_day(services.interim_first_day(
            selectors.hire_list(cpas=membership.cpas, beneficiary=hire.beneficiary)))
    return render(request, "interventions/detail.html", {
        "hire": hire, "payments": selectors.hire_payments(hire), "form": form,
        "interim_last_day": interim_last_day,
        "can_edit": can_write(membership, "measures"), "can_pay": can_write(membership, "payments"),
    }, status=form_status(request, form))
