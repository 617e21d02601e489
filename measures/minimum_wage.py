"""Lookup of the guaranteed average minimum monthly wage (RMMMG) in force on a day, from the admin-edited table.

Which row applies **[interpretation, configurable]**: the scale in force on the day is the set of
rows with the latest ``effective_date`` on or before it; among them, the rows whose age and
seniority the worker has reached on that day apply, and the highest of their amounts is the
worker's guaranteed minimum. The age is counted in completed months from the birth date; the
seniority is the completed months since the start of the placement's contract, the CPAS being the
employer under art. 60 §7 (an earlier contract with the same employer is not added).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpas_portal.dated import NotInForce

from .confirmation import month_confirmed, table_confirmed_up_to
from .models import AmountTable, MinimumWage


@dataclass(frozen=True)
class MinimumWageInForce:
    amount: Decimal
    since: date
    source: str
    verified: bool
    min_age: Decimal = Decimal("18.0")
    min_seniority_months: int = 0
    confirmed: bool = True


def completed_months(start, day):
    """Whole months from ``start`` to ``day`` (0 before the first monthly anniversary)."""
    months = (day.year - start.year) * 12 + day.month - start.month - (day.day < start.day)
    return max(months, 0)


class MinimumWageTable:
    """All rows read once, then looked up in memory (a placement spans many months).

    ``rows`` are ``(from, amount, source, verified)`` (a band from 18 without seniority) or
    ``(from, min_age, min_seniority_months, amount, source, verified)``. ``confirmed_up_to`` is the
    table's confirmation date; read from the database when the rows are.
    """

    def __init__(self, rows=None, *, confirmed_up_to=None):
        if rows is None:
            rows = MinimumWage.objects.order_by("effective_date").values_list(
                "effective_date", "min_age", "min_seniority_months", "monthly_amount", "source", "verified")
            confirmed_up_to = table_confirmed_up_to(AmountTable.MINIMUM_WAGE)
            self.confirm = True
        else:
            self.confirm = confirmed_up_to is not None
        self.confirmed_up_to = confirmed_up_to
        self.rows = sorted(row if len(row) == 6 else (row[0], Decimal("18.0"), 0, *row[1:]) for row in rows)

    def __call__(self, day: date, *, age_months=None, seniority_months=0) -> MinimumWageInForce:
        scale_date = max((row[0] for row in self.rows if row[0] <= day), default=None)
        if scale_date is None:
            reason = f"first row from {self.rows[0][0].isoformat()}" if self.rows else "the table is empty"
            raise NotInForce("guaranteed average minimum monthly wage", day, reason)
        scale = [row for row in self.rows if row[0] == scale_date]
        if age_months is None:
            applicable = scale[:1]
        else:
            applicable = [row for row in scale
                          if age_months >= row[1] * 12 and (seniority_months or 0) >= row[2]]
        if not applicable:
            raise NotInForce("guaranteed average minimum monthly wage", day,
                             f"no row for an age of {age_months // 12} years")
        since, min_age, seniority, amount, source, verified = max(applicable, key=lambda row: row[3])
        confirmed = month_confirmed(day, self.confirmed_up_to) if self.confirm else True
        return MinimumWageInForce(amount, since, source, verified, min_age, seniority, confirmed)
