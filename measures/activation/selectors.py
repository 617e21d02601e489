"""Every user-scoped read of the social-activation subsidies, starting from the user's CPAS.

The realised figures are counted from the application's own records, never typed: a fixed number of
queries whatever the number of PIIS (one for the PIIS of the year, one for the social assessments).
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from cpas_portal.tenancy import get_in_cpas_or_404, scoped

from . import rules
from .models import ActivationReport, ActivationYear

# A PIIS is read for the report once concluded: signed, or signed and since ended.
COUNTED_PIIS_STATUSES = ("signed", "ended")
# A placement is a job once approved (it may have ended since); drafts and cancelled ones are not.
JOB_PLACEMENT_STATUSES = ("approved", "ended")


def activation_list(*, cpas):
    return scoped(ActivationYear.objects.all(), cpas).select_related("cpas").annotate(
        member_count=Count("cluster_members")).order_by("-year", "pk")


def activation_get(*, cpas, pk):
    return get_in_cpas_or_404(ActivationYear.objects.select_related("cpas"), cpas, pk=pk)


def activation_cpas_ids(activation):
    """The CPAS whose records the figures count: the CPAS itself and, for a cluster, its members
    (a cluster reports on the initiatives of all its CPAS; only counts cross CPAS, never a person)."""
    members = list(activation.cluster_members.values_list("pk", flat=True)) if activation.kind == rules.CLUSTER else []
    return [activation.cpas_id, *members]


def piis_rows(*, cpas_ids, year):
    """The concluded PIIS of these CPAS whose period touches ``year``, as plain rows for the rules.

    The database narrows to the year; the exact 6–12 month test (calendar months, end-of-month days)
    is the pure rule :func:`rules.counts_in_year`.
    """
    from measures.models import Placement
    from measures.piis.models import Piis

    year_end = date(year, 12, 31)
    placed = Placement.objects.filter(
        cpas=OuterRef("cpas"), beneficiary=OuterRef("beneficiary"), status__in=JOB_PLACEMENT_STATUSES,
        start__gte=OuterRef("start"), start__lte=year_end,
    )
    rows = (Piis.objects.filter(cpas_id__in=cpas_ids, status__in=COUNTED_PIIS_STATUSES, start__isnull=False,
                                end__isnull=False, start__lte=year_end, end__gte=date(year, 1, 1))
            .annotate(followed_by_placement=Exists(placed))
            .values_list("pk", "beneficiary_id", "kind", "outcome", "start", "end", "followed_by_placement")
            .order_by("pk"))
    return [rules.PiisRow(*row) for row in rows]


def social_assessment_count(*, cpas_ids, year):
    """Beneficiaries for whom a social assessment was made in the year: the evaluation meetings of a
    PIIS held in the year (an assessment draws up the person's situation and decides what follows,
    seed 002), each person counted once. Interpretation, kept here."""
    from measures.piis.models import Evaluation

    return Evaluation.objects.filter(
        cpas_id__in=cpas_ids, piis__isnull=False, held_on__gte=date(year, 1, 1), held_on__lte=date(year, 12, 31),
    ).aggregate(people=Count("beneficiary", distinct=True))["people"]


def realised(activation):
    cpas_ids = activation_cpas_ids(activation)
    return rules.count_realised(
        piis_rows(cpas_ids=cpas_ids, year=activation.year), year=activation.year,
        social_assessments=social_assessment_count(cpas_ids=cpas_ids, year=activation.year))


def report_list(*, activation):
    return ActivationReport.objects.filter(activation=activation).defer("pdf").select_related("requested_by")


def report_get(*, cpas, pk):
    return get_in_cpas_or_404(ActivationReport.objects.select_related("activation", "cpas"), cpas, pk=pk)


def due_rows(*, cpas, year_from):
    """The subsidies of the CPAS still open from ``year_from`` on, for the due-item provider (one query)."""
    return list(ActivationYear.objects.filter(cpas=cpas, year__gte=year_from).filter(
        Q(signed_on__isnull=True) | Q(advance_received_on__isnull=True) | Q(report_sent_on__isnull=True)
        | Q(balance_received_on__isnull=True)).order_by("year"))


# Claims of the advance and the balance ------------------------------------------------------------

def source_key(instalment, activation_id):
    """The claim source key of an instalment: ``activation.advance:<id>`` or ``activation.balance:<id>``."""
    return f"activation.{instalment}:{activation_id}"


def claimable_instalments(*, cpas, until, held_ids):
    """The subsidies of the CPAS with an instalment due by ``until`` and no claim yet (the advance once
    signed, the balance once the final report is sent), or one held by a claim in ``held_ids`` (one query)."""
    return list(ActivationYear.objects.filter(cpas=cpas, granted_amount__isnull=False).filter(
        Q(signed_on__lte=until, advance_claimed_at__isnull=True)
        | Q(report_sent_on__lte=until, balance_claimed_at__isnull=True)
        | Q(pk__in=held_ids)).order_by("year", "pk"))


def instalment_claims(activation):
    """Instalment → the live claim line holding it, with its claim (one query)."""
    from reimbursements.models import ClaimLine

    keys = {source_key(instalment, activation.pk): instalment for instalment in rules.INSTALMENTS}
    lines = ClaimLine.objects.filter(cpas_id=activation.cpas_id, live=True, source_key__in=list(keys)) \
        .select_related("claim").order_by("pk")
    return {keys[line.source_key]: line for line in lines}
