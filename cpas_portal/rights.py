"""Which right (integration income or equivalent aid) a person holds on a day (DOMAIN.md §3).

A person's rights over time are their dated :class:`~cpas_portal.models.RightDecision` records; this
module is the one place that reads them. Set-based for lists and claims: one query for any number of
people.
"""

from datetime import date
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, Subquery

from .models import RightDecision


def _in_force_q(day, prefix=""):
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


def in_force(*, beneficiary, day):
    """The decision in force for ``beneficiary`` on ``day`` (the latest started, if they overlap), or ``None``."""
    return RightDecision.objects.filter(_in_force_q(day), beneficiary=beneficiary).order_by("-start", "-id").first()


def in_force_among(decisions, *, day):
    """The decision of ``decisions`` (one person's) in force on ``day``, as :func:`in_force` picks it (the latest
    started, if they overlap), or ``None``: for a page that reads the person's decisions anyway."""
    current = [decision for decision in decisions
               if decision.start <= day and (decision.end is None or decision.end >= day)]
    return max(current, key=lambda decision: (decision.start, decision.pk), default=None)


def in_force_by_person(*, beneficiary_ids, day):
    """``{beneficiary_id: decision}`` for the decisions in force on ``day`` — one query for any number of people."""
    found = {}
    decisions = RightDecision.objects.filter(_in_force_q(day), beneficiary_id__in=list(beneficiary_ids)).order_by(
        "beneficiary_id", "start", "id"
    )
    for decision in decisions:
        found[decision.beneficiary_id] = decision
    return found


def has_right_on(*, beneficiary, day):
    return in_force(beneficiary=beneficiary, day=day) is not None


def history_of(*, beneficiary):
    """Every decision of ``beneficiary``, oldest first."""
    return list(RightDecision.objects.filter(beneficiary=beneficiary).order_by("start", "id"))


def decisions_by_person(*, beneficiary_ids):
    """``{beneficiary_id: [decisions, oldest first]}`` — one query for any number of people."""
    found = {}
    for decision in RightDecision.objects.filter(beneficiary_id__in=list(beneficiary_ids)).order_by(
        "beneficiary_id", "start", "id"
    ):
        found.setdefault(decision.beneficiary_id, []).append(decision)
    return found


class DecisionPeriod(NamedTuple):
    """A decision's dates and right type, without the model instance (:func:`periods_by_person`)."""

    id: int
    start: date
    end: date | None
    right_type: str


def periods_by_person(*, beneficiary_ids):
    """``{beneficiary_id: [DecisionPeriod, oldest first]}``: what :func:`decisions_by_person` gives, as plain
    rows, for reads over thousands of people (:func:`covering` takes either). One query."""
    found = {}
    rows = (RightDecision.objects.filter(beneficiary_id__in=list(beneficiary_ids))
            .order_by("beneficiary_id", "start", "id")
            .values_list("beneficiary_id", "id", "start", "end", "right_type"))
    for beneficiary_id, *period in rows:
        found.setdefault(beneficiary_id, []).append(DecisionPeriod(*period))
    return found


def covering(decisions, *, start, end):
    """Of ``decisions`` (one person's), the one that governs a period from ``start`` to ``end``: the decision in
    force on its first day, else the latest one in force during it [interp: a line is reimbursed under the
    legislation of the right the person held in the period it covers]; ``None`` when none was."""
    on_first_day = [d for d in decisions if d.start <= start and (d.end is None or start <= d.end)]
    if on_first_day:
        return max(on_first_day, key=lambda d: (d.start, d.id or 0))
    during = [d for d in decisions if d.start <= end and (d.end is None or start <= d.end)]
    return max(during, key=lambda d: (d.start, d.id or 0)) if during else None


def covering_right_type(*, beneficiary, start=None, end=None, month=None):
    """An expression giving the right type of the decision :func:`covering` would choose for the person
    ``beneficiary`` over ``start``–``end`` (expressions of the outer query), or NULL; with ``month`` (the first
    day of a month) instead of ``start``/``end``, over that month. For reads that group thousands of lines by
    their legislation in the database (two index lookups a row, on both databases)."""
    from django.db.models.functions import Coalesce, TruncMonth

    if month is not None:
        start = month
    decisions = RightDecision.objects.filter(beneficiary_id=beneficiary).filter(Q(end__isnull=True) | Q(end__gte=start))
    if month is not None:
        # Started on or before the month's last day: started in that month or earlier.
        during = decisions.annotate(start_month=TruncMonth("start")).filter(start_month__lte=month)
    else:
        during = decisions.filter(start__lte=end)
    latest = ("-start", "-id")
    return Coalesce(
        Subquery(decisions.filter(start__lte=start).order_by(*latest).values("right_type")[:1]),
        Subquery(during.order_by(*latest).values("right_type")[:1]),
    )


def overlapping(decisions, *, start, end, exclude_pk=None):
    """The first of ``decisions`` whose period shares a day with ``start``–``end`` (open-ended when ``None``)."""
    for decision in decisions:
        if exclude_pk is not None and decision.pk == exclude_pk:
            continue
        if (end is None or decision.start <= end) and (decision.end is None or start <= decision.end):
            return decision
    return None


def with_right_in_force(queryset, *, day, right_type=None, category=None):
    """The people of ``queryset`` holding on ``day`` a decision (of ``right_type`` / ``category`` when given)."""
    decisions = RightDecision.objects.filter(_in_force_q(day), beneficiary=OuterRef("pk"))
    if right_type:
        decisions = decisions.filter(right_type=right_type)
    if category:
        decisions = decisions.filter(category=category)
    return queryset.filter(Exists(decisions))


def without_right_in_force(queryset, *, day):
    """The people of ``queryset`` holding no decision on ``day``."""
    return queryset.filter(~Exists(RightDecision.objects.filter(_in_force_q(day), beneficiary=OuterRef("pk"))))


def with_right_ending(queryset, *, day, until):
    """The people of ``queryset`` whose decision in force on ``day`` ends by ``until``."""
    decisions = RightDecision.objects.filter(_in_force_q(day), beneficiary=OuterRef("pk"), end__lte=until)
    return queryset.filter(Exists(decisions))


def annotate_in_force(queryset, *, day):
    """``queryset`` of people with ``right_type_on_day`` and ``category_on_day`` of their decision in force on
    ``day`` (``None`` without one): in the same query, whatever the number of rows."""
    latest = RightDecision.objects.filter(_in_force_q(day), beneficiary=OuterRef("pk")).order_by("-start", "-id")
    return queryset.annotate(
        right_type_on_day=Subquery(latest.values("right_type")[:1]),
        category_on_day=Subquery(latest.values("category")[:1]),
        right_end_on_day=Subquery(latest.values("end")[:1]),
    )
# What falls due (cpas_portal/due.py) ---------------------------------------------------------------

LEGAL_SOURCES = {
    "ris": "Loi du 26/05/2002 concernant le droit à l'intégration sociale",
    "equivalent_aid": "Loi du 02/04/1965 (aide sociale financière équivalente)",
}


def rights_ending(*, cpas, on, until, referent_ids=None):
    """Decisions ending between ``on`` and ``until`` with no later decision for the same person: the
    caseworker reviews the right before it lapses (DOMAIN.md §3). Rows in the database (a large CPAS has
    thousands of decisions ending within a month): the home page counts them there and reads the soonest."""
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext as _

    from .due import DueItem, DueQuery, narrowed, person_from_values, person_values
    from .url_patterns import url_maker

    renewed = RightDecision.objects.filter(beneficiary_id=OuterRef("beneficiary_id"), start__gt=OuterRef("end"))
    rows = narrowed(
        RightDecision.objects.filter(cpas=cpas, end__gte=on, end__lte=until).filter(~Exists(renewed)),
        referent_ids,
    )
    detail_url = url_maker("beneficiary_detail")
    labels = dict(RightDecision._meta.get_field("right_type").flatchoices)

    def build(row):
        return DueItem(
            key=f"rights.ending:{row['pk']}", kind="rights.ending", due=row["end"],
            reason=_("%(right)s ends on %(day)s: review the right") % {
                "right": labels.get(row["right_type"], row["right_type"]), "day": row["end"].strftime("%d/%m/%Y")},
            source=LEGAL_SOURCES.get(row["right_type"], ""),
            url=detail_url(row["beneficiary__id"]),
            **person_from_values(row),
        )

    return DueQuery(rows=rows, key="end", fields=("pk", "end", "right_type", *person_values()), build=build, on=on,
                    until=until)
