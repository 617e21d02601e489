"""Pages of partnership conventions. Views parse, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cpas_portal.concurrency import StaleVersion, form_status, save_or_refuse_stale
from cpas_portal.listing import ordering, sorting_asked
from cpas_portal.pagination import list_page
from cpas_portal.tenancy import can_write, current_membership, member_required, require_write

from . import rules, selectors, services
from .forms import (
    CancelForm,
    CloseForm,
    ConventionFilterForm,
    ConventionForm,
    HoursCancelForm,
    HoursCorrectionForm,
    HoursForm,
    PartnerClaimForm,
    PartnerFormSet,
    PaymentPaidForm,
    SignForm,
    partner_initial,
)
from .rules import ConventionStatus

PAGE_SIZE = 25
# The columns the list's rows show (``{% convention_rows %}``): a page reads and compiles no other.
ROW_FIELDS = ("id", "cpas_id", "beneficiary", "beneficiary__first_name", "beneficiary__last_name",
              "beneficiary__niss", "conclusion_date", "planned_hours", "agreed_amount", "status")
# Columns of the list a user may sort on, and the ordering each stands for (ties broken by id).
SORT_COLUMNS = {
    "beneficiary": ("beneficiary__last_name", "beneficiary__first_name", "id"),
    "concluded": ("conclusion_date", "id"),
    "hours": ("hours_done", "id"),
    "agreed": ("agreed_amount", "id"),
    "status": ("status", "id"),
}
CASEWORK_AREA = "measures"
FINANCE_AREA = "payments"


def save_with_service(form, write):
    """Run ``write()``; a service's message lands on its form field, or above the form."""
    try:
        return write()
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, field_messages in errors.items():
            form.add_error(field if field in form.fields else None, field_messages)
        return None


@member_required
def convention_list(request):
    cpas = current_membership(request).cpas
    organisations = list(selectors.partner_organisations(cpas=cpas))
    filters = ConventionFilterForm(request.GET or None, organisations=organisations)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    sorting, today = sorting_asked(request, SORT_COLUMNS, "-concluded"), timezone.localdate()
    order = ordering(SORT_COLUMNS, sorting.param)
    page = list_page(
        request.GET.get("page"), PAGE_SIZE,
        whole=lambda: selectors.convention_rows(cpas=cpas, today=today, order=order, fields=ROW_FIELDS, **criteria),
        first=None if any(criteria.values()) else lambda: selectors.convention_first_page(
            cpas.pk, today, order=order, fields=ROW_FIELDS, per_page=PAGE_SIZE))
    page.object_list = selectors.with_partners(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(value for key, value in request.GET.items() if key not in ("page", "sort"))
    return render(request, "conventions/list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "sorting": sorting, "filtered": filtered,
        "can_create": can_write(current_membership(request), CASEWORK_AREA),
    })


@member_required
@require_http_methods(["GET", "POST"])
def convention_create(request):
    require_write(request, CASEWORK_AREA)
    cpas = current_membership(request).cpas
    organisations = list(selectors.partner_organisations(cpas=cpas))
    form = ConventionForm(request.POST or None, cpas=cpas, initial={"beneficiary": request.GET.get("beneficiary")})
    partners = PartnerFormSet(request.POST or None, prefix="partners", form_kwargs={"organisations": organisations})
    if request.method == "POST" and form.is_valid() & partners.is_valid():
        data = dict(form.cleaned_data)
        beneficiary = data.pop("beneficiary")
        convention = save_with_service(form, lambda: services.convention_create(
            acting_user=request.user, cpas=cpas, beneficiary=beneficiary, partners=partners.partners(), **data))
        if convention:
            messages.success(request, _("Draft convention created. Check it, then sign it."))
            return redirect("convention_detail", pk=convention.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "conventions/form.html", {"form": form, "partners": partners}, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def convention_edit(request, pk):
    cpas = current_membership(request).cpas
    convention = selectors.convention_get(cpas=cpas, pk=pk)
    require_write(request, CASEWORK_AREA)
    if not convention.is_draft:
        messages.error(request, _("Only a draft convention can be changed: signing froze its terms and amounts."))
        return redirect("convention_detail", pk=pk)
    organisations = list(selectors.partner_organisations(cpas=cpas))
    form = ConventionForm(request.POST or None, instance=convention, cpas=cpas)
    partners = PartnerFormSet(request.POST or None, prefix="partners", initial=partner_initial(convention),
                              form_kwargs={"organisations": organisations})
    if request.method == "POST" and form.is_valid() & partners.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.convention_update(
            acting_user=request.user, convention=convention, version=version, partners=partners.partners(),
            **data)))
        if saved:
            messages.success(request, _("Draft convention saved."))
            return redirect("convention_detail", pk=pk)
    status = 400 if request.method == "POST" and partners.total_error_count() else form_status(request, form)
    return render(request, "conventions/form.html", {"form": form, "partners": partners, "convention": convention},
                  status=status)


def _detail(request, convention, status=200, **forms):
    membership = current_membership(request)
    casework, finance = can_write(membership, CASEWORK_AREA), can_write(membership, FINANCE_AREA)
    page = selectors.convention_page(convention)
    hours = page["hours_done"]
    context = {
        "convention": convention,
        **page,
        "progress": min(100, int(hours * 100 / convention.planned_hours)) if convention.planned_hours else 0,
        "can_casework": casework,
        "can_finance": finance,
        "is_signed": convention.status == ConventionStatus.SIGNED,
        "is_draft": convention.status == ConventionStatus.DRAFT,
        "tier_reached": rules.tier_reached(hours, on=convention.conclusion_date) if convention.rule_version else None,
        "sign_blockers": selectors.sign_blockers(convention) if convention.is_draft else [],
        "sign_form": SignForm(initial={"version": convention.version}),
        "cancel_form": forms.get("cancel_form") or CancelForm(initial={"version": convention.version}),
        "hours_form": forms.get("hours_form") or HoursForm(convention=convention,
                                                           initial={"day": timezone.localdate()}),
        "close_form": forms.get("close_form") or CloseForm(),
        "paid_form": forms.get("paid_form") or PaymentPaidForm(initial={"paid_date": timezone.localdate()}),
        "paid_payment": forms.get("paid_payment"),
        "sign_errors": forms.get("sign_errors"),
    }
    return render(request, "conventions/detail.html", context, status=status)


@member_required
def convention_detail(request, pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    return _detail(request, convention)


@member_required
@require_POST
def convention_sign(request, pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, CASEWORK_AREA)
    form = SignForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        services.convention_sign(acting_user=request.user, convention=convention, version=version)
    except StaleVersion as error:
        convention.refresh_from_db()
        return _detail(request, convention, status=409, sign_errors=error.messages)
    except ValidationError as error:
        return _detail(request, convention, status=400, sign_errors=error.messages)
    messages.success(request, _("Convention signed: the advances are due to the partners."))
    return redirect("convention_detail", pk=pk)


@member_required
@require_POST
def convention_cancel(request, pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, CASEWORK_AREA)
    form = CancelForm(request.POST)
    if form.is_valid():
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.convention_cancel(
            acting_user=request.user, convention=convention, **form.cleaned_data)))
        if saved:
            messages.success(request, _("Convention cancelled. It stays in the list with its history."))
            return redirect("convention_detail", pk=pk)
    convention.refresh_from_db()
    return _detail(request, convention, status=form_status(request, form), cancel_form=form)


@member_required
@require_POST
def convention_hours(request, pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, CASEWORK_AREA)
    form = HoursForm(request.POST, convention=convention)
    if form.is_valid() and save_with_service(form, lambda: services.coaching_hours_record(
            acting_user=request.user, convention=convention, **form.cleaned_data)):
        messages.success(request, _("Coaching hours recorded."))
        return redirect("convention_detail", pk=pk)
    return _detail(request, convention, status=400, hours_form=form)


def _entry_page(request, convention, entry, status=200, **forms):
    membership = current_membership(request)
    return render(request, "conventions/hours_entry.html", {
        "convention": convention, "entry": entry,
        "history": entry.history.select_related("history_user").order_by("-history_date", "-history_id"),
        "can_casework": can_write(membership, CASEWORK_AREA),
        "correct_form": forms.get("correct_form") or HoursCorrectionForm(entry=entry),
        "cancel_form": forms.get("cancel_form") or HoursCancelForm(),
    }, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def hours_entry(request, pk, entry_pk):
    """One entry of coaching hours, its history, and the forms to correct or cancel it."""
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    entry = selectors.hours_entry_get(convention=convention, pk=entry_pk)
    if request.method == "GET":
        return _entry_page(request, convention, entry)
    require_write(request, CASEWORK_AREA)
    form = HoursCorrectionForm(request.POST, entry=entry)
    if form.is_valid() and save_with_service(form, lambda: services.coaching_hours_correct(
            acting_user=request.user, entry=entry, **form.cleaned_data)):
        messages.success(request, _("Coaching hours corrected."))
        return redirect("convention_detail", pk=pk)
    return _entry_page(request, convention, entry, status=400, correct_form=form)


@member_required
@require_POST
def hours_entry_cancel(request, pk, entry_pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    entry = selectors.hours_entry_get(convention=convention, pk=entry_pk)
    require_write(request, CASEWORK_AREA)
    form = HoursCancelForm(request.POST)
    if form.is_valid() and save_with_service(form, lambda: services.coaching_hours_cancel(
            acting_user=request.user, entry=entry, **form.cleaned_data)):
        messages.success(request, _("Coaching hours cancelled."))
        return redirect("convention_detail", pk=pk)
    return _entry_page(request, convention, entry, status=400, cancel_form=form)


@member_required
@require_POST
def convention_close(request, pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, CASEWORK_AREA)
    form = CloseForm(request.POST)
    if form.is_valid() and save_with_service(form, lambda: services.convention_close(
            acting_user=request.user, convention=convention, **form.cleaned_data)):
        messages.success(request, _("Convention closed: the balances are computed."))
        return redirect("convention_detail", pk=pk)
    return _detail(request, convention, status=400, close_form=form)


@member_required
@require_http_methods(["GET", "POST"])
def partner_claim_create(request, pk, partner_pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    partner = selectors.partner_get(convention=convention, pk=partner_pk)
    require_write(request, FINANCE_AREA)
    form = PartnerClaimForm(request.POST or None, initial={"received_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and save_with_service(form, lambda: services.partner_claim_register(
            acting_user=request.user, partner=partner, **form.cleaned_data)):
        messages.success(request, _("Claim of %(partner)s registered: the balance is due.") % {"partner": partner.name})
        return redirect("convention_detail", pk=pk)
    row = next(row for row in selectors.partner_rows(convention) if row.partner.pk == partner.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "conventions/claim_form.html",
                  {"form": form, "convention": convention, "partner": partner, "row": row}, status=status)


@member_required
@require_POST
def payment_paid(request, pk, payment_pk):
    convention = selectors.convention_get(cpas=current_membership(request).cpas, pk=pk)
    payment = selectors.convention_payment_get(convention=convention, pk=payment_pk)
    require_write(request, FINANCE_AREA)
    form = PaymentPaidForm(request.POST)
    if form.is_valid() and save_with_service(
            form, lambda: services.payment_mark_paid(acting_user=request.user, payment=payment, **form.cleaned_data)):
        messages.success(request, _("Payment recorded as paid."))
        return redirect("convention_detail", pk=pk)
    return _detail(request, convention, status=400, paid_form=form, paid_payment=payment)
