"""Pages of a person's file: their right decisions, case notes and documents. Views parse, call one service or
selector, render; every route starts from the person read in the user's CPAS (another CPAS's is a 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import consultations, person_records, selectors, services
from .concurrency import form_status, save_or_refuse_stale
from .downloads import document_response
from .forms import CaseNoteForm, DocumentUploadForm, RightDecisionForm
from .models import ConsultationKind
from .tenancy import current_membership, member_required, require_read, require_write
from .views import save_with_service


def _person(request, pk):
    return selectors.beneficiary_get(cpas=current_membership(request).cpas, pk=pk)


def _data(form):
    return {key: value for key, value in form.cleaned_data.items() if key != "version"}


@member_required
@require_http_methods(["GET", "POST"])
def right_decision_create(request, pk):
    require_write(request, "beneficiaries")
    beneficiary = _person(request, pk)
    form = RightDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = save_with_service(form, lambda: services.right_decision_create(
            acting_user=request.user, beneficiary=beneficiary, **_data(form)))
        if decision:
            messages.success(request, _("Right decision recorded."))
            return redirect("beneficiary_detail", pk=beneficiary.pk)
    return render(request, "beneficiaries/right_form.html", {"form": form, "beneficiary": beneficiary},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def right_decision_edit(request, pk, decision_pk):
    """Correct a decision, or end it (fill in its last day)."""
    require_write(request, "beneficiaries")
    beneficiary = _person(request, pk)
    cpas = current_membership(request).cpas
    decision = selectors.right_decision_get(cpas=cpas, beneficiary=beneficiary, pk=decision_pk)
    form = RightDecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.right_decision_update(
            acting_user=request.user, decision=decision, **form.cleaned_data)))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("beneficiary_detail", pk=beneficiary.pk)
    return render(request, "beneficiaries/right_form.html",
                  {"form": form, "beneficiary": beneficiary, "decision": decision},
                  status=form_status(request, form))


def _note_form(request, beneficiary, **kwargs):
    form = CaseNoteForm(request.POST or None, **kwargs)
    membership = current_membership(request)
    if not person_records.may_read_confidential(user=request.user, membership=membership, beneficiary=beneficiary):
        # Who may not read confidential notes does not write one either (they could not read it back).
        form.fields.pop("confidential")
    return form


@member_required
@require_http_methods(["GET", "POST"])
def case_note_create(request, pk):
    require_write(request, "beneficiaries")
    beneficiary = _person(request, pk)
    form = _note_form(request, beneficiary)
    if request.method == "POST" and form.is_valid():
        note = save_with_service(form, lambda: services.case_note_create(
            acting_user=request.user, beneficiary=beneficiary, **_data(form)))
        if note:
            messages.success(request, _("Case note saved."))
            return redirect("beneficiary_detail", pk=beneficiary.pk)
    return render(request, "beneficiaries/note_form.html", {"form": form, "beneficiary": beneficiary},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def case_note_edit(request, pk, note_pk):
    require_write(request, "beneficiaries")
    beneficiary = _person(request, pk)
    membership = current_membership(request)
    note = selectors.case_note_get(cpas=membership.cpas, beneficiary=beneficiary, pk=note_pk, user=request.user,
                                   membership=membership)
    if not person_records.may_edit_note(user=request.user, membership=membership, note=note):
        raise PermissionDenied(_("Only the author of a note or a manager may correct it."))
    form = _note_form(request, beneficiary, instance=note)
    if request.method == "POST" and form.is_valid():
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.case_note_update(
            acting_user=request.user, note=note, **form.cleaned_data)))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("beneficiary_detail", pk=beneficiary.pk)
    return render(request, "beneficiaries/note_form.html", {"form": form, "beneficiary": beneficiary, "note": note},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET", "POST"])
def document_upload(request, pk):
    require_write(request, "beneficiaries")
    beneficiary = _person(request, pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = save_with_service(form, lambda: services.document_upload(
            acting_user=request.user, beneficiary=beneficiary, kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"], upload=form.cleaned_data["file"]))
        if document:
            messages.success(request, _("Document added to the file."))
            return redirect("beneficiary_detail", pk=beneficiary.pk)
    return render(request, "beneficiaries/document_form.html", {"form": form, "beneficiary": beneficiary},
                  status=form_status(request, form))


@member_required
@require_http_methods(["GET"])
def document_download(request, pk, document_pk):
    """The only way a document leaves the server: the person in the user's CPAS, a role that reads documents."""
    require_read(request, "person_documents")
    beneficiary = _person(request, pk)
    cpas = current_membership(request).cpas
    document = selectors.document_get(cpas=cpas, beneficiary=beneficiary, pk=document_pk)
    consultations.record(request, ConsultationKind.DOCUMENT, cpas=cpas, beneficiary=beneficiary,
                         export=document.original_name)
    return document_response(document)


