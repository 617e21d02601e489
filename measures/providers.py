"""What the measures app tells the kernel about a person's employment measures (see cpas_portal.employment)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from cpas_portal.employment import RecordedMeasure

from . import rules
from .models import Placement, Workplace

# A draft is not yet a placement and a cancelled one never ran.
RUNNING_STATUSES = (rules.APPROVED, rules.ENDED)


def placements_on(*, beneficiary, day):
    """Art. 60 §7 placements of the person running on ``day`` (approved or ended, by their real end)."""
    placements = Placement.objects.filter(
        Q(actual_end__gte=day) | Q(actual_end__isnull=True, planned_end__gte=day),
        beneficiary=beneficiary, status__in=RUNNING_STATUSES, start__lte=day,
    )
    for placement in placements.order_by("start", "id"):
        yield RecordedMeasure(
            kind="art60",
            label=_("Art. 60 §7 placement from %(start)s to %(end)s") % {
                "start": placement.start.isoformat(), "end": placement.end.isoformat()},
            start=placement.start,
            end=placement.end,
            at_private_firm=placement.workplace == Workplace.PRIVATE_FIRM,
            source_key=f"measures.placement:{placement.pk}",
        )
