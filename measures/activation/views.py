"""Pages of the social-activation subsidies: list, file, edit, final report, and the administrators'
allocation across CPAS. Views parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cpas_portal.concurrency import form_status, save_or_refuse_stale
from cpas_portal.tenancy import can_write, current_membership, member_required, require_write

from . import report, rules, selectors, services
from .allocation import parse_lines
from .forms import ActivationForm, ClusterAllocationForm, LargeCityAllocationForm
from .models import ReportStatus


def _form_error(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _saved(form, write):
    try:
        return save_or_refuse_stale(form, write)
    except ValidationError as error:
        _form_error(form, error)
        return None


@member_required
@require_http_methods(["GET"])
def activation_list(request):
    membership = current_membership(request)
    return render(request, "activation/list.html", {
        "activations": selectors.activation_list(cpas=membership.cpas),
        "can_write": can_write(membership, "activation"),
    })


@member_required
@require_http_methods(["GET", "POST"])
def activation_create(request):
    require_write(request, "activation")
    cpas = current_membership(request).cpas
    form = ActivationForm(request.POST or None, cpas=cpas, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        saved = _saved(form, lambda: services.activation_create(acting_user=request.user, cpas=cpas, **data))
        if saved:
            messages.success(request, _("Social-activation subsidy saved."))
            return redirect("activation_detail", pk=saved.pk)
    return render(request, "activation/form.html", {"form": form}, status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def activation_edit(request, pk):
    require_write(request, "activation")
    cpas = current_membership(request).cpas
    activation = selectors.activation_get(cpas=cpas, pk=pk)
    form = ActivationForm(request.POST or None, instance=activation, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "year"}
        saved = _saved(form, lambda: services.activation_update(acting_user=request.user, activation=activation,
                                                                **data))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("activation_detail", pk=saved.pk)
    return render(request, "activation/form.html", {"form": form, "activation": activation},
                  status=form_status(request, form))


def _detail_context(request, activation, **extra):
    membership = current_membership(request)
    realised = selectors.realised(activation).as_dict()
    return {
        "activation": activation,
        "members": activation.cluster_members.order_by("name_fr"),
        "table": report.table(activation, realised),
        "outcomes": report.outcomes(realised),
        "paths_counted": realised["paths_counted"],
        "instalments": activation.instalments,
        "claimed": selectors.instalment_claims(activation),
        "reports": selectors.report_list(activation=activation)[:10],
        "can_write": can_write(membership, "activation"),
        **extra,
    }


@member_required
@require_http_methods(["GET"])
def activation_detail(request, pk):
    activation = selectors.activation_get(cpas=current_membership(request).cpas, pk=pk)
    return render(request, "activation/detail.html", _detail_context(request, activation))


@member_required
@require_POST
def activation_report_request(request, pk):
    require_write(request, "activation")
    activation = selectors.activation_get(cpas=current_membership(request).cpas, pk=pk)
    try:
        services.report_request(acting_user=request.user, activation=activation)
    except ValidationError as error:
        return render(request, "activation/detail.html",
                      _detail_context(request, activation, action_errors=error.messages), status=400)
    messages.success(request, _("The final report is being prepared."))
    return redirect("activation_detail", pk=activation.pk)


@member_required
@require_http_methods(["GET"])
def activation_report_progress(request, pk):
    membership = current_membership(request)
    job = selectors.report_get(cpas=membership.cpas, pk=pk)
    return render(request, "activation/_report_progress.html",
                  {"job": job, "can_write": can_write(membership, "activation")})


@member_required
@require_POST
def activation_report_retry(request, pk):
    require_write(request, "activation")
    job = selectors.report_get(cpas=current_membership(request).cpas, pk=pk)
    try:
        services.report_retry(acting_user=request.user, report=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("activation_detail", pk=job.activation_id)


@member_required
@require_http_methods(["GET"])
def activation_report_pdf(request, pk):
    job = selectors.report_get(cpas=current_membership(request).cpas, pk=pk)
    if job.status != ReportStatus.DONE or not job.pdf:
        raise Http404(_("This report has no PDF yet."))
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="social-activation-{job.activation.year}-{job.cpas.nis_code}-{job.pk}.pdf"')
    return response


# Allocation across CPAS: administrators only ----------------------------------------------------

def _allocation_preview(kind, data):
    if kind == "large_city":
        workers = parse_lines(data["workers_csv"], field="workers_csv", integer=True)
        return rules.split_large_city(data["envelope"], workers, year=data["year"]), workers
    requests = parse_lines(data["requests_csv"], field="requests_csv", integer=False)
    return rules.cluster_grants(requests, year=data["year"]), requests


@login_required
@require_http_methods(["GET", "POST"])
def activation_allocation(request):
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only an administrator may allocate the social-activation subsidies."))
    kind = request.POST.get("kind", "large_city")
    if kind not in ("large_city", "cluster"):
        kind = "large_city"
    large = LargeCityAllocationForm(request.POST if kind == "large_city" else None, prefix="large",
                                    initial={"year": 2015,
                                             "envelope": rules.p.LARGE_CITY_ENVELOPE.at(rules.year_day(2015))})
    clusters = ClusterAllocationForm(request.POST if kind == "cluster" else None, prefix="cluster",
                                     initial={"year": 2015})
    form = large if kind == "large_city" else clusters
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preview, values = _allocation_preview(kind, data)
            if "apply" in request.POST:
                source = _("Allocation of %(date)s by %(user)s") % {
                    "date": timezone.localdate().isoformat(), "user": request.user.get_username()}
                if kind == "large_city":
                    saved = services.large_city_allocate(acting_user=request.user, year=data["year"],
                                                         envelope=data["envelope"], workers=values, source=source)
                else:
                    saved = services.cluster_allocate(acting_user=request.user, year=data["year"], requests=values,
                                                      source=source)
                messages.success(request, _("%(count)s subsidies of %(year)s saved.") % {
                    "count": len(saved), "year": data["year"]})
                return redirect("activation_allocation")
        except ValidationError as error:
            _form_error(form, error)
            preview = None
        except (ValueError, LookupError) as error:
            form.add_error(None, str(error))
            preview = None
    return render(request, "activation/allocation.html", {
        "large": large, "clusters": clusters, "kind": kind, "preview": preview,
    }, status=form_status(request, form))
