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


# What falls due (cpas_portal/due.py) ---------------------------------------------------------------

LEGAL_SOURCES = {
    "ris": "Loi du 26/05/2002 concernant le droit à l'intégration sociale",
    "equivalent_aid": "Loi du 02/04/1965 (aide sociale financière équivalente)",
}


def rights_ending(*, cpas, on, until, referent_ids=None):
    """Decisions ending between ``on`` and ``until`` with no later decision for the same person: the
    caseworker reviews the right before it lapses (DOMAIN.md §3). One query."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .due import DueItem, narrowed, person, person_only

    renewed = RightDecision.objects.filter(beneficiary_id=OuterRef("beneficiary_id"), start__gt=OuterRef("end"))
    decisions = narrowed(
        RightDecision.objects.filter(cpas=cpas, end__gte=on, end__lte=until).filter(~Exists(renewed)),
        referent_ids,
    ).select_related("beneficiary").only("end", "right_type", "beneficiary", *person_only()).order_by("end", "id")
    for decision in decisions:
        yield DueItem(
            key=f"rights.ending:{decision.pk}", kind="rights.ending", due=decision.end,
            reason=_("%(right)s ends on %(day)s: review the right") % {
                "right": decision.get_right_type_display(), "day": decision.end.strftime("%d/%m/%Y")},
            source=LEGAL_SOURCES.get(decision.right_type, ""),
            url=reverse("beneficiary_detail", args=[decision.beneficiary_id]),
            **person(decision.beneficiary),
        )
