"""What the financial interventions tell the kernel about a person's employment (see cpas_portal.employment):
a hire at a private firm is an employment measure at a private firm (DOMAIN.md §5)."""

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cpas_portal.employment import RecordedMeasure
from cpas_portal.models import OrganisationKind

from .models import Hire


def hires_on(*, beneficiary, day):
    """The person's hires running on ``day``; an open-ended one is taken as running to that day [interp]."""
    hires = Hire.objects.filter(Q(end__isnull=True) | Q(end__gte=day), beneficiary=beneficiary, start__lte=day)
    for hire in hires.select_related("employer").order_by("start", "id"):
        yield RecordedMeasure(
            kind=f"intervention.{hire.programme}",
            label=_("%(programme)s at %(employer)s from %(start)s") % {
                "programme": hire.get_programme_display(), "employer": hire.employer.name,
                "start": date_format(hire.start, "SHORT_DATE_FORMAT")},
            start=hire.start,
            end=hire.end or day,
            at_private_firm=hire.employer.kind == OrganisationKind.PRIVATE_FIRM,
            source_key=f"interventions.hire:{hire.pk}",
        )
