"""Pages of partnership conventions. Views parse, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cpas_portal.tenancy import can_write, current_membership, member_required, require_write

from . import selectors, services
from .forms import (
    CloseForm,
    ConventionFilterForm,
    ConventionForm,
    HoursForm,
    PartnerClaimForm,
    PartnerFormSet,
    PaymentPaidForm,
)
from .rules import ConventionStatus

PAGE_SIZE = 25
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
    conventions = selectors.convention_list(cpas=cpas, today=timezone.localdate(), **criteria)
    page = Paginator(conventions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "conventions/list.html", {
        "page": page, "filters": filters, "query": query.urlencode(),
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


def _detail(request, convention, status=200, **forms):
    membership = current_membership(request)
    casework, finance = can_write(membership, CASEWORK_AREA), can_write(membership, FINANCE_AREA)
    hours = selectors.hours_done(convention)
    context = {
        "convention": convention,
        "partner_rows": selectors.partner_rows(convention),
        "hours_log": selectors.hours_log(convention),
        "hours_done": hours,
        "progress": min(100, int(hours * 100 / convention.planned_hours)) if convention.planned_hours else 0,
        "timeline": selectors.timeline(convention),
        "can_casework": casework,
        "can_finance": finance,
        "is_signed": convention.status == ConventionStatus.SIGNED,
        "is_draft": convention.status == ConventionStatus.DRAFT,
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
    try:
        services.convention_sign(acting_user=request.user, convention=convention)
    except ValidationError as error:
        return _detail(request, convention, status=400, sign_errors=error.messages)
    messages.success(request, _("Convention signed: the advances are due to the partners."))
    return redirect("convention_detail", pk=pk)


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
