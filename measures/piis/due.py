"""What falls due for PIIS and evaluation meetings (``cpas_portal.due`` providers, registered in ``apps.py``).

Each provider runs a fixed number of queries, whatever the number of people or caseworkers.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.due import CASEWORKER, DueItem, DueQuery, parts
from cpas_portal.functions import DayBefore
from cpas_portal.models import Beneficiary, RightDecision
from cpas_portal.url_patterns import url_maker

from . import parameters, rules
from .models import Evaluation, Piis, PiisStatus

RIS = "ris"
# What an item needs of its person: fetched alone, so a caseworker's hundreds of rows stay light.
PERSON_FIELDS = ("beneficiary__id", "beneficiary__last_name", "beneficiary__first_name", "beneficiary__referent_id")


def _person(row):
    """The person fields of an item read from a row with :data:`PERSON_FIELDS`."""
    return {"beneficiary_id": row["beneficiary__id"],
            "beneficiary_name": Beneficiary.display_name(row["beneficiary__last_name"], row["beneficiary__first_name"]),
            "referent_id": row["beneficiary__referent_id"]}


def _for_referents(rows, referent_ids, path="beneficiary__referent_id__in"):
    return rows if referent_ids is None else rows.filter(**{path: list(referent_ids)})


def piis_to_conclude(*, cpas, on, until, referent_ids=None):
    """PIIS to conclude: under 25, within 3 months of the application (a PIIS still being negotiated);
    from 1 Nov 2016, within 3 months of the decision granting a new integration income. The first are few
    and read at once; the second are rows in the database (a large CPAS has thousands)."""
    return parts(_under_25(cpas=cpas, until=until, referent_ids=referent_ids),
                 _new_integration_income(cpas=cpas, on=on, until=until, referent_ids=referent_ids))


def _under_25(*, cpas, until, referent_ids):
    """Drafts applied for by someone under 25: plain rows (a busy caseworker has hundreds of drafts, few of them
    under 25), the rule deciding which are due."""
    rows = _for_referents(Piis.objects.filter(cpas=cpas, status=PiisStatus.DRAFT, applied_on__isnull=False),
                          referent_ids).order_by().values("pk", "applied_on", "beneficiary__birth_date", *PERSON_FIELDS)
    detail_url = url_maker("piis_detail")
    items = []
    for row in rows:
        deadline = rules.under_25_deadline(birth_date=row["beneficiary__birth_date"], applied_on=row["applied_on"])
        if deadline is not None and deadline.due <= until:
            items.append(DueItem(
                key=f"piis.conclude.u25:{row['pk']}", kind=deadline.kind, due=deadline.due, reason=deadline.reason,
                source=deadline.source, url=detail_url(row["pk"]), audience=CASEWORKER, **_person(row)))
    return items


def _ris_deadline_day(day):
    """The day by which a PIIS is concluded after a RIS decision of ``day``; before the rule, the earliest day
    (a key the range search of ``DueQuery`` can order)."""
    deadline = rules.new_ris_deadline(decided_on=day)
    return date.min if deadline is None else deadline.due


def _new_integration_income(*, cpas, on, until, referent_ids):
    """A RIS decision still in force, taken since the rule exists, making a *new* beneficiary, and no PIIS
    concluded since it started. Ordered by the decision's day, from which the deadline follows."""
    concluded = Piis.objects.filter(beneficiary=OuterRef("beneficiary"), status__in=[PiisStatus.SIGNED,
                                                                                    PiisStatus.ENDED]).filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("start")))
    # ``rules.is_new_right`` as a query: an earlier RIS decision running up to the day before continues the right.
    continued = RightDecision.objects.filter(beneficiary=OuterRef("beneficiary"), right_type=RIS,
                                             start__lt=OuterRef("start")).filter(
        Q(end__isnull=True) | Q(end__gte=DayBefore(OuterRef("start"))))
    rows = _for_referents(
        RightDecision.objects.filter(cpas=cpas, right_type=RIS)
        .annotate(decision_day=Coalesce("decided_on", "start"))
        .filter(decision_day__gte=parameters.REFORM_2016, decision_day__lte=until)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .exclude(Exists(concluded))
        .exclude(Exists(continued)), referent_ids)
    create_url = reverse("piis_create")
    deadline_of = {}  # the rule is pure: computed once a decision day

    def build(row):
        day = row["decision_day"]
        if day not in deadline_of:
            deadline_of[day] = rules.new_ris_deadline(decided_on=day)
        deadline = deadline_of[day]
        return DueItem(
            key=f"piis.conclude.ris:{row['pk']}", kind=deadline.kind, due=deadline.due, reason=deadline.reason,
            source=deadline.source, url=f"{create_url}?beneficiary={row['beneficiary__id']}", audience=CASEWORKER,
            **_person(row))

    return DueQuery(rows=rows, key="decision_day", fields=("pk", "decision_day", *PERSON_FIELDS), build=build,
                    on=on, until=until, due_of=_ris_deadline_day)


def evaluations_due(*, cpas, on, until, referent_ids=None):
    """Planned evaluation meetings (PIIS and art. 60 §7 placements) up to ``until``, overdue ones included,
    each linking to the page recording it. Rows in the database: a busy caseworker has hundreds planned."""
    record_url = url_maker("piis_evaluation_record")
    piis_source, placement_source = parameters.EVALUATIONS_PER_YEAR, parameters.PLACEMENT_EVALUATION_MONTHS
    piis_reason = _("PIIS evaluation meeting planned on %(day)s.")
    placement_reason = _("Art. 60 §7 placement evaluation meeting planned on %(day)s.")
    rows = _for_referents(Evaluation.objects.filter(cpas=cpas, held_on__isnull=True, planned_on__lte=until),
                          referent_ids)

    def build(row):
        planned_on = row["planned_on"]
        reason, source = (piis_reason, piis_source) if row["piis_id"] else (placement_reason, placement_source)
        return DueItem(
            key=f"piis.evaluation:{row['pk']}", kind="piis.evaluation", due=planned_on,
            reason=reason % {"day": planned_on.strftime("%d/%m/%Y")}, source=source.in_force(planned_on).source,
            url=record_url(row["pk"]), audience=CASEWORKER, **_person(row))

    return DueQuery(rows=rows, key="planned_on", build=build, on=on, until=until,
                    fields=("pk", "piis_id", "planned_on", *PERSON_FIELDS))


def yearly_evaluations_short(*, cpas, on, until, referent_ids=None):
    """A running PIIS whose evaluations of ``on``'s year, held and still planned, fall short of the yearly
    minimum (3, of which 2 face to face): due on 31 December (one query)."""
    year_end = date(on.year, 12, 31)
    if year_end > until:
        return []
    first = date(on.year, 1, 1)
    in_year = Q(evaluations__held_on__gte=first, evaluations__held_on__lte=year_end)
    planned = Q(evaluations__held_on__isnull=True, evaluations__planned_on__gte=first,
                evaluations__planned_on__lte=year_end)
    rows = _for_referents(
        Piis.objects.filter(cpas=cpas, status=PiisStatus.SIGNED, start__lte=year_end)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .annotate(held=Count("evaluations", filter=in_year),
                  held_f2f=Count("evaluations", filter=in_year & Q(evaluations__face_to_face=True)),
                  still_planned=Count("evaluations", filter=planned))
        .select_related("beneficiary"), referent_ids)
    items = []
    for piis in rows:
        # Held ones as counted; planned ones as face-to-face meetings still possible.
        evaluations = ([(first, True)] * piis.held_f2f + [(first, False)] * (piis.held - piis.held_f2f)
                       + [(first, True)] * piis.still_planned)
        check = rules.yearly_evaluations(year=on.year, start=piis.start, end=piis.end, evaluations=evaluations)
        if check.met:
            continue
        items.append(DueItem(
            key=f"piis.yearly:{piis.pk}:{on.year}", kind="piis.yearly_evaluations", due=check.due,
            reason=_("Not enough evaluations planned or held this year: %(missing)s missing, %(f2f)s face to face.")
            % {"missing": check.missing, "f2f": check.missing_face_to_face},
            source="; ".join(check.sources), url=reverse("piis_detail", args=[piis.pk]), audience=CASEWORKER,
            beneficiary_id=piis.beneficiary_id, beneficiary_name=str(piis.beneficiary),
            referent_id=piis.beneficiary.referent_id))
    return items
