"""The admin-maintained amount table of the financial interventions: the row in force on a day.

A day with no row in force is an explicit error (:class:`~cpas_portal.dated.NotInForce`), never 0.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpas_portal.dated import NotInForce

from .models import InterventionRate


@dataclass(frozen=True)
class RateInForce:
    programme: str
    amount: Decimal
    since: date
    source: str
    verified: bool


def rate_in_force(programme, day) -> RateInForce:
    row = (InterventionRate.objects.filter(programme__code=programme, effective_date__lte=day)
           .order_by("-effective_date").values("full_time_monthly_amount", "effective_date", "source", "verified")
           .first())
    if row is None:
        raise NotInForce(f"Financial intervention amount ({programme})", day,
                         "no amount row in force: an administrator adds it from the programme's decree")
    return RateInForce(programme, row["full_time_monthly_amount"], row["effective_date"], row["source"],
                       row["verified"])
