"""CSV and XLSX exports of claims and claim lines for finance.

Headers are in the user's language. The CSV is what a Belgian spreadsheet opens as columns: UTF-8 with a
byte-order mark, ``;`` between fields and, for French, Dutch and German users, a decimal comma and
dd/mm/yyyy dates (English keeps the decimal point and ISO dates). The XLSX holds real dates and numbers
with their display formats, so a spreadsheet sorts and adds them.

A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is prefixed with an apostrophe (OWASP, "CSV injection"); amounts
stay numbers.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cpas_portal.identifiers import niss_display, niss_masked

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Languages whose spreadsheets read 1234,56 and 31/12/2026 (Belgian French, Dutch and German).
DECIMAL_COMMA_LANGUAGES = ("fr", "nl", "de")
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
XLSX_AMOUNT_FORMAT = "#,##0.00"


def safe_text(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(value):
    """A datetime as the wall-clock time of Brussels, without time zone (what a spreadsheet shows)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


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
         line.covered_start, line.covered_end, line.signed_amount, line.legal_basis,
         line.description, line.tier_code, line.partner, line.get_change_display() if line.change else "",
         line.previous_amount if line.previous_amount is not None else ""]
        for line in lines
    )
    return header, rows


def claim_table(claims):
    header = [_("Reference"), _("Measure"), _("Period from"), _("Period until"), _("Version"), _("Status"),
              _("Lines"), _("Total"), _("Difference with the superseded version"), _("Sent at")]
    rows = (
        [claim.reference, claim.get_measure_display(), claim.period_start, claim.period_end,
         claim.version, claim.get_status_display(), claim.line_count, claim.total,
         claim.difference_total if claim.difference_total is not None else "",
         claim.sent_at or ""]
        for claim in claims
    )
    return header, rows


def _csv_cell(value, decimal_comma):
    """One CSV field: numbers and dates written as the user's spreadsheet reads them."""
    if isinstance(value, datetime):
        value = _local(value)
        return value.strftime("%d/%m/%Y %H:%M") if decimal_comma else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if decimal_comma else value.isoformat()
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.replace(".", ",") if decimal_comma else text
    return _cell(value)


def uses_decimal_comma(language=None):
    return (language or get_language() or "").split("-")[0] in DECIMAL_COMMA_LANGUAGES


def to_csv(header, rows, *, language=None):
    """UTF-8 with a byte-order mark and semicolons: what a Belgian spreadsheet opens as columns."""
    decimal_comma = uses_decimal_comma(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_text(value) for value in header])
    for row in rows:
        writer.writerow([_csv_cell(value, decimal_comma) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = XLSX_DATETIME_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
    elif isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_AMOUNT_FORMAT
    else:
        cell = WriteOnlyCell(sheet, value=_cell(value))
    return cell


def to_xlsx(header, rows, title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=safe_text(title)[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=safe_text(value))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
