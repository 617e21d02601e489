"""SPP IS's monthly statements ("maandstaten", Primabook "Beschrijving van de maandstaten").

One record a line, as a fixed-width TXT file or as a CSV file (``;``-separated, the same fields in
the same order, an optional header line of the field names). Both are read through the one
:data:`LAYOUT` below, so a field is defined once (DOMAIN.md §10).

The first fifteen fields, their order and widths are Primabook's (legislation … name). What
follows the name ("the remaining identity fields") is not spelled out there; this application
reads it as birth date 8 · sex 1 · refusal code 2 — interpretation, configurable here and only
here. A refusal code other than blank or ``00`` means SPP IS refuses the line.

Parsing is streaming (one line at a time) and names the line and the field of the first error.
"""

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.be import ssn

from cpas_portal import citations

INTERPRETATION = citations.INTERPRETATION

# Legislation codes of the first field.
LAW_2002, LAW_1965, ORGANIC_LAW = "1", "2", "6"
LEGISLATIONS = (LAW_2002, LAW_1965, ORGANIC_LAW)
# Amount types: 1 grant, 2 arrears, 3 recovery; 4–6 the regularisations of each.
GRANT, ARREARS, RECOVERY = 1, 2, 3
REGULARISATION_TYPES = (4, 5, 6)
NO_REFUSAL = ("", "00")


@dataclass(frozen=True)
class Field:
    name: str
    width: int
    kind: str
    label: object
    required: bool = True
    interpretation: bool = False


LAYOUT = (
    Field("legislation", 1, "legislation", gettext_lazy("Legislation (1 = law of 2002, 2 = law of 1965, "
                                                        "6 = organic law)")),
    Field("nis_code", 5, "digits", gettext_lazy("NIS code of the CPAS")),
    Field("year_month", 6, "year_month", gettext_lazy("Month of the statement (YYYYMM)")),
    Field("dossier", 11, "text", gettext_lazy("Dossier number"), required=False),
    Field("suffix", 2, "text", gettext_lazy("Suffix (law of 1965 only)"), required=False),
    Field("niss", 11, "niss", gettext_lazy("National number")),
    Field("reference", 12, "text", gettext_lazy("Reference (form B for the law of 2002, form D for the law of 1965)"),
          required=False),
    Field("amount_type", 1, "amount_type", gettext_lazy("Amount type (1 grant, 2 arrears, 3 recovery, 4–6 their "
                                                        "regularisations)")),
    Field("first_day", 8, "date", gettext_lazy("First day of payment (YYYYMMDD)")),
    Field("last_day", 8, "date", gettext_lazy("Last day of payment (YYYYMMDD)")),
    Field("budget_article", 6, "digits", gettext_lazy("Budget article")),
    Field("sign", 1, "sign", gettext_lazy("Sign (+ or −)")),
    Field("amount_cents", 8, "digits", gettext_lazy("Amount at 100 %, in cents (00001460 = 14,60 €)")),
    Field("category", 1, "text", gettext_lazy("Category (law of 2002) or status (law of 1965)"), required=False),
    Field("name", 30, "text", gettext_lazy("Name"), required=False),
    Field("birth_date", 8, "date", gettext_lazy("Birth date (YYYYMMDD)"), required=False, interpretation=True),
    Field("sex", 1, "text", gettext_lazy("Sex"), required=False, interpretation=True),
    Field("refusal_code", 2, "text", gettext_lazy("Refusal code (blank or 00: accepted)"), required=False,
          interpretation=True),
)
FIELDS = {field.name: field for field in LAYOUT}
RECORD_LENGTH = sum(field.width for field in LAYOUT)
TXT, CSV = "txt", "csv"


def columns():
    """Each field with its first and last column (TXT) and position (CSV), for the format description."""
    rows, position = [], 1
    for index, field in enumerate(LAYOUT, start=1):
        rows.append({"name": field.name, "label": str(field.label), "start": position,
                     "end": position + field.width - 1, "width": field.width, "position": index,
                     "required": field.required, "interpretation": field.interpretation})
        position += field.width
    return rows


@dataclass(frozen=True)
class Record:
    row: int
    legislation: str
    nis_code: str
    year_month: str
    dossier: str
    suffix: str
    niss: str
    reference: str
    amount_type: int
    first_day: date
    last_day: date
    budget_article: str
    amount: Decimal
    category: str
    name: str
    birth_date: date | None
    sex: str
    refusal_code: str

    @property
    def is_regularisation(self):
        return self.amount_type in REGULARISATION_TYPES

    @property
    def refused(self):
        return self.refusal_code not in NO_REFUSAL

    @property
    def key(self):
        """What identifies the record whatever file (TXT or CSV) brought it."""
        values = (self.legislation, self.nis_code, self.year_month, self.dossier, self.suffix, self.niss,
                  self.reference, self.amount_type, self.first_day, self.last_day, self.budget_article, self.amount,
                  self.refusal_code)
        return hashlib.sha256("|".join(map(str, values)).encode()).hexdigest()[:48]


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _refuse(row, field, problem):
    if field is None:
        message = _("Line %(row)s: %(problem)s") % {"row": row, "problem": problem}
    else:
        message = _("Line %(row)s, field “%(field)s” (%(label)s): %(problem)s") % {
            "row": row, "field": field.name, "label": field.label, "problem": problem}
    return ValidationError({"file": message})


def _text(content):
    if b"\x00" in content:
        row = content[:content.index(b"\x00")].count(b"\n") + 1
        raise _refuse(row, None, _("the file holds a NUL byte; a statement is a text file."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def detect_format(content: bytes, file_name=""):
    if file_name.lower().endswith(".csv"):
        return CSV
    if file_name.lower().endswith(".txt"):
        return TXT
    first = content.lstrip()[:200].split(b"\n", 1)[0]
    return CSV if b";" in first else TXT


def _txt_values(text):
    for row, line in enumerate(io.StringIO(text), start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        if len(line) > RECORD_LENGTH:
            raise _refuse(row, None, _("a record holds %(length)s characters, this line %(found)s.") % {
                "length": RECORD_LENGTH, "found": len(line)})
        # Editors drop trailing blanks: the optional fields at the end may be missing.
        line = line.ljust(RECORD_LENGTH)
        values, position = {}, 0
        for field in LAYOUT:
            values[field.name] = line[position:position + field.width]
            position += field.width
        yield row, values


def _csv_values(text):
    reader = csv.reader(io.StringIO(text), delimiter=";")
    for row, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if row == 1 and cells and cells[0].strip().lower() == LAYOUT[0].name:
            continue  # the header line
        if len(cells) != len(LAYOUT):
            raise _refuse(row, None, _("a record holds %(count)s fields separated by “;”, this line %(found)s.") % {
                "count": len(LAYOUT), "found": len(cells)})
        values = {}
        for field, cell in zip(LAYOUT, cells, strict=True):
            if len(cell.strip()) > field.width:
                raise _refuse(row, field, _("at most %(width)s characters.") % {"width": field.width})
            values[field.name] = cell.strip().rjust(field.width, "0") if field.kind == "digits" and cell.strip() \
                else cell
        yield row, values


def _day(row, field, value):
    # Slicing is several times faster than strptime, and a statement holds thousands of dates.
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError(value)
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise _refuse(row, field, _("not a date (YYYYMMDD).")) from None


def _record(row, values):
    clean = {}
    for field in LAYOUT:
        value = values[field.name].strip()
        if not value:
            if field.required:
                raise _refuse(row, field, _("this field is empty."))
            clean[field.name] = None if field.kind == "date" else ""
            continue
        if field.kind == "digits" and not (value.isdigit() and value.isascii()):
            raise _refuse(row, field, _("digits only."))
        if field.kind == "legislation" and value not in LEGISLATIONS:
            raise _refuse(row, field, _("1, 2 or 6."))
        if field.kind == "amount_type" and value not in "123456":
            raise _refuse(row, field, _("a digit from 1 to 6."))
        if field.kind == "sign" and value not in "+-":
            raise _refuse(row, field, _("+ or -."))
        if field.kind == "niss" and not ssn.is_valid(value):
            raise _refuse(row, field, _("not a valid national or BIS number."))
        if field.kind == "year_month":
            if len(value) != 6 or not value.isdigit() or not 1 <= int(value[4:]) <= 12:
                raise _refuse(row, field, _("not a month (YYYYMM)."))
            value = f"{value[:4]}-{value[4:]}"
        if field.kind == "date":
            value = _day(row, field, value)
        clean[field.name] = value
    if clean["last_day"] < clean["first_day"]:
        raise _refuse(row, FIELDS["last_day"], _("before the first day of payment."))
    amount = Decimal(int(clean["amount_cents"])) / 100
    return Record(
        row=row, legislation=clean["legislation"], nis_code=clean["nis_code"], year_month=clean["year_month"],
        dossier=clean["dossier"], suffix=clean["suffix"], niss=clean["niss"], reference=clean["reference"],
        amount_type=int(clean["amount_type"]), first_day=clean["first_day"], last_day=clean["last_day"],
        budget_article=str(int(clean["budget_article"])), amount=-amount if clean["sign"] == "-" else amount,
        category=clean["category"], name=clean["name"], birth_date=clean["birth_date"], sex=clean["sex"],
        refusal_code=clean["refusal_code"],
    )


def records(content: bytes, *, file_name=""):
    """The statement's records one by one; a ValidationError names the line and the field at fault."""
    text = _text(content)
    values = _csv_values(text) if detect_format(content, file_name) == CSV else _txt_values(text)
    for row, fields in values:
        yield _record(row, fields)


def parse(content: bytes, *, file_name=""):
    found = list(records(content, file_name=file_name))
    if not found:
        raise ValidationError({"file": _("The statement holds no record.")})
    return found


def _values(*, legislation=LAW_2002, nis_code, year_month, dossier="", suffix="", niss, reference="",
            form_reference="", amount_type=GRANT, first_day, last_day, budget_article="102", amount, category="",
            name="", birth_date=None, sex="", refusal_code=""):
    cents = int((abs(Decimal(amount)) * 100).to_integral_value())
    return {
        "legislation": legislation, "nis_code": nis_code, "year_month": year_month.replace("-", ""),
        "dossier": dossier, "suffix": suffix, "niss": niss, "reference": reference or form_reference,
        "amount_type": str(amount_type), "first_day": first_day.strftime("%Y%m%d"),
        "last_day": last_day.strftime("%Y%m%d"), "budget_article": f"{int(budget_article):06d}",
        "sign": "-" if Decimal(amount) < 0 else "+", "amount_cents": f"{cents:08d}", "category": str(category),
        "name": name, "birth_date": birth_date.strftime("%Y%m%d") if birth_date else "", "sex": sex,
        "refusal_code": refusal_code,
    }


def format_record(**fields):
    """One TXT record in the layout (for tests, demos and benchmarks)."""
    values = _values(**fields)
    return "".join(values[field.name][:field.width].ljust(field.width) for field in LAYOUT)


def format_csv(records_fields, *, header=True):
    """A CSV statement of the given records (each a mapping of :func:`format_record`'s arguments)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    if header:
        writer.writerow([field.name for field in LAYOUT])
    for fields in records_fields:
        values = _values(**fields)
        writer.writerow([values[field.name] for field in LAYOUT])
    return out.getvalue()
