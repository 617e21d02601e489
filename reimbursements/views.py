"""Pages of reimbursement claims. Views parse, call one service or selector, render."""

from datetime import date

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cpas_portal import consultations
from cpas_portal.listing import sort_queryset
from cpas_portal.models import ConsultationKind
from cpas_portal.pagination import CappedPaginator, CountedPaginator
from cpas_portal.tenancy import can_read, can_write, current_membership, member_required, require_read, require_write
from cpas_portal.views import save_with_service

from . import exports, rules, sample_statement, selectors, services, statement, statements
from .forms import ClaimRequestForm, SignForm, StatementRecordMatchForm, StatementRecordNotOursForm, StatementUploadForm
from .models import ClaimBatch, ClaimStatus, Measure

LINES_PAGE_SIZE = 100
# The columns a claim's line rows show (``{% claim_line_rows %}``).
LINE_ROW_FIELDS = ("position", "niss", "beneficiary_name", "covered_start", "covered_end", "amount", "sign",
                   "legislation", "description", "tier_code", "partner", "previous_amount", "change", "unconfirmed")
CLAIMS_PAGE_SIZE = 25
# The columns the list's rows show (``{% claim_rows %}``, the reference reading the CPAS's code and language).
CLAIM_ROW_FIELDS = ("id", "cpas", "cpas__nis_code", "cpas__language", "measure", "period_kind", "period_start",
                    "period_end", "sequence", "version", "status", "line_count", "total")


def _cpas(request):
    return current_membership(request).cpas


def _role(request):
    return current_membership(request).role


def _month(value):
    """A month typed ``YYYY-MM`` (a month field) or ``MM/YYYY`` as its first day; None for anything else."""
    try:
        if "/" in value:
            month, year = (int(part) for part in value.split("/"))
        else:
            year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except (AttributeError, TypeError, ValueError):
        return None


@member_required
@require_GET
def claim_list(request):
    measure, status = request.GET.get("measure", ""), request.GET.get("status", "")
    period_from, period_until = _month(request.GET.get("from", "")), _month(request.GET.get("until", ""))
    claims = selectors.claim_list(
        cpas=_cpas(request), measure=measure, status=status, period_from=period_from,
        period_until=rules.month_period(period_until.year, period_until.month)[1] if period_until else None)
    claims, sorting = sort_queryset(request, claims.only(*CLAIM_ROW_FIELDS), selectors.CLAIM_SORT_COLUMNS,
                                    selectors.CLAIM_DEFAULT_SORT)
    page = Paginator(claims, CLAIMS_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "reimbursements/claim_list.html", {
        "page": page, "measure": measure, "status": status, "measures": Measure.choices,
        "period_from": period_from, "period_until": period_until, "sorting": sorting,
        "filtered": bool(measure or status or period_from or period_until), "page_query": filters.urlencode(),
        "statuses": ClaimStatus.choices, "can_prepare": can_write(current_membership(request), "claims"),
        "jobs": selectors.job_list(cpas=_cpas(request), active_only=True)[:10],
        "warnings": selectors.deadline_warnings(cpas=_cpas(request), today=timezone.localdate()),
    })


@member_required
@require_http_methods(["GET", "POST"])
def claim_request(request):
    require_write(request, "claims")
    today = timezone.localdate()
    # A link from the home page proposes the measure and month to claim.
    initial = {"year": today.year, "number": today.month,
               **{key: request.GET[key] for key in ("measure", "year", "number") if request.GET.get(key)}}
    form = ClaimRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = save_with_service(form, lambda: services.claim_generation_request(
            acting_user=request.user, cpas=_cpas(request), **form.cleaned_data))
        if job:
            return redirect("claim_job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reimbursements/claim_request.html", {"form": form}, status=status)


@member_required
@require_GET
def claim_job(request, pk):
    job = selectors.job_get(cpas=_cpas(request), pk=pk)
    template = "reimbursements/_job_progress.html" if request.htmx else "reimbursements/job.html"
    return render(request, template, {"job": job, "can_prepare": can_write(current_membership(request), "claims")})


@member_required
@require_POST
def claim_job_retry(request, pk):
    require_write(request, "claims")
    job = selectors.job_get(cpas=_cpas(request), pk=pk)
    try:
        job = services.job_retry(acting_user=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        job.refresh_from_db()
        if job.is_waiting_for_queue:
            messages.warning(request, _("The job queue is still unavailable: the job will start when it is back."))
    return redirect("claim_job", pk=job.pk)


@member_required
@require_GET
def claim_detail(request, pk):
    claim = selectors.claim_page_get(cpas=_cpas(request), pk=pk)
    facts = selectors.claim_line_facts(claims=[claim])[claim.pk]
    claim.unconfirmed_lines = facts["held_unconfirmed"]
    # The lines are counted with the other figures of the page; each line of the page is read as a plain row (the
    # first page by a query compiled once per process).
    number = request.GET.get("page")
    lines = (selectors.claim_first_lines(claim=claim, fields=LINE_ROW_FIELDS, size=LINES_PAGE_SIZE)
             if CappedPaginator.opens_first_page(number)
             else selectors.claim_lines(claim=claim).values_list(*LINE_ROW_FIELDS, named=True))
    page = CountedPaginator(lines, LINES_PAGE_SIZE, count=facts["lines"]).get_page(number)
    membership = current_membership(request)
    signatures = selectors.claim_signatures(claim=claim)
    payments = selectors.claim_payments(claim=claim, facts=facts) if claim.sent_at else []
    return render(request, "reimbursements/claim_detail.html", {
        "claim": claim, "page": page,
        "signatures": signatures,
        "sign_off": selectors.sign_off(claim=claim, signatures=signatures),
        "reviewed_by": selectors.claim_reviewer(claim=claim) if claim.reviewed_at else None,
        "payments": payments,
        "open_capacities": selectors.open_capacities(claim=claim, signatures=signatures),
        "has_signed": any(signature.signer_id == request.user.pk for signature in signatures),
        "sign_form": SignForm(initial={"place": membership.cpas.municipality}),
        "can_prepare": can_write(membership, "claims"),
        "can_sign": membership.role in services.SIGNING_ROLES,
        "has_document": claim.has_document,
        "reconciliation": (selectors.claim_reconciliation(claim=claim, facts=facts, payments=payments)
                           if claim.sent_at else None),
        # Only a claim sent once is corrected (``rules.CORRECTABLE_STATUSES`` all follow the sending).
        "jobs": selectors.correction_jobs(claim=claim) if claim.sent_at else [],
        "deadline": (selectors.claim_deadlines(cpas=claim.cpas, claims=[claim], today=timezone.localdate())[0]
                     if claim.status in (ClaimStatus.DRAFT, ClaimStatus.REVIEWED, ClaimStatus.SIGNED) else None),
    })


@member_required
@require_GET
def claim_pdf(request, pk):
    claim = selectors.claim_get(cpas=_cpas(request), pk=pk)
    document = selectors.claim_document(claim=claim)
    if document is None:
        raise Http404(_("The PDF of this claim is being rendered; try again in a moment."))
    _log_export(request, claim.cpas, f"{claim.reference}.pdf", claim)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{claim.reference}.pdf"'
    response["ETag"] = f'"{document.sha256}"'
    return response


def _claim_action(request, pk, action, success):
    claim = selectors.claim_get(cpas=_cpas(request), pk=pk)
    try:
        result = action(claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("claim_detail", pk=claim.pk)
    messages.success(request, success)
    if isinstance(result, HttpResponse):
        return result
    return redirect("claim_detail", pk=claim.pk)


@member_required
@require_POST
def claim_review(request, pk):
    require_write(request, "claims")
    return _claim_action(request, pk, lambda claim: services.claim_review(acting_user=request.user, claim=claim),
                         _("The claim is marked reviewed: it can now be signed."))


@member_required
@require_POST
def claim_sign(request, pk):
    form = SignForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied(_("Choose in which capacity you sign."))
    return _claim_action(request, pk, lambda claim: services.claim_sign(
        acting_user=request.user, claim=claim, capacity=form.cleaned_data["capacity"],
        place=form.cleaned_data["place"]), _("Signed."))


@member_required
@require_POST
def claim_send(request, pk):
    require_write(request, "claims")
    return _claim_action(request, pk, lambda claim: services.claim_send(acting_user=request.user, claim=claim),
                         _("The claim is marked sent to SPP IS."))


@member_required
@require_POST
def claim_reject(request, pk):
    require_write(request, "claims")
    return _claim_action(request, pk, lambda claim: services.claim_reject(acting_user=request.user, claim=claim),
                         _("The claim is marked rejected: its items can be claimed again."))


@member_required
@require_POST
def claim_cancel(request, pk):
    require_write(request, "claims")
    return _claim_action(request, pk, lambda claim: services.claim_cancel(acting_user=request.user, claim=claim),
                         _("The claim is cancelled: its items can be claimed again."))


@member_required
@require_POST
def claim_correct(request, pk):
    require_write(request, "claims")

    def correct(claim):
        job = services.claim_correction_request(acting_user=request.user, claim=claim)
        return redirect("claim_job", pk=job.pk)

    return _claim_action(request, pk, correct, _("A corrected version is being prepared."))


def _download(content, filename, fmt):
    content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _export(header, rows, filename, fmt, title):
    if fmt == "csv":
        return _download(exports.to_csv(header, rows), filename, fmt)
    return _download(exports.to_xlsx(header, rows, title), filename, fmt)


def _lines_masked(request):
    """Whether a lines export shows national numbers masked: asked with ``masked=1``, and for every role but
    finance and managers, who alone may take them in full (a 403 for the others asking for them)."""
    if request.GET.get("masked") == "1":
        return True
    require_read(request, "full_niss_exports")
    return False


def _log_export(request, cpas, export, claim=None):
    consultations.record(request, ConsultationKind.EXPORT, cpas=cpas, claim_id=claim.pk if claim else None,
                         export=export)


@member_required
@require_GET
def claim_lines_export(request, pk, fmt):
    claim = selectors.claim_get(cpas=_cpas(request), pk=pk)
    masked = _lines_masked(request)
    header, rows = exports.line_table(selectors.lines_of_claims(cpas=claim.cpas, claims=[claim]).iterator(),
                                      masked=masked)
    _log_export(request, claim.cpas, f"{claim.reference} lines.{fmt}{' (masked)' if masked else ''}", claim)
    return _export(header, rows, f"{claim.reference}-lines", fmt, _("Lines"))


@member_required
@require_GET
def claims_export(request, fmt):
    cpas = _cpas(request)
    measure, status = request.GET.get("measure", ""), request.GET.get("status", "")
    claims = selectors.claim_list(cpas=cpas, measure=measure, status=status)
    filters = f"measure={measure or '*'} status={status or '*'}"
    if request.GET.get("lines"):
        masked = _lines_masked(request)
        header, rows = exports.line_table(selectors.lines_of_claims(cpas=cpas, claims=claims).iterator(),
                                          masked=masked)
        _log_export(request, cpas, f"claim lines.{fmt} {filters}{' (masked)' if masked else ''}")
        return _export(header, rows, f"claim-lines-{cpas.nis_code}", fmt, _("Lines"))
    header, rows = exports.claim_table(claims)
    _log_export(request, cpas, f"claims.{fmt} {filters}")
    return _export(header, rows, f"claims-{cpas.nis_code}", fmt, _("Claims"))


@member_required
@require_http_methods(["GET", "POST"])
def statement_list(request):
    cpas = _cpas(request)
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require_write(request, "claims")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            # The file is kept and imported in the background: the job's page shows the progress.
            job = save_with_service(form, lambda: statements.statement_import_request(
                acting_user=request.user, cpas=cpas, file_name=upload.name, content=upload.read()))
            if job:
                return redirect("statement_job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reimbursements/statement_list.html", {
        "form": form, "statements": selectors.statement_list(cpas=cpas)[:50], "layout": statement.columns(),
        "can_prepare": can_write(current_membership(request), "claims"),
        "can_take_sample": can_read(current_membership(request), "full_niss_exports"),
    }, status=status)


@member_required
@require_GET
def statement_sample(request):
    """A sample statement paying the lines of the CPAS's sent claims, to try the import (see
    ``sample_statement.py``). It holds full national numbers: for the roles that may export them."""
    require_read(request, "full_niss_exports")
    cpas = _cpas(request)
    year_month = timezone.localdate().strftime("%Y-%m")
    lines = list(selectors.lines_awaiting_payment(cpas=cpas))
    if not lines:
        messages.warning(request, _("No claim sent to SPP IS is waiting for payment: send a claim first, then take "
                                    "the sample statement that pays it."))
        return redirect("statement_list")
    name = sample_statement.file_name(nis_code=cpas.nis_code, year_month=year_month)
    _log_export(request, cpas, name)
    response = HttpResponse(sample_statement.sample_txt(nis_code=cpas.nis_code, lines=lines, year_month=year_month),
                            content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required
@require_GET
def statement_job(request, pk):
    job = selectors.statement_job_get(cpas=_cpas(request), pk=pk)
    if request.htmx and job.status == "done" and job.statement_id:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("statement_detail", args=[job.statement_id])
        return response
    template = "reimbursements/_statement_job_progress.html" if request.htmx else "reimbursements/statement_job.html"
    return render(request, template, {"job": job, "can_prepare": can_write(current_membership(request), "claims")})


@member_required
@require_POST
def statement_job_retry(request, pk):
    require_write(request, "claims")
    job = selectors.statement_job_get(cpas=_cpas(request), pk=pk)
    try:
        statements.statement_job_retry(acting_user=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("statement_job", pk=job.pk)


@member_required
@require_GET
def statement_format(request):
    """The record layout both the TXT and the CSV statements follow."""
    return render(request, "reimbursements/statement_format.html", {
        "layout": statement.columns(), "record_length": statement.RECORD_LENGTH,
    })


def _statement_page(request, imported, *, status=200, errors=None):
    cpas = _cpas(request)
    records = list(selectors.statement_records(statement=imported))
    claims = sorted({record.line.claim for record in records if record.line}, key=lambda claim: claim.pk)
    facts = selectors.claim_line_facts(claims=claims)
    can_prepare = can_write(current_membership(request), "claims")
    candidates = selectors.match_candidates(cpas=cpas, records=records) if can_prepare else {}
    rows = [{"record": record, "candidates": candidates.get(record.pk, [])} for record in records]
    return render(request, "reimbursements/statement_detail.html", {
        "statement": imported, "records": records, "rows": rows, "can_prepare": can_prepare, "errors": errors,
        "claims": [{"claim": claim, "result": selectors.claim_reconciliation(claim=claim, facts=facts[claim.pk])}
                   for claim in claims],
    }, status=status)


@member_required
@require_GET
def statement_detail(request, pk):
    return _statement_page(request, selectors.statement_get(cpas=_cpas(request), pk=pk))


@member_required
@require_POST
def statement_record_action(request, pk, action):
    """Match an unmatched record to a claim line by hand, or set it aside as not this CPAS's."""
    require_write(request, "claims")
    cpas = _cpas(request)
    record = selectors.statement_record_get(cpas=cpas, pk=pk)
    form = (StatementRecordMatchForm if action == "match" else StatementRecordNotOursForm)(request.POST)

    def write():
        try:
            if action == "match":
                line = selectors.claim_line_get(cpas=cpas, pk=form.cleaned_data["line"])
                return statements.statement_record_match(acting_user=request.user, record=record, line=line)
            return statements.statement_record_not_ours(acting_user=request.user, record=record,
                                                        note=form.cleaned_data["note"])
        except ValidationError as error:
            # The record's and the line's messages belong to the whole row's form.
            raise ValidationError(error.messages) from None

    if form.is_valid() and save_with_service(form, write):
        messages.success(request, _("Record %(row)s: %(state)s.") % {
            "row": record.row, "state": selectors.statement_record_get(cpas=cpas, pk=pk).get_state_display()})
        return redirect("statement_detail", pk=record.statement_id)
    return _statement_page(request, record.statement, status=400, errors={"row": record.row, "form": form})


@member_required
@require_GET
def claim_deadlines(request):
    today = timezone.localdate()
    return render(request, "reimbursements/deadlines.html", {
        "today": today, **selectors.deadlines(cpas=_cpas(request), today=today),
    })


@staff_member_required
@require_GET
def claim_batch(request, pk):
    if not request.user.is_superuser:
        raise PermissionDenied
    batch = get_object_or_404(ClaimBatch, pk=pk)
    template = "reimbursements/_batch_progress.html" if request.htmx else "reimbursements/batch.html"
    return render(request, template, {"batch": batch, "progress": selectors.batch_progress(batch)})
