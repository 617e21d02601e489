"""Pages of PIIS and evaluation meetings. Views parse, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cpas_portal import consultations
from cpas_portal.concurrency import form_status, save_or_refuse_stale
from cpas_portal.models import ConsultationKind
from cpas_portal.pagination import CappedPaginator, list_page
from cpas_portal.tenancy import can_write, current_membership, member_required, require_write

from . import pdf, rules, selectors, services
from .forms import EndForm, EvaluationForm, PiisFilterForm, PiisForm, SignForm, evaluation_initial
from .models import PiisStatus

PAGE_SIZE = 25
# The columns the list's rows show (``{% piis_rows %}``): a page reads and compiles no other.
ROW_FIELDS = ("id", "cpas_id", "beneficiary", "beneficiary__first_name", "beneficiary__last_name",
              "beneficiary__niss", "beneficiary__referent", "kind", "start", "end", "status", "outcome")
AREA = "measures"


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
def piis_list(request):
    membership = current_membership(request)
    filters = PiisFilterForm(request.GET or None)
    criteria = dict(filters.cleaned_data) if filters.is_valid() else {}
    mine = criteria.pop("mine", False)
    cpas = membership.cpas
    page = list_page(
        request.GET.get("page"), PAGE_SIZE,
        whole=lambda: selectors.piis_list(cpas=cpas, referent=request.user if mine else None, **criteria).only(
            *ROW_FIELDS),
        first=None if mine or any(criteria.values()) else lambda: selectors.piis_first_page(
            cpas.pk, fields=ROW_FIELDS, per_page=PAGE_SIZE))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "piis/list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "can_create": can_write(membership, AREA),
    })


@member_required
@require_http_methods(["GET", "POST"])
def piis_create(request):
    require_write(request, AREA)
    cpas = current_membership(request).cpas
    initial = {"beneficiary": request.GET.get("beneficiary"), "applied_on": timezone.localdate()}
    form = PiisForm(request.POST or None, cpas=cpas, initial=initial)
    if request.method == "POST" and form.is_valid():
        piis = save_with_service(form, lambda: services.piis_create(
            acting_user=request.user, cpas=cpas, beneficiary=form.cleaned_data["beneficiary"],
            **{key: value for key, value in form.service_data().items() if key != "version"}))
        if piis:
            messages.success(request, _("PIIS created while its terms are negotiated. Sign it once concluded."))
            return redirect("piis_detail", pk=piis.pk)
    return render(request, "piis/form.html", {"form": form}, status=400 if request.method == "POST" else 200)


@member_required
@require_http_methods(["GET", "POST"])
def piis_edit(request, pk):
    cpas = current_membership(request).cpas
    piis = selectors.piis_get(cpas=cpas, pk=pk)
    require_write(request, AREA)
    form = PiisForm(request.POST or None, instance=piis, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        version = data.pop("version", None)
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.piis_update(
            acting_user=request.user, piis=piis, version=version, **data)))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("piis_detail", pk=saved.pk)
    return render(request, "piis/form.html", {"form": form, "piis": piis}, status=form_status(request, form))


def _detail(request, piis, status=200, **forms):
    today = timezone.localdate()
    evaluations = selectors.piis_evaluations(piis)
    years = sorted({today.year} | {e.held_on.year for e in evaluations if e.held_on})
    if piis.start is not None and piis.status in (PiisStatus.SIGNED, PiisStatus.ENDED):
        held = [(e.held_on, e.face_to_face) for e in evaluations if e.held_on]
        yearly = [rules.yearly_evaluations(year=year, start=piis.start, end=piis.end, evaluations=held)
                  for year in years if year >= piis.start.year and (piis.end is None or year <= piis.end.year)]
    else:
        yearly = []
    deadlines = []
    if piis.status == PiisStatus.DRAFT:
        deadlines = rules.conclusion_deadlines(birth_date=piis.beneficiary.birth_date, applied_on=piis.applied_on,
                                               ris_decided_on=piis.decided_on)
    activation = rules.social_activation_window(start=piis.start, end=piis.end) if piis.start else None
    context = {
        "piis": piis, "evaluations": evaluations, "yearly": yearly, "deadlines": deadlines, "activation": activation,
        "third_parties": list(piis.third_parties.order_by("name")), "today": today,
        "history": selectors.piis_history(piis),
        "can_write": can_write(current_membership(request), AREA),
        "sign_form": forms.get("sign_form") or SignForm(initial={"signed_on": today, "start": piis.start,
                                                                 "end": piis.end}),
        "end_form": forms.get("end_form") or EndForm(initial={"end": piis.end or today}),
        "evaluation_form": forms.get("evaluation_form") or EvaluationForm(initial={"held_on": today,
                                                                                  "face_to_face": True}),
        "action_errors": forms.get("action_errors"),
    }
    return render(request, "piis/detail.html", context, status=status)


@member_required
def piis_detail(request, pk):
    return _detail(request, selectors.piis_get(cpas=current_membership(request).cpas, pk=pk))


@member_required
@require_POST
def piis_sign(request, pk):
    piis = selectors.piis_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, AREA)
    form = SignForm(request.POST)
    if form.is_valid() and save_with_service(form, lambda: services.piis_sign(
            acting_user=request.user, piis=piis, **form.cleaned_data)):
        messages.success(request, _("PIIS signed: its evaluation meetings are planned."))
        return redirect("piis_detail", pk=pk)
    return _detail(request, piis, status=400, sign_form=form)


@member_required
@require_POST
def piis_end(request, pk):
    piis = selectors.piis_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, AREA)
    form = EndForm(request.POST)
    if form.is_valid() and save_with_service(form, lambda: services.piis_end(
            acting_user=request.user, piis=piis, **form.cleaned_data)):
        messages.success(request, _("PIIS ended with its outcome."))
        return redirect("piis_detail", pk=pk)
    return _detail(request, piis, status=400, end_form=form)


@member_required
@require_POST
def piis_cancel(request, pk):
    piis = selectors.piis_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, AREA)
    try:
        services.piis_cancel(acting_user=request.user, piis=piis)
    except ValidationError as error:
        return _detail(request, piis, status=400, action_errors=error.messages)
    messages.success(request, _("PIIS cancelled; its planned meetings are removed."))
    return redirect("piis_detail", pk=pk)


@member_required
@require_POST
def piis_evaluation_add(request, pk):
    piis = selectors.piis_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, AREA)
    form = EvaluationForm(request.POST)
    if form.is_valid() and save_with_service(form, lambda: services.evaluation_add(
            acting_user=request.user, piis=piis, held_on=form.cleaned_data["held_on"],
            face_to_face=form.cleaned_data["face_to_face"], notes=form.cleaned_data["notes"])):
        messages.success(request, _("Evaluation recorded."))
        return redirect("piis_detail", pk=pk)
    return _detail(request, piis, status=400, evaluation_form=form)


@member_required
def piis_pdf(request, pk):
    cpas = current_membership(request).cpas
    piis = selectors.piis_get(cpas=cpas, pk=pk)
    content = pdf.render_piis_pdf(piis)
    # The contract shows the person's national number: taking it is logged like any export.
    consultations.record(request, ConsultationKind.EXPORT, cpas=cpas, beneficiary=piis.beneficiary,
                         export="piis_pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="piis-{piis.pk}.pdf"'
    return response


@member_required
@require_http_methods(["GET", "POST"])
def evaluation_record(request, pk):
    """Record a planned meeting (of a PIIS or an art. 60 §7 placement) as held."""
    evaluation = selectors.evaluation_get(cpas=current_membership(request).cpas, pk=pk)
    require_write(request, AREA)
    form = EvaluationForm(request.POST or None, initial=evaluation_initial(evaluation, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.evaluation_record(
            acting_user=request.user, evaluation=evaluation, **data)))
        if saved:
            messages.success(request, _("Evaluation recorded."))
            if evaluation.piis_id:
                return redirect("piis_detail", pk=evaluation.piis_id)
            return redirect("piis_agenda")
    return render(request, "piis/evaluation_form.html", {"form": form, "evaluation": evaluation},
                  status=form_status(request, form))


@member_required
def piis_agenda(request):
    """My appointments: the meetings still to hold with the people I follow, the overdue ones first."""
    rows = selectors.agenda(cpas=current_membership(request).cpas, referent=request.user)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "piis/agenda.html", {"page": page, "today": timezone.localdate()})
