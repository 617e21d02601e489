"""What falls due for PIIS and evaluation meetings (``cpas_portal.due`` providers, registered in ``apps.py``).

Each provider runs a fixed number of queries, whatever the number of people or caseworkers.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.due import CASEWORKER, DueItem, url_maker
from cpas_portal.models import RightDecision

from . import parameters, rules
from .models import Evaluation, Piis, PiisStatus

RIS = "ris"
# What an item needs of its person: fetched alone, so a caseworker's hundreds of rows stay light.
PERSON_FIELDS = ("beneficiary__id", "beneficiary__last_name", "beneficiary__first_name", "beneficiary__referent_id")


def _name(beneficiary):
    return f"{beneficiary.last_name.upper()} {beneficiary.first_name}"


def _for_referents(rows, referent_ids, path="beneficiary__referent_id__in"):
    return rows if referent_ids is None else rows.filter(**{path: list(referent_ids)})


def piis_to_conclude(*, cpas, on, until, referent_ids=None):
    """PIIS to conclude: under 25, within 3 months of the application (a PIIS still being negotiated);
    from 1 Nov 2016, within 3 months of the decision granting a new integration income (two queries)."""
    items = []
    drafts = _for_referents(Piis.objects.filter(cpas=cpas, status=PiisStatus.DRAFT, applied_on__isnull=False)
                            .select_related("beneficiary").only("applied_on", "beneficiary__birth_date",
                                                                *PERSON_FIELDS), referent_ids)
    for piis in drafts:
        deadline = rules.under_25_deadline(birth_date=piis.beneficiary.birth_date, applied_on=piis.applied_on)
        if deadline is not None and deadline.due <= until:
            items.append(_item(f"piis.conclude.u25:{piis.pk}", deadline, piis.beneficiary,
                               reverse("piis_detail", args=[piis.pk])))

    # A RIS decision still in force, taken since the rule exists, and no PIIS concluded since it started.
    concluded = Piis.objects.filter(beneficiary=OuterRef("beneficiary"), status__in=[PiisStatus.SIGNED,
                                                                                    PiisStatus.ENDED]).filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("start")))
    earlier = RightDecision.objects.filter(beneficiary=OuterRef("beneficiary"), right_type=RIS,
                                           start__lt=OuterRef("start"))
    # Plain rows, not model instances, and no ordering (the page sorts): a large CPAS has thousands of them.
    decisions = list(_for_referents(
        RightDecision.objects.filter(cpas=cpas, right_type=RIS)
        .filter(Q(decided_on__gte=parameters.REFORM_2016) | Q(decided_on__isnull=True,
                                                              start__gte=parameters.REFORM_2016))
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .filter(Q(decided_on__lte=until) | Q(decided_on__isnull=True, start__lte=until))
        .exclude(Exists(concluded))
        .annotate(has_earlier=Exists(earlier)), referent_ids)
        .order_by().values_list("pk", "start", "decided_on", "has_earlier", *PERSON_FIELDS))
    # Whether a decision makes a *new* beneficiary is the rule's to say; it needs the earlier RIS decisions.
    previous = {}
    with_earlier = {row[4] for row in decisions if row[3]}
    if with_earlier:
        for person_id, start, end in RightDecision.objects.filter(
                beneficiary_id__in=with_earlier, right_type=RIS).order_by().values_list("beneficiary_id", "start",
                                                                                         "end"):
            previous.setdefault(person_id, []).append((start, end))
    create_url = reverse("piis_create")
    deadline_of = {}  # the rule is pure: computed once a decision day
    for pk, start, decided_on, _has_earlier, person_id, last_name, first_name, referent_id in decisions:
        if not rules.is_new_right(start=start, earlier=previous.get(person_id, [])):
            continue
        day = decided_on or start
        if day not in deadline_of:
            deadline_of[day] = rules.new_ris_deadline(decided_on=day)
        deadline = deadline_of[day]
        if deadline is not None and deadline.due <= until:
            items.append(DueItem(
                key=f"piis.conclude.ris:{pk}", kind=deadline.kind, due=deadline.due, reason=deadline.reason,
                source=deadline.source, url=f"{create_url}?beneficiary={person_id}", audience=CASEWORKER,
                beneficiary_id=person_id, beneficiary_name=f"{last_name.upper()} {first_name}",
                referent_id=referent_id))
    return items


def evaluations_due(*, cpas, on, until, referent_ids=None):
    """Planned evaluation meetings (PIIS and art. 60 §7 placements) up to ``until``, overdue ones included,
    each linking to the page recording it (one query)."""
    record_url = url_maker("piis_evaluation_record")
    piis_source, placement_source = parameters.EVALUATIONS_PER_YEAR, parameters.PLACEMENT_EVALUATION_MONTHS
    piis_reason = _("PIIS evaluation meeting planned on %(day)s.")
    placement_reason = _("Art. 60 §7 placement evaluation meeting planned on %(day)s.")
    # Plain rows, not model instances: a busy caseworker has hundreds of meetings planned.
    rows = _for_referents(Evaluation.objects.filter(cpas=cpas, held_on__isnull=True, planned_on__lte=until)
                          .order_by("planned_on", "id"), referent_ids).values_list(
        "pk", "piis_id", "planned_on", "beneficiary_id", "beneficiary__last_name", "beneficiary__first_name",
        "beneficiary__referent_id")
    items = []
    for pk, piis_id, planned_on, person_id, last_name, first_name, referent_id in rows:
        reason, source = (piis_reason, piis_source) if piis_id else (placement_reason, placement_source)
        items.append(DueItem(
            key=f"piis.evaluation:{pk}", kind="piis.evaluation", due=planned_on,
            reason=reason % {"day": planned_on.strftime("%d/%m/%Y")}, source=source.in_force(planned_on).source,
            url=record_url(pk), audience=CASEWORKER, beneficiary_id=person_id,
            beneficiary_name=f"{last_name.upper()} {first_name}", referent_id=referent_id))
    return items


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
            beneficiary_id=piis.beneficiary_id, beneficiary_name=_name(piis.beneficiary),
            referent_id=piis.beneficiary.referent_id))
    return items


def _item(key, deadline, beneficiary, url):
    return DueItem(key=key, kind=deadline.kind, due=deadline.due, reason=deadline.reason, source=deadline.source,
                   url=url, audience=CASEWORKER, beneficiary_id=beneficiary.pk, beneficiary_name=_name(beneficiary),
                   referent_id=beneficiary.referent_id)

