"""Which right (integration income or equivalent aid) a person holds on a day (DOMAIN.md §3).

Reads the dated :class:`~cpas_portal.models.RightDecision` records; set-based for lists.
"""

from django.db.models import Q

from .models import RightDecision


def in_force(*, beneficiary, day):
    """The decision in force for ``beneficiary`` on ``day`` (the latest started, if they overlap), or ``None``."""
    return (
        RightDecision.objects.filter(Q(end__isnull=True) | Q(end__gte=day), beneficiary=beneficiary, start__lte=day)
        .order_by("-start", "-id")
        .first()
    )


def in_force_by_person(*, beneficiary_ids, day):
    """``{beneficiary_id: decision}`` for the decisions in force on ``day`` — one query for any number of people."""
    found = {}
    decisions = RightDecision.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day), beneficiary_id__in=list(beneficiary_ids), start__lte=day
    ).order_by("beneficiary_id", "start", "id")
    for decision in decisions:
        found[decision.beneficiary_id] = decision
    return found


def has_right_on(*, beneficiary, day):
    return in_force(beneficiary=beneficiary, day=day) is not None
