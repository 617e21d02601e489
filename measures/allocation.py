"""Reading the CSV of amounts reimbursed per CPAS (``nis_code;year;amount``) for the budget allocation."""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from cpas_portal.inputs import parse_decimal
from cpas_portal.models import Cpas
from cpas_portal.tenancy import is_administrator

from . import parameters as p

# The national envelope is shared between every CPAS: only an administrator across CPAS (a superuser, or a staff
# account given this permission) allocates it. A CPAS's manager and finance officer read their own budget.
ALLOCATE_PERMISSION = "measures.allocate_budgets"


def may_allocate(user):
    return is_administrator(user, ALLOCATE_PERMISSION)


def allocation_source(*, year, envelope, on):
    """The source stored on each budget an allocation sets (shown on the CPAS's budget page)."""
    return _("Allocation of %(date)s: envelope %(envelope)s, averages of %(years)s (circular of 15/03/2013)") % {
        "date": date_format(on, "SHORT_DATE_FORMAT"),
        "envelope": number_format(envelope, 2, use_l10n=True, force_grouping=True),
        "years": ", ".join(map(str, reference_years(year)))}


def reference_years(year):
    count = p.BUDGET_REFERENCE_YEARS.at(date(year, 12, 31))
    return list(range(year - count, year))


def _amount(text):
    """An amount as written in a Belgian or plain CSV; NaN, Infinity or more than 12 digits are refused."""
    text = text.strip().replace(" ", "").replace("€", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return parse_decimal(text)


def parse_reimbursed(text, *, year):
    """``{Cpas: [amount of each reference year]}``; a year missing for a CPAS counts as 0."""
    years = reference_years(year)
    rows = [row for row in csv.reader(io.StringIO(text.strip()), delimiter=";" if ";" in text else ",") if row]
    if rows and not rows[0][0].strip().isdigit():
        rows = rows[1:]
    amounts, errors = defaultdict(lambda: [Decimal("0.00")] * len(years)), []
    codes = {row[0].strip() for row in rows if row}
    cpas_by_code = {cpas.nis_code: cpas for cpas in Cpas.objects.filter(nis_code__in=codes)}
    for number, row in enumerate(rows, start=1):
        try:
            code, row_year, amount = row[0].strip(), int(row[1]), _amount(row[2])
        except (IndexError, ValueError, InvalidOperation):
            errors.append(_("Line %(line)s: expected nis_code;year;amount.") % {"line": number})
            continue
        if code not in cpas_by_code:
            errors.append(_("Line %(line)s: no CPAS with NIS code %(code)s.") % {"line": number, "code": code})
        elif row_year not in years:
            errors.append(_("Line %(line)s: year %(year)s is not one of the reference years %(years)s.")
                          % {"line": number, "year": row_year, "years": ", ".join(map(str, years))})
        elif amount < 0:
            errors.append(_("Line %(line)s: the amount cannot be negative.") % {"line": number})
        else:
            amounts[cpas_by_code[code]][years.index(row_year)] += amount
    if errors:
        raise ValidationError({"reimbursed_csv": errors})
    if not amounts:
        raise ValidationError({"reimbursed_csv": _("No amount was read.")})
    return dict(amounts)
