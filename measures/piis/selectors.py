"""Every user-scoped read of PIIS and evaluation meetings, starting from the user's CPAS (another CPAS: 404)."""

from django.db.models import Prefetch, Q

from cpas_portal.aggregates import built_once, child_count
from cpas_portal.compiled import compiled
from cpas_portal.models import Beneficiary, Organisation
from cpas_portal.pagination import first_page_with_count
from cpas_portal.tenancy import compiled_get_or_404, get_in_cpas_or_404

from .models import Evaluation, Piis


@built_once
def _evaluation_counts():
    return {"held_count": child_count(Evaluation.objects.filter(held_on__isnull=False), "piis"),
            "planned_count": child_count(Evaluation.objects.filter(held_on__isnull=True), "piis")}


def piis_list(*, cpas, status=None, kind=None, beneficiary=None, referent=None, search=None):
    """The PIIS of ``cpas`` with their person, third parties and evaluation counts (fixed number of queries)."""
    rows = (Piis.objects.filter(cpas=cpas)
            .select_related("beneficiary", "beneficiary__referent")
            .prefetch_related(Prefetch("third_parties", queryset=Organisation.objects.order_by("name")))
            .annotate(**_evaluation_counts()))
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if beneficiary:
        rows = rows.filter(beneficiary=beneficiary)
    if referent:
        rows = rows.filter(beneficiary__referent=referent)
    if search:
        for word in search.split():
            rows = rows.filter(Q(beneficiary__last_name__icontains=word) | Q(beneficiary__first_name__icontains=word))
    return rows.order_by("-start", "-id")


@compiled
def piis_first_page(cpas_id, *, fields, per_page):
    """The PIIS list as it opens (no filter): its first ``per_page`` rows with only ``fields``, each with the list's
    capped count (``pagination.first_page_with_count``), in one query compiled once per process."""
    return first_page_with_count(piis_list(cpas=cpas_id).only(*fields), per_page)


@compiled
def _piis_in(cpas_id, pk):
    return Piis.objects.select_related("beneficiary", "beneficiary__referent", "cpas", "created_by").filter(
        cpas_id=cpas_id, pk=pk)


def piis_get(*, cpas, pk):
    return compiled_get_or_404(_piis_in, cpas, pk)


@compiled
def _evaluations_of(piis_id):
    return (Evaluation.objects.filter(piis_id=piis_id).select_related("evaluator")
            .order_by("planned_on", "held_on", "id"))


def piis_evaluations(piis):
    evaluations = _evaluations_of(piis.pk)
    for evaluation in evaluations:
        evaluation.piis = piis  # as the related manager leaves them
    return evaluations


def evaluation_list(*, cpas, piis=None, placement=None, beneficiary=None, held=None):
    rows = Evaluation.objects.filter(cpas=cpas).select_related("beneficiary", "evaluator", "piis", "placement")
    if piis is not None:
        rows = rows.filter(piis=piis)
    if placement is not None:
        rows = rows.filter(placement=placement)
    if beneficiary is not None:
        rows = rows.filter(beneficiary=beneficiary)
    if held is not None:
        rows = rows.filter(held_on__isnull=not held)
    return rows.order_by("planned_on", "held_on", "id")


def evaluation_get(*, cpas, pk):
    return get_in_cpas_or_404(
        Evaluation.objects.select_related("beneficiary", "piis", "placement", "evaluator"), cpas, pk=pk)


def agenda(*, cpas, referent):
    """The meetings still to hold with the people ``referent`` follows, by date: the overdue ones come first."""
    return (Evaluation.objects.filter(cpas=cpas, held_on__isnull=True, beneficiary__referent=referent)
            .select_related("beneficiary", "piis", "placement")
            .order_by("planned_on", "planned_time", "id"))


def third_party_choices(*, cpas):
    return Organisation.objects.filter(cpas=cpas).order_by("name")


def beneficiaries(*, cpas):
    return Beneficiary.objects.filter(cpas=cpas)


@compiled
def _piis_of(cpas_id, beneficiary_id):
    return (Piis.objects.filter(beneficiary_id=beneficiary_id, cpas_id=cpas_id)
            .prefetch_related(
                Prefetch("evaluations", queryset=Evaluation.objects.select_related("evaluator")
                         .order_by("planned_on", "held_on", "id")),
                Prefetch("third_parties", queryset=Organisation.objects.order_by("name")))
            .order_by("-start", "-id"))


def person_piis(*, beneficiary):
    """A person's PIIS with their evaluations and third parties: three queries whatever their number (the first
    compiled once per process)."""
    return _piis_of(beneficiary.cpas_id, beneficiary.pk)


HISTORY_SHOWN = 30


@compiled
def _latest_changes(piis_id):
    return (Piis.history.filter(id=piis_id).select_related("history_user")
            .order_by("-history_date", "-history_id")[:HISTORY_SHOWN])


def piis_history(piis):
    """The latest changes of ``piis`` (:data:`HISTORY_SHOWN`): when, who, and its status then."""
    return _latest_changes(piis.pk)
