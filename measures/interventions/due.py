"""What falls due in the financial interventions (registered in ``cpas_portal.due``): an intérim
d'insertion reaching its 24-month limit, and hires ending, within the notice period (caseworkers)."""

from datetime import timedelta

from django.db.models import Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.due import CASEWORKER, DueItem

from . import parameters, rules
from .models import Hire


def _item(hire, *, kind, due, reason):
    person = hire.beneficiary
    return DueItem(
        key=f"interventions.{kind}:{hire.pk}", kind=f"interventions.{kind}", due=due, reason=reason,
        source=_("Financial interventions"), url=reverse("intervention_detail", args=[hire.pk]),
        audience=CASEWORKER, beneficiary_id=person.pk,
        beneficiary_name=str(person),
        referent_id=person.referent_id)


def interventions_due(*, cpas, on, until, referent_ids=None):
    """Two queries: the hires ending in the window, and the intérim hires with their person's first day."""
    until = min(until, on + timedelta(days=parameters.DUE_NOTICE_DAYS))
    hires = Hire.objects.filter(cpas=cpas).select_related("beneficiary", "employer")
    if referent_ids is not None:
        hires = hires.filter(beneficiary__referent_id__in=list(referent_ids))
    # The limit runs from the person's first intérim: the earliest start among their intérim hires.
    interim = (hires.filter(programme=rules.INTERIM).filter(Q(end__isnull=True) | Q(end__gte=on))
               .annotate(first_interim=Min("beneficiary__intervention_hires__start",
                                           filter=Q(beneficiary__intervention_hires__programme=rules.INTERIM))))
    limits = {hire.pk: (hire, rules.interim_last_day(hire.first_interim)) for hire in interim.order_by("pk")}
    items = [_item(hire, kind="interim_limit", due=limit, reason=_("Intérim d'insertion reaches its 24-month limit"))
             for hire, limit in limits.values() if on <= limit <= until]
    for hire in hires.filter(end__gte=on, end__lte=until).order_by("end", "pk"):
        if hire.pk in limits and limits[hire.pk][1] == hire.end:
            continue  # said once, as the limit
        items.append(_item(hire, kind="hire_end", due=hire.end, reason=_(
            "%(programme)s at %(employer)s ends") % {"programme": hire.get_programme_display(),
                                                      "employer": hire.employer.name}))
    return items
