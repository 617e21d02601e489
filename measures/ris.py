"""Lookup of the integration income (RIS) amount in force on a day, from the admin-edited table."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from cpas_portal.dated import NotInForce

from .confirmation import month_confirmed, table_confirmed_up_to
from .models import AmountTable, RisAmount


@dataclass(frozen=True)
class RisInForce:
    """A monthly RIS amount and the table row it comes from (shown with every amount using it)."""

    amount: Decimal
    category: int
    since: date
    source: str
    verified: bool
    confirmed: bool = True

    def describe(self):
        state = _("verified") if self.verified else _("derived, not yet verified")
        return _("RIS category %(category)s in force from %(since)s: %(amount)s € (%(source)s; %(state)s)") % {
            "category": self.category,
            "since": self.since.isoformat(),
            "amount": self.amount,
            "source": self.source,
            "state": state,
        }


def ris_monthly(category: int, *, on: date) -> RisInForce:
    """The monthly RIS amount of ``category`` (1, 2 or 3) in force on ``on``; raises NotInForce before the first row."""
    if int(category) not in (1, 2, 3):
        raise ValueError(f"RIS category must be 1, 2 or 3, not {category!r}.")
    row = RisAmount.objects.filter(effective_date__lte=on).order_by("-effective_date").first()
    if row is None:
        first = RisAmount.objects.order_by("effective_date").values_list("effective_date", flat=True).first()
        reason = f"first row from {first.isoformat()}" if first else "the RIS amounts table is empty"
        raise NotInForce("RIS monthly amount", on, reason)
    return RisInForce(row.amount_for(category), int(category), row.effective_date, row.source, row.verified,
                      month_confirmed(on, table_confirmed_up_to(AmountTable.RIS)))


class RisTable:
    """All RIS rows read once, then looked up in memory: ``table(category, day)`` like :func:`ris_monthly`."""

    def __init__(self):
        self.rows = list(RisAmount.objects.order_by("effective_date"))
        self.confirmed_up_to = table_confirmed_up_to(AmountTable.RIS)

    def __call__(self, category: int, day: date) -> RisInForce:
        row = None
        for candidate in self.rows:
            if candidate.effective_date <= day:
                row = candidate
        if row is None:
            reason = f"first row from {self.rows[0].effective_date.isoformat()}" if self.rows else "table empty"
            raise NotInForce("RIS monthly amount", day, reason)
        return RisInForce(row.amount_for(category), int(category), row.effective_date, row.source, row.verified,
                          month_confirmed(day, self.confirmed_up_to))
