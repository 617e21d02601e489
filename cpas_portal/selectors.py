"""Reads of the shared kernel, always starting from the user's CPAS."""

from datetime import timedelta

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import person_records, person_search, rights
from .compiled import compiled
from .models import Beneficiary, CaseNote, ConsultationLog, Organisation, PersonDocument, RightDecision, Role
from .pagination import first_page_with_count
from .tenancy import compiled_get_or_404, get_in_cpas_or_404, scoped

# The notes and documents a person's file reads at most unless asked for everything (its timeline shows 50).
LATEST_SHOWN = 51


def is_number_search(search):
    """Whether ``search`` is (the start of) a national number: such a search never travels in a URL."""
    return person_search.is_number_search(search)


class PersonStatus:
    """A person's standing on the list, from their right decisions (``rights.py``)."""

    ACTIVE = "active"
    ENDING = "ending"
    NO_RIGHT = "no_right"
    # A right ending within this many days is shown as ending (the caseworker has a decision to prepare).
    ENDING_WITHIN_DAYS = 30


def beneficiary_list(*, cpas, search="", day=None, referent_id=None, right_type=None, category=None, status=None):
    """Beneficiaries of ``cpas`` with their right in force on ``day`` (today by default: ``right_type_on_day``,
    ``category_on_day``, ``right_end_on_day``); ``search`` matches names (accents and case ignored, either
    order, partial) or a national number in any typed form (``person_search``). Filters: ``referent_id``
    (``"none"``: nobody), ``right_type`` (``"none"``: no right on ``day``), ``category`` and ``status``
    (``PersonStatus``)."""
    day = day or timezone.localdate()
    queryset = person_search.search(scoped(Beneficiary.objects.select_related("referent"), cpas), search, cpas=cpas)
    if referent_id == "none":
        queryset = queryset.filter(referent__isnull=True)
    elif referent_id:
        queryset = queryset.filter(referent_id=referent_id)
    if right_type == "none":
        queryset = rights.without_right_in_force(queryset, day=day)
        if category:
            queryset = queryset.none()
    elif right_type or category:
        queryset = rights.with_right_in_force(queryset, day=day, right_type=right_type, category=category)
    if status == PersonStatus.NO_RIGHT:
        queryset = rights.without_right_in_force(queryset, day=day)
    elif status == PersonStatus.ACTIVE:
        queryset = rights.with_right_in_force(queryset, day=day)
    elif status == PersonStatus.ENDING:
        queryset = rights.with_right_ending(queryset, day=day,
                                            until=day + timedelta(days=PersonStatus.ENDING_WITHIN_DAYS))
    ordering = person_search.SEARCH_ORDER if (search or "").strip() else ("last_name", "first_name", "id")
    return rights.annotate_in_force(queryset, day=day).order_by(*ordering)


def person_status(beneficiary, *, day):
    """``PersonStatus`` of a row of ``beneficiary_list`` (from its annotations: no query)."""
    if beneficiary.right_type_on_day is None:
        return PersonStatus.NO_RIGHT
    end = beneficiary.right_end_on_day
    if end is not None and end <= day + timedelta(days=PersonStatus.ENDING_WITHIN_DAYS):
        return PersonStatus.ENDING
    return PersonStatus.ACTIVE


def _listed_people(cpas_id, day, fields):
    queryset = rights.annotate_in_force(Beneficiary.objects.select_related("referent").filter(cpas_id=cpas_id),
                                        day=day)
    return queryset.only(*fields) if fields else queryset


@compiled
def _people_by_ids(cpas_id, day, *ids, fields, order):
    return _listed_people(cpas_id, day, fields).filter(pk__in=ids).order_by(*order)


@compiled
def beneficiary_first_page(cpas_id, day, *, order, fields, per_page):
    """The beneficiary list as it opens (no search, no filter): its first ``per_page`` people in ``order`` with only
    ``fields``, each with the list's capped count (``pagination.first_page_with_count``). One query compiled once
    per process for each order."""
    people = beneficiary_list(cpas=cpas_id, day=day).only(*fields)
    return first_page_with_count(people.order_by(*order), per_page)


def listed_people(*, cpas, day, ids, fields=(), order=()):
    """The people of ``cpas`` among ``ids`` as :func:`beneficiary_list` gives them (their right in force on
    ``day``), in ``order`` (none: the database's), with only ``fields`` (all: empty): the rows of a page whose
    keys are read already (a search's matches, a page past the first). One query compiled once per process for
    each number of ids."""
    if not ids:
        return []
    return _people_by_ids(cpas.pk, day, *ids, fields=tuple(fields), order=tuple(order))


def beneficiary_search_results(*, cpas, search, day=None, fields=None):
    """The people of ``cpas`` matching ``search`` in the search order, with their right in force on ``day``
    (today), as ``beneficiary_list`` gives them without filters: a sliceable sequence for a paginator, read
    from the search indexes alone however many people match (``person_search.ordered_matches``); ``fields``:
    only these columns (those a page shows)."""
    day = day or timezone.localdate()
    return person_search.ordered_matches(
        lambda: _listed_people(cpas.pk, day, fields), search, cpas=cpas,
        rows_of=lambda ids: listed_people(cpas=cpas, day=day, ids=ids, fields=fields or (),
                                          order=person_search.SEARCH_ORDER))


def person_matches(*, cpas, search):
    """The people of ``cpas`` a person picker may offer for ``search``, in the search order, without rights
    (sliceable; nobody for an empty search)."""
    queryset = scoped(Beneficiary.objects.only("id", "cpas_id", "first_name", "last_name", "niss", "birth_date"), cpas)
    return person_search.ordered_matches(queryset, search, cpas=cpas)


def person_choices(*, cpas, search, limit):
    """The people of ``cpas`` a person picker offers for ``search`` (at most ``limit``), without rights."""
    return list(person_matches(cpas=cpas, search=search)[:limit])


@compiled
def _beneficiary_in(cpas_id, pk):
    return Beneficiary.objects.select_related("cpas", "referent").filter(cpas_id=cpas_id, pk=pk)


def beneficiary_get(*, cpas, pk, day=None, with_right=True):
    """One beneficiary of ``cpas`` (another CPAS's is a 404), with their right in force on ``day`` (today);
    without it (``with_right=False``) for a page that reads the person's decisions anyway
    (``rights.in_force_among``): then one query compiled once per process."""
    if not with_right:
        return compiled_get_or_404(_beneficiary_in, cpas, pk)
    queryset = rights.annotate_in_force(Beneficiary.objects.select_related("cpas", "referent"),
                                        day=day or timezone.localdate())
    return get_in_cpas_or_404(queryset, cpas, pk=pk)


def right_decision_list(*, cpas, beneficiary):
    """The decisions of ``beneficiary`` (of ``cpas``), oldest first."""
    return scoped(RightDecision.objects.filter(beneficiary=beneficiary), cpas).order_by("start", "id")


@compiled
def _decisions_of(cpas_id, beneficiary_id):
    return RightDecision.objects.filter(cpas_id=cpas_id, beneficiary_id=beneficiary_id).order_by("start", "id")


def person_decisions(*, cpas, beneficiary):
    """:func:`right_decision_list` as a list, its query compiled once per process (the person's file)."""
    return _decisions_of(cpas.pk, beneficiary.pk)


def right_decision_get(*, cpas, beneficiary, pk):
    return get_in_cpas_or_404(RightDecision.objects.filter(beneficiary=beneficiary), cpas, pk=pk)


def case_note_list(*, cpas, beneficiary, user, membership):
    """The notes of ``beneficiary`` that ``user`` may read (confidential ones: referent and managers), newest
    first."""
    queryset = scoped(CaseNote.objects.filter(beneficiary=beneficiary).select_related("author"), cpas)
    return person_records.readable_notes(queryset, user=user, membership=membership).order_by("-day", "-id")


def _notes(cpas_id, beneficiary_id):
    return (CaseNote.objects.filter(cpas_id=cpas_id, beneficiary_id=beneficiary_id).select_related("author")
            .order_by("-day", "-id"))


@compiled
def _latest_notes_for_manager(cpas_id, beneficiary_id):
    return _notes(cpas_id, beneficiary_id)[:LATEST_SHOWN]


@compiled
def _latest_notes_for_reader(cpas_id, beneficiary_id, reader_id):
    return _notes(cpas_id, beneficiary_id).filter(person_records.notes_readable_by(reader_id))[:LATEST_SHOWN]


def latest_case_notes(*, cpas, beneficiary, user, membership):
    """The latest :data:`LATEST_SHOWN` notes of :func:`case_note_list` (a list), compiled once per process."""
    if person_records.reads_every_note(membership):
        return _latest_notes_for_manager(cpas.pk, beneficiary.pk)
    return _latest_notes_for_reader(cpas.pk, beneficiary.pk, user.pk)


def case_note_get(*, cpas, beneficiary, pk, user, membership):
    """One note; a confidential note the user may not read is a 404, as if it did not exist."""
    return get_object_or_404(case_note_list(cpas=cpas, beneficiary=beneficiary, user=user, membership=membership),
                             pk=pk)


def document_list(*, cpas, beneficiary):
    return scoped(PersonDocument.objects.filter(beneficiary=beneficiary).select_related("uploaded_by"), cpas)


@compiled
def _latest_documents(cpas_id, beneficiary_id):
    return (PersonDocument.objects.filter(cpas_id=cpas_id, beneficiary_id=beneficiary_id)
            .select_related("uploaded_by")[:LATEST_SHOWN])


def latest_documents(*, cpas, beneficiary):
    """The first :data:`LATEST_SHOWN` documents of :func:`document_list` (a list), compiled once per process."""
    return _latest_documents(cpas.pk, beneficiary.pk)


def document_get(*, cpas, beneficiary, pk):
    return get_in_cpas_or_404(PersonDocument.objects.filter(beneficiary=beneficiary), cpas, pk=pk)


@compiled
def _history_of(beneficiary_id):
    return (Beneficiary.history.filter(id=beneficiary_id).select_related("history_user")
            .order_by("-history_date", "-history_id"))


def beneficiary_changes(beneficiary):
    """Change history, newest first: who, when, and what changed (field, old, new)."""
    records = _history_of(beneficiary.pk)
    changes = []
    for record, previous in zip(records, records[1:] + [None], strict=True):
        diff = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["created_at"])
            for change in delta.changes:
                field = Beneficiary._meta.get_field(change.field)
                diff.append((field.verbose_name, _shown(field.name, change.old), _shown(field.name, change.new)))
        changes.append({"record": record, "user": record.history_user, "when": record.history_date,
                        "type": record.get_history_type_display(), "diff": diff})
    return changes


def _shown(field_name, value):
    from .identifiers import niss_masked

    if field_name == "niss" and value:
        return niss_masked(value)
    return "—" if value in (None, "") else value


def organisation_list(*, cpas, kinds=None):
    queryset = scoped(Organisation.objects.all(), cpas)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    return queryset


def organisation_get(*, cpas, pk):
    return get_in_cpas_or_404(Organisation.objects.all(), cpas, pk=pk)


def consultation_list(*, cpas, beneficiary_id=None, user_id=None, day_from=None, day_until=None):
    """The consultation log of ``cpas``, newest first; filters by person, user and days (local dates)."""
    queryset = scoped(ConsultationLog.objects.select_related("beneficiary"), cpas)
    if beneficiary_id:
        queryset = queryset.filter(beneficiary_id=beneficiary_id)
    if user_id:
        queryset = queryset.filter(user_id=user_id)
    if day_from:
        queryset = queryset.filter(at__date__gte=day_from)
    if day_until:
        queryset = queryset.filter(at__date__lte=day_until)
    return queryset.order_by("-at", "-id")


def caseworker_choices(*, cpas, keep=None):
    """The CPAS's active caseworkers, by full name: who may become a person's referent. ``keep``: the current
    referent's id, offered even when no longer a caseworker (so that editing the person does not drop them)."""
    from django.contrib.auth import get_user_model

    wanted = Q(membership__role=Role.CASEWORKER, is_active=True)
    if keep:
        wanted |= Q(pk=keep)
    return scoped(get_user_model().objects.filter(wanted), cpas, "membership__cpas").order_by(
        "last_name", "first_name", "username")


def caseworker_labels(*, cpas):
    """``caseworker_choices`` as (id, label) pairs, the label ``get_full_name() or username``: the beneficiary
    list's referent filter. Kept until the next write in the CPAS, like the home pages' items
    (``due_cache``): every list page offers them, and they change only when an account or a membership does."""
    from . import due_cache

    def read():
        return [(pk, f"{first_name} {last_name}".strip() or username) for pk, first_name, last_name, username
                in caseworker_choices(cpas=cpas).values_list("pk", "first_name", "last_name", "username")]

    return due_cache.remembered(page="caseworker-labels", cpas_id=cpas.pk, parts=(), read=read)


def member_list(*, cpas):
    """The users of ``cpas`` (for choices: the consultation log's filter)."""
    from django.contrib.auth import get_user_model

    return scoped(get_user_model().objects.all(), cpas, "membership__cpas").order_by("last_name", "username")
