"""What falls due on a social-activation subsidy, for the manager's home page (``cpas_portal.due``).

One query whatever the number of years: filing within a month of the e-convention opening, signature
within a week of the decision, the advance expected once signed, the final report by 28 February of
the next year, and the balance expected once the report is sent.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.due import MANAGER, DueItem

from . import selectors

SOURCE = "activation"
# Open files of the last few years are enough: a report is due in the February after the year.
YEARS_BACK = 3


def _item(activation, step, due, reason):
    return DueItem(key=f"activation.{step}:{activation.pk}", kind=f"activation.{step}", due=due, reason=reason,
                   source=SOURCE, url=reverse("activation_detail", args=[activation.pk]), audience=MANAGER)


def items_of(activation):
    """The pending steps of one subsidy (pure reading of its dates)."""
    year = activation.year
    if activation.opened_on and not activation.filed_on:
        yield _item(activation, "file", activation.filing_due,
                    _("Social activation %(year)s: file the convention in the e-convention application")
                    % {"year": year})
    if activation.decided_on and not activation.signed_on:
        yield _item(activation, "sign", activation.signature_due,
                    _("Social activation %(year)s: sign the convention") % {"year": year})
    if activation.signed_on and not activation.advance_received_on:
        yield _item(activation, "advance", activation.signed_on,
                    _("Social activation %(year)s: advance (50 %%) expected from SPP IS") % {"year": year})
    if not activation.report_sent_on:
        yield _item(activation, "report", activation.report_due,
                    _("Social activation %(year)s: send the final report") % {"year": year})
    elif not activation.balance_received_on:
        yield _item(activation, "balance", activation.report_sent_on,
                    _("Social activation %(year)s: balance (50 %%) expected after the report's evaluation")
                    % {"year": year})


def activation_due(*, cpas, on, until, referent_ids=None):
    found = []
    for activation in selectors.due_rows(cpas=cpas, year_from=on.year - YEARS_BACK):
        found.extend(item for item in items_of(activation) if item.due <= until)
    return found
