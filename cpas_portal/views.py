"""Pages of the shared kernel: home and beneficiaries. Views parse, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .concurrency import form_status, save_or_refuse_stale
from .forms import BeneficiaryForm
from .tenancy import can_write, current_membership, member_required, require_write

PAGE_SIZE = 25


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    if current_membership(request) is None and request.user.is_staff:
        return redirect("admin:index")
    return redirect("beneficiary_list")


def save_with_service(form, write):
    """Run ``write()``; a ValidationError from the service lands on the form's fields."""
    try:
        return write()
    except ValidationError as error:
        form.add_error(None, error)
        return None


@member_required
def beneficiary_list(request):
    membership = current_membership(request)
    search = request.GET.get("q", "")
    page = Paginator(selectors.beneficiary_list(cpas=membership.cpas, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "search": search, "can_edit": can_write(membership, "beneficiaries")}
    if request.htmx and request.htmx.target == "beneficiary-results":
        return render(request, "beneficiaries/_results.html", context)
    return render(request, "beneficiaries/list.html", context)


@member_required
def beneficiary_detail(request, pk):
    membership = current_membership(request)
    beneficiary = selectors.beneficiary_get(cpas=membership.cpas, pk=pk)
    return render(request, "beneficiaries/detail.html", {
        "beneficiary": beneficiary,
        "changes": selectors.beneficiary_changes(beneficiary),
        "can_edit": can_write(membership, "beneficiaries"),
    })


@member_required
@require_http_methods(["GET", "POST"])
def beneficiary_create(request):
    require_write(request, "beneficiaries")
    cpas = current_membership(request).cpas
    form = BeneficiaryForm(request.POST or None, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        beneficiary = save_with_service(form, lambda: services.beneficiary_create(
            acting_user=request.user, cpas=cpas, **form.cleaned_data))
        if beneficiary:
            messages.success(request, _("Beneficiary %(name)s created.") % {"name": beneficiary.full_name})
            return redirect("beneficiary_detail", pk=beneficiary.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "beneficiaries/form.html", {"form": form, "creating": True}, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def beneficiary_edit(request, pk):
    require_write(request, "beneficiaries")
    cpas = current_membership(request).cpas
    beneficiary = selectors.beneficiary_get(cpas=cpas, pk=pk)
    form = BeneficiaryForm(request.POST or None, instance=beneficiary, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.beneficiary_update(
            acting_user=request.user, beneficiary=beneficiary, **form.cleaned_data)))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("beneficiary_detail", pk=saved.pk)
    return render(request, "beneficiaries/form.html", {"form": form, "beneficiary": beneficiary},
                  status=form_status(request, form) if request.method == "POST" else 200)
