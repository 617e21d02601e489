"""The "confirmed up to" date of the amount tables (RIS, RMMMG): a month past it is not confirmed.

A month is confirmed when its last day is on or before the table's confirmed date: an
administrator has checked that no row of the table changes the amount of that month.
"""

import calendar
from datetime import date


def month_confirmed(day: date, confirmed_up_to: date | None) -> bool:
    if confirmed_up_to is None:
        return False
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return last <= confirmed_up_to


def table_confirmed_up_to(table):
    from .models import TableConfirmation

    return TableConfirmation.objects.filter(table=table).values_list("confirmed_up_to", flat=True).first()


def row_in_force(table, day):
    """The ``effective_date`` of the row of ``table`` in force on ``day`` (None before the first)."""
    from .models import AmountTable, MinimumWage, RisAmount

    model = RisAmount if table == AmountTable.RIS else MinimumWage
    return model.objects.filter(effective_date__lte=day).order_by("-effective_date").values_list(
        "effective_date", flat=True).first()


def still_unconfirmed(unconfirmed_rows, month):
    """Of ``table@row date`` entries recorded for ``month``, those that are not confirmed today: the
    month is still past the table's confirmed date, or another row is now in force for it."""
    pending = []
    for entry in filter(None, (unconfirmed_rows or "").split(",")):
        table, _sep, since = entry.partition("@")
        if (not month_confirmed(month, table_confirmed_up_to(table))
                or str(row_in_force(table, month) or "") != since):
            pending.append(entry)
    return pending
