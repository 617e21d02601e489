"""Lookup of the guaranteed average minimum monthly wage (RMMMG) in force on a day, from the admin-edited table."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpas_portal.dated import NotInForce

from .models import MinimumWage


@dataclass(frozen=True)
class MinimumWageInForce:
    amount: Decimal
    since: date
    source: str
    verified: bool


class MinimumWageTable:
    """All rows read once, then looked up in memory (a placement spans many months)."""

    def __init__(self, rows=None):
        if rows is None:
            rows = MinimumWage.objects.order_by("effective_date").values_list(
                "effective_date", "monthly_amount", "source", "verified")
        self.rows = sorted(rows)

    def __call__(self, day: date) -> MinimumWageInForce:
        found = None
        for row in self.rows:
            if row[0] <= day:
                found = row
        if found is None:
            reason = f"first row from {self.rows[0][0].isoformat()}" if self.rows else "the table is empty"
            raise NotInForce("guaranteed average minimum monthly wage", day, reason)
        since, amount, source, verified = found
        return MinimumWageInForce(amount, since, source, verified)
