"""What falls due in employment measures, for the home pages and the daily notifications.

- art. 60 §7 placements ending within the window (and approved ones past their planned end, to be
  ended or extended);
- part-time subsidy credits running out while the contract goes on (six months of contract time per
  CPAS and person, DOMAIN.md §6): read from the monthly lines, whose computation records the day the
  credit ran out;
- art. 61 windows closing (12 premiums within 24 calendar months of employment, DOMAIN.md §7) with
  premiums still unused;
- employments by private firms ending.

Each provider runs a fixed number of queries, whatever the number of items or caseworkers.
"""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.due import (
    CASEWORKER,
    DueItem,
    DueQuery,
    narrowed,
    person,
    person_from_values,
    person_values,
)
from cpas_portal.months import add_months
from cpas_portal.url_patterns import url_maker

from . import parameters as p
from . import rules
from .models import FirmEmployment, MonthlySubsidy, Placement, PlacementStatus, Workplace

CREDIT_END_CODES = ("part_time_credit_end", "se_part_time_credit_end")
CREDIT_END_TEXT = "part_time_credit_end"  # in both codes


def _day(value):
    return value.strftime("%d/%m/%Y")


def placements_ending(*, cpas, on, until, referent_ids=None):
    """Approved placements ending by ``until``; one whose planned end has passed without being ended is overdue.
    Rows in the database: a large CPAS has hundreds ending within a month."""
    rows = narrowed(
        Placement.objects.filter(cpas=cpas, status=PlacementStatus.APPROVED)
        .annotate(end_day=Coalesce("actual_end", "planned_end")).filter(end_day__lte=until),
        referent_ids,
    )
    detail_url = url_maker("placement_detail")
    ended, ends = (_("Art. 60 §7 contract ended on %(day)s: record its end or extend it"),
                   _("Art. 60 §7 contract ends on %(day)s"))

    def build(row):
        end_day = row["end_day"]
        return DueItem(
            key=f"measures.placement_ending:{row['pk']}", kind="measures.placement_ending", due=end_day,
            reason=(ended if end_day < on else ends) % {"day": _day(end_day)}, source=p.AR_UNEMPLOYMENT,
            url=detail_url(row["pk"]), audience=CASEWORKER, **person_from_values(row),
        )

    return DueQuery(rows=rows, key="end_day", fields=("pk", "end_day", *person_values()), build=build, on=on,
                    until=until)


def part_time_credits_running_out(*, cpas, on, until, referent_ids=None):
    """Part-time placements still running whose subsidy credit runs out by ``until`` (or already did)."""
    # The part-time placements still running come first (by person), then their lines (by placement): only
    # those lines' explanations are searched as text (for either code, both ending in "part_time_credit_end"),
    # and the code is then read here. A large CPAS has thousands of such lines, a few with the credit's end.
    running = narrowed(
        Placement.objects.filter(cpas=cpas, status=PlacementStatus.APPROVED, counts_as_full_time=False)
        .filter(Q(actual_end__isnull=True, planned_end__gte=on) | Q(actual_end__gte=on)),
        referent_ids,
    ).values("pk")
    lines = (MonthlySubsidy.objects.filter(placement_id__in=running, month__lte=until,
                                           explanation__icontains=CREDIT_END_TEXT).order_by("month", "id")
             .values("placement_id", "scheme", "explanation", "placement__start", "placement__actual_end",
                     "placement__planned_end", *person_values()))
    for line in lines:
        ran_out = next((date.fromisoformat(reason["params"]["day"]) for reason in line["explanation"]
                        if reason.get("code") in CREDIT_END_CODES and reason.get("params", {}).get("day")), None)
        if ran_out is None or ran_out > until:
            continue
        social_economy = line["scheme"] == rules.SOCIAL_ECONOMY
        limit = (p.SOCIAL_ECONOMY_PART_TIME_MONTHS if social_economy else p.PART_TIME_CREDIT_MONTHS).in_force(
            line["placement__start"])
        end = line["placement__actual_end"] or line["placement__planned_end"]
        yield DueItem(
            key=f"measures.part_time_credit:{line['placement_id']}", kind="measures.part_time_credit", due=ran_out,
            reason=_("The part-time subsidy credit (%(months)s months) runs out on %(day)s while the contract goes "
                     "on until %(end)s") % {"months": limit.value, "day": _day(ran_out), "end": _day(end)},
            source=limit.source, url=reverse("placement_detail", args=[line["placement_id"]]), audience=CASEWORKER,
            **person_from_values(line),
        )


def art61_windows_closing(*, cpas, on, until, referent_ids=None):
    """Art. 61 employments whose 24-month window closes between ``on`` and ``until`` with premiums unused.
    Two queries: placements at private firms, employments by the firms themselves."""
    window, limit = p.ART61_WINDOW_MONTHS.in_force(on), p.ART61_MAX_GRANTS.in_force(on)
    # Starts whose window can close in [on, until]; the exact day is computed below by the rule.
    earliest = add_months(rules.first_of_month(on), -window.value)
    latest = add_months(rules.first_of_month(until), 2 - window.value)
    placements = narrowed(
        Placement.objects.filter(cpas=cpas, status=PlacementStatus.APPROVED, workplace=Workplace.PRIVATE_FIRM,
                                 cooperation_convention_date__isnull=False, start__gte=earliest, start__lt=latest)
        .filter(Q(actual_end__isnull=True, planned_end__gte=on) | Q(actual_end__gte=on)),
        referent_ids,
    ).select_related("beneficiary").annotate(grants=Count("art61_premiums"))
    employments = narrowed(
        FirmEmployment.objects.filter(cpas=cpas, start__gte=earliest, start__lt=latest)
        .filter(Q(end__isnull=True) | Q(end__gte=on)),
        referent_ids,
    ).select_related("beneficiary").annotate(grants=Count("art61_premiums"))
    for employment, url_name, prefix in [*((row, "placement_detail", "P") for row in placements),
                                         *((row, "firm_employment_detail", "E") for row in employments)]:
        closes = rules.art61_window_end(employment.start)
        if not on <= closes <= until or employment.grants >= limit.value:
            continue
        yield DueItem(
            key=f"measures.art61_window:{prefix}{employment.pk}", kind="measures.art61_window", due=closes,
            reason=_("Art. 61 premium: the %(window)s-month window closes on %(day)s; %(grants)s of %(limit)s "
                     "premiums granted") % {"window": window.value, "day": _day(closes),
                                            "grants": employment.grants, "limit": limit.value},
            source=limit.source, url=reverse(url_name, args=[employment.pk]), audience=CASEWORKER,
            **person(employment.beneficiary),
        )


def firm_employments_ending(*, cpas, on, until, referent_ids=None):
    """Employments by private firms (art. 61) ending between ``on`` and ``until``. Rows in the database."""
    rows = narrowed(FirmEmployment.objects.filter(cpas=cpas, end__gte=on, end__lte=until), referent_ids)
    detail_url = url_maker("firm_employment_detail")

    def build(row):
        return DueItem(
            key=f"measures.firm_employment_ending:{row['pk']}", kind="measures.firm_employment_ending",
            due=row["end"],
            reason=_("Employment at %(firm)s ends on %(day)s") % {"firm": row["organisation__name"],
                                                                   "day": _day(row["end"])},
            source=p.AR_ART61, url=detail_url(row["pk"]), audience=CASEWORKER, **person_from_values(row),
        )

    return DueQuery(rows=rows, key="end", fields=("pk", "end", "organisation__name", *person_values()), build=build,
                    on=on, until=until)


PROVIDERS = {
    "measures.placements_ending": placements_ending,
    "measures.part_time_credits": part_time_credits_running_out,
    "measures.art61_windows": art61_windows_closing,
    "measures.firm_employments_ending": firm_employments_ending,
}
