"""CSV and XLSX exports of claims and claim lines for finance.

A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is prefixed with an apostrophe (OWASP, "CSV injection"); amounts
stay numbers.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from cpas_portal.identifiers import niss_display, niss_masked

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value):
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return value
    return safe_text(value)


def line_table(lines, *, masked=False):
    """The lines with the national number in full (finance and managers only) or ``masked``."""
    shown = niss_masked if masked else niss_display
    header = [_("Claim"), _("Line"), _("National number"), _("Beneficiary"), _("Covered from"), _("Covered until"),
              _("Amount"), _("Legal basis"), _("Description"), _("Tier code"), _("Partner"), _("Change"),
              _("Previous amount")]
    rows = (
        [line.claim.reference, line.position, shown(line.niss) if line.niss else "", line.beneficiary_name,
         line.covered_start.isoformat(), line.covered_end.isoformat(), line.signed_amount, line.legal_basis,
         line.description, line.tier_code, line.partner, line.get_change_display() if line.change else "",
         line.previous_amount if line.previous_amount is not None else ""]
        for line in lines
    )
    return header, rows


def claim_table(claims):
    header = [_("Reference"), _("Measure"), _("Period from"), _("Period until"), _("Version"), _("Status"),
              _("Lines"), _("Total"), _("Difference with the superseded version"), _("Sent at")]
    rows = (
        [claim.reference, claim.get_measure_display(), claim.period_start.isoformat(), claim.period_end.isoformat(),
         claim.version, claim.get_status_display(), claim.line_count, claim.total,
         claim.difference_total if claim.difference_total is not None else "",
         claim.sent_at.isoformat() if claim.sent_at else ""]
        for claim in claims
    )
    return header, rows


def to_csv(header, rows):
    """UTF-8 with a byte-order mark and semicolons: what a Belgian spreadsheet opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_text(value) for value in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_text(value) for value in header])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
