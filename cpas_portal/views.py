"""Pages of the shared kernel: home and beneficiaries. Views parse, call one service or selector, render."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import consultations, file_page, notifications, person_picker, person_search, selectors, services
from . import home as home_pages
from .concurrency import form_status, save_or_refuse_stale
from .forms import (
    PERSON_STATUS_LABELS,
    BeneficiaryCreateForm,
    BeneficiaryFilterForm,
    BeneficiaryForm,
    ConsultationFilterForm,
    HandoverForm,
)
from .inputs import is_key
from .listing import ordering, sorting_asked
from .models import Category, ConsultationKind, Role
from .pagination import CappedPaginator, list_page
from .tenancy import can_write, current_membership, member_required, require_read, require_write
from .url_patterns import choice_labels

PAGE_SIZE = 25
# The columns the list's rows show (``{% beneficiary_rows %}``): a page reads and compiles no other.
BENEFICIARY_ROW_FIELDS = ("id", "cpas_id", "niss", "first_name", "last_name", "birth_date", "referent",
                          "referent__first_name", "referent__last_name")
CONSULTATIONS_PAGE_SIZE = 50
INBOX_PAGE_SIZE = 50


def home(request):
    """The user's day, by role: a caseworker's due items, a manager's view per caseworker (with the handover),
    a finance officer's claims to make, sign and collect. Other roles start from the beneficiaries."""
    if not request.user.is_authenticated:
        return redirect("login")
    membership = current_membership(request)
    if membership is None and request.user.is_staff:
        return redirect("admin:index")
    if membership is None or membership.role not in HOME_PAGES:
        return redirect("beneficiary_list")
    if membership.role == Role.MANAGER:
        return _manager_home(request, membership)
    page = HOME_PAGES[membership.role]
    shown = _shown(request)
    context = page["read"](cpas=membership.cpas, user=request.user, on=timezone.localdate(), shown=shown["shown"])
    return render(request, page["template"], {**context, **shown})


def _shown(request):
    """How many items per group the page lists: all with ``?all=1``, else the soonest ``SHOWN_PER_GROUP``."""
    shown = None if request.GET.get("all") == "1" else home_pages.SHOWN_PER_GROUP
    return {"shown": shown}


HOME_PAGES = {
    Role.CASEWORKER: {"template": "home/caseworker.html",
                      "read": lambda *, cpas, user, on, shown: home_pages.caseworker_home(cpas=cpas, user=user, on=on,
                                                                                          shown=shown)},
    Role.FINANCE: {"template": "home/finance.html",
                   "read": lambda *, cpas, user, on, shown: home_pages.finance_home(cpas=cpas, on=on, shown=shown)},
    Role.MANAGER: {"template": "home/manager.html"},
}


def _manager_home(request, membership, form=None, status=200):
    caseworker = request.GET.get("caseworker") or None
    if caseworker is not None and not is_key(caseworker):
        raise Http404(_("No such caseworker in your CPAS."))
    shown = _shown(request)
    context = home_pages.manager_home(cpas=membership.cpas, on=timezone.localdate(), caseworker_id=caseworker,
                                      shown=shown["shown"], files_search=request.GET.get("files", "").strip()[:100])
    if form is None:
        selected = context["selected"]
        form = HandoverForm(holders=context["holders"], files=context.get("files", ()),
                            initial={"from_caseworker": selected.pk if selected else None})
    context["form"] = form
    context.update(shown, caseworker_query=caseworker or "")
    return render(request, "home/manager.html", context, status=status)


@member_required
@require_http_methods(["POST"])
def files_handover(request):
    """The manager's handover form: all or the ticked files of one caseworker to another."""
    membership = current_membership(request)
    if membership.role != Role.MANAGER:
        raise PermissionDenied(_("Only a manager hands files over."))
    holders = home_pages.file_holders(cpas=membership.cpas)
    form = HandoverForm(request.POST, holders=holders)
    if form.is_valid():
        data = form.cleaned_data
        moved = save_with_service(form, lambda: services.files_hand_over(
            acting_user=request.user, cpas=membership.cpas, from_caseworker=data["from_caseworker"],
            to_caseworker=data["to_caseworker"],
            beneficiary_ids=data["beneficiaries"] if data["scope"] == HandoverForm.SELECTED else None))
        if moved:
            messages.success(request, ngettext(
                "%(count)s file handed over to %(name)s.", "%(count)s files handed over to %(name)s.", moved) % {
                "count": moved, "name": data["to_caseworker"].get_full_name() or data["to_caseworker"]})
            return redirect(f"{reverse('home')}?caseworker={data['to_caseworker'].pk}")
    return _manager_home(request, membership, form=form, status=400)


@member_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = CappedPaginator(notifications.inbox(user=request.user, unread_only=unread_only), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "home/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_GET
def inbox_count(request):
    """The unread count in the menu, fetched by the page once loaded (so no page pays a query for it)."""
    return render(request, "home/_inbox_count.html", {"unread": notifications.unread_count(user=request.user)})


@member_required
@require_POST
def inbox_read(request, pk=None):
    """Mark one notification read (and open its link when asked), or all of them."""
    if pk is None:
        notifications.notifications_mark_all_read(acting_user=request.user)
        return redirect("inbox")
    notifications.notification_mark_read(acting_user=request.user, pk=pk)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("inbox")


def save_with_service(form, write):
    """Run ``write()``; a ValidationError from the service lands on the form's fields."""
    try:
        return write()
    except ValidationError as error:
        form.add_error(None, error)
        return None


# Sortable columns of the beneficiary list (``listing.py``): key → ORM ordering.
BENEFICIARY_COLUMNS = {
    "name": ("last_name", "first_name", "id"),
    "birth_date": ("birth_date", "last_name", "id"),
    "referent": ("referent__last_name", "referent__first_name", "last_name", "id"),
}


@member_required
@require_http_methods(["GET", "POST"])
def beneficiary_list(request):
    """The list, searched by name (GET, bookmarkable) or by anything (POST: a national number typed in the search
    stays out of the URL, the browser history and the access logs). A number in a GET search is refused.
    Filters: referent, right and category in force today, status; columns sortable."""
    membership = current_membership(request)
    params = request.POST if request.method == "POST" else request.GET
    search = params.get("q", "")
    by_number = selectors.is_number_search(search)
    if request.method == "GET" and by_number:
        # Out of the address bar at once (the access log has it already: the mask covers it there).
        messages.error(request, _("Search by national number with the search field: it is not sent in the address."))
        return redirect("beneficiary_list")
    today = timezone.localdate()
    filters = BeneficiaryFilterForm(params, caseworkers=selectors.caseworker_labels(cpas=membership.cpas))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    filtered_by = any(chosen.get(name) for name in filters.fields)
    # Sort links and page links keep the filters, never a national number (it would land in the URL).
    query = params.copy()
    query.pop("csrfmiddlewaretoken", None)
    if by_number:
        query.pop("q", None)
    columns = BENEFICIARY_COLUMNS
    if search.strip():
        # Searching: the name order that leaves the planner on the search index (``person_search.SEARCH_ORDER``).
        columns = {**columns, "name": person_search.SEARCH_ORDER}
    sorting = sorting_asked(SimpleNamespace(GET=query), columns, "name")
    filtered = bool(search.strip()) or filtered_by

    def whole():
        if search.strip() and not filtered_by and sorting.param == "name":
            # A bare search in the search order: matches, page and count read from the search index alone.
            return selectors.beneficiary_search_results(cpas=membership.cpas, search=search, day=today,
                                                        fields=BENEFICIARY_ROW_FIELDS)
        return selectors.beneficiary_list(
            cpas=membership.cpas, search=search, day=today, referent_id=chosen.get("referent") or None,
            right_type=chosen.get("right") or None, category=chosen.get("category"),
            status=chosen.get("status") or None,
        ).only(*BENEFICIARY_ROW_FIELDS).order_by(*ordering(columns, sorting.param))

    # Counted up to a cap ("1.000+"): a common first name matches thousands, a CPAS holds tens of thousands.
    page = list_page(
        params.get("page"), PAGE_SIZE, whole=whole,
        first=None if filtered else lambda: selectors.beneficiary_first_page(
            membership.cpas_id, today, order=ordering(columns, sorting.param), fields=BENEFICIARY_ROW_FIELDS,
            per_page=PAGE_SIZE),
        rows_of=lambda keys: selectors.listed_people(cpas=membership.cpas, day=today, ids=keys,
                                                     fields=BENEFICIARY_ROW_FIELDS))
    labels = {"category": choice_labels(Category.choices), "status": {k: str(v) for k, v in
                                                                     PERSON_STATUS_LABELS.items()}}
    for person in page:
        person.status_on_day = selectors.person_status(person, day=today)
        person.status_label = labels["status"][person.status_on_day]
        person.category_label = labels["category"].get(person.category_on_day, "")
    page_query = query.copy()
    page_query.pop("page", None)
    context = {"page": page, "search": search, "can_edit": can_write(membership, "beneficiaries"),
               "search_by_post": by_number, "filters": filters, "sorting": sorting, "filtered": filtered,
               "page_query": page_query.urlencode()}
    status = 400 if filters.errors else 200
    if request.htmx and request.htmx.target == "beneficiary-results":
        return render(request, "beneficiaries/_results.html", context, status=status)
    return render(request, "beneficiaries/list.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def person_picker_options(request):
    """HTMX: the people a person picker offers for what the user typed (``?field=`` names the radios). The picker
    posts (a national number stays out of URLs and access logs); a GET searches names only. The person already
    chosen stays first."""
    cpas = current_membership(request).cpas
    name = request.GET.get("field", "")
    if not name.isidentifier():
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    search = params.get(name + person_picker.QUERY_SUFFIX, params.get("q", "")).strip()
    if request.method == "GET" and selectors.is_number_search(search):
        search = ""
    chosen = person_picker.person_in_cpas(cpas=cpas, pk=params.get(name))
    people = person_picker.people_matching(cpas=cpas, search=search, limit=person_picker.CHOICES_SHOWN + 1)
    more = len(people) > person_picker.CHOICES_SHOWN
    people = [person for person in people[:person_picker.CHOICES_SHOWN] if chosen is None or person.pk != chosen.pk]
    return render(request, "beneficiaries/_person_picker_options.html", {
        "name": name, "chosen": chosen, "people": people, "more": more, "searched": bool(search)})


@member_required
def beneficiary_detail(request, pk):
    membership = current_membership(request)
    # Its right in force today is read from its decisions by ``person_file_context``.
    beneficiary = selectors.beneficiary_get(cpas=membership.cpas, pk=pk, with_right=False)
    consultations.record(request, ConsultationKind.PERSON_PAGE, cpas=membership.cpas, beneficiary=beneficiary)
    return render(request, "beneficiaries/detail.html", {
        "beneficiary": beneficiary,
        "changes": selectors.beneficiary_changes(beneficiary),
        **file_page.person_file_context(beneficiary=beneficiary, user=request.user, membership=membership,
                                        everything=request.GET.get("all") == "1"),
    })


@member_required
@require_http_methods(["GET", "POST"])
def beneficiary_create(request):
    require_write(request, "beneficiaries")
    cpas = current_membership(request).cpas
    form = BeneficiaryCreateForm(request.POST or None, cpas=cpas)
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
    if request.method == "GET":
        # The edit form shows the full national number: an opening of the person's file like the page.
        consultations.record(request, ConsultationKind.PERSON_PAGE, cpas=cpas, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        saved = save_with_service(form, lambda: save_or_refuse_stale(form, lambda: services.beneficiary_update(
            acting_user=request.user, beneficiary=beneficiary, **form.cleaned_data)))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("beneficiary_detail", pk=saved.pk)
    return render(request, "beneficiaries/form.html", {"form": form, "beneficiary": beneficiary},
                  status=form_status(request, form) if request.method == "POST" else 200)


@member_required
@require_http_methods(["GET"])
def consultation_list(request):
    """The consultation log of the user's CPAS, for its managers and auditors."""
    require_read(request, "consultations")
    cpas = current_membership(request).cpas
    form = ConsultationFilterForm(request.GET or None, members=selectors.member_list(cpas=cpas))
    entries = selectors.consultation_list(cpas=cpas).none()
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        entries = selectors.consultation_list(
            cpas=cpas, beneficiary_id=data.get("person"), user_id=data.get("user"),
            day_from=data.get("day_from"), day_until=data.get("day_until"))
    page = CappedPaginator(entries, CONSULTATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "consultations/list.html", {"form": form, "page": page, "query": query.urlencode()},
                  status=status)
