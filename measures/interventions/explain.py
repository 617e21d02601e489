"""The reasons of a computed intervention (rules.py), in the reader's language."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cpas_portal.citations import cite
from cpas_portal.templatetags.cpas import eur


def render(reason):
    code = reason.get("code")
    if code == "rate":
        return _("Full-time amount %(amount)s (row in force from %(since)s, source: %(source)s) × regime "
                 "%(regime)s.") % {"amount": eur(reason["amount"]),
                                   "since": date_format(date.fromisoformat(reason["since"]), "SHORT_DATE_FORMAT"),
                                   "source": cite(reason["source"]), "regime": reason["regime"]}
    if code == "pro_rata":
        return _("Incomplete month: %(days)s of %(total)s days (pro rata — interpretation, configurable).") % {
            "days": reason["days"], "total": reason["days_in_month"]}
    if code == "net_pay_cap":
        return _("Limited to the net pay due for the month, %(net)s (%(source)s).") % {
            "net": eur(reason["net_pay_due"]), "source": cite(reason["source"])}
    return str(reason)


def render_all(reasons):
    return [render(reason) for reason in reasons or []]
