"""The "confirmed up to" date of each programme's amounts: a month past it is claimed "not confirmed".

Like the RIS and minimum-wage tables (measures.confirmation): a claim holding such a line cannot be
signed until an administrator confirms the programme's amounts (or adds the row that applies).
"""

from datetime import date

from measures.confirmation import month_confirmed

from .models import InterventionProgramme, InterventionRate

PREFIX = "intervention_"


def confirmed_dates():
    """``{programme: confirmed_up_to}`` for the four programmes (one query)."""
    return dict(InterventionProgramme.objects.values_list("code", "rates_confirmed_up_to"))


def unconfirmed_rows(*, programme, month, rate_since, confirmed):
    """``intervention_<programme>@<row date>`` when ``month`` is past the programme's confirmed date, else ""."""
    if month_confirmed(month, confirmed.get(programme)):
        return ""
    return f"{PREFIX}{programme}@{rate_since.isoformat()}"


def still_unconfirmed(rows, month):
    """Of the entries recorded for ``month``, those still not confirmed today: the month is still past the
    programme's confirmed date, or another row is now in force for it."""
    confirmed, pending = confirmed_dates(), []
    for entry in filter(None, (rows or "").split(",")):
        table, _sep, since = entry.partition("@")
        programme = table.removeprefix(PREFIX)
        in_force = (InterventionRate.objects.filter(programme__code=programme, effective_date__lte=month)
                    .order_by("-effective_date").values_list("effective_date", flat=True).first())
        if not month_confirmed(month, confirmed.get(programme)) or in_force != date.fromisoformat(since):
            pending.append(entry)
    return pending
