"""SPP IS's monthly payment statement: a fixed-width text file, one record a line (DOMAIN.md §10).

The fields and their order are those SPP IS publishes; their widths below are this project's
reading (interpretation, configurable here and only here). Amounts are at 100 %, in cents,
with a separate sign.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cpas_portal.identifiers import niss_compact

LAYOUT = (
    ("legislation", 2),      # 02 = law of 26 May 2002, 65 = law of 2 April 1965
    ("nis_code", 5),
    ("year_month", 6),       # YYYYMM
    ("dossier", 11),
    ("niss", 11),
    ("form_reference", 12),
    ("amount_type", 1),      # 1 grant, 2 arrears, 3 recovery, 4–6 their regularisations
    ("first_day", 8),        # YYYYMMDD
    ("last_day", 8),
    ("budget_article", 10),
    ("sign", 1),             # + or -
    ("amount_cents", 11),
)
RECORD_LENGTH = sum(width for _name, width in LAYOUT)


@dataclass(frozen=True)
class Record:
    row: int
    legislation: str
    nis_code: str
    year_month: str
    dossier: str
    niss: str
    form_reference: str
    amount_type: int
    first_day: date
    last_day: date
    budget_article: str
    amount: Decimal


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _fields(line):
    values, position = {}, 0
    for name, width in LAYOUT:
        values[name] = line[position:position + width]
        position += width
    return values


def _day(value):
    return datetime.strptime(value, "%Y%m%d").date()


def parse(content: bytes):
    """The records of a statement file; a ValidationError names the first wrong row and why."""
    try:
        text = content.decode("latin-1")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The statement is not a text file.")}) from None
    records = []
    for row, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if len(line.rstrip()) != RECORD_LENGTH:
            raise ValidationError({"file": _("Row %(row)s: a record holds %(length)s characters.") % {
                "row": row, "length": RECORD_LENGTH}})
        values = _fields(line)
        try:
            records.append(_record(row, values))
        except (ValueError, ValidationError):
            raise ValidationError({"file": _("Row %(row)s is not a valid statement record.") % {"row": row}}) from None
    if not records:
        raise ValidationError({"file": _("The statement holds no record.")})
    return records


def _record(row, values):
    if values["sign"] not in "+-" or not values["amount_cents"].isdigit():
        raise ValueError("sign or amount")
    amount = Decimal(int(values["amount_cents"])) / 100
    year_month = datetime.strptime(values["year_month"], "%Y%m")
    amount_type = int(values["amount_type"])
    if not 1 <= amount_type <= 6 or not values["nis_code"].isdigit():
        raise ValueError("amount type or NIS code")
    return Record(
        row=row,
        legislation=values["legislation"].strip(),
        nis_code=values["nis_code"],
        year_month=f"{year_month.year}-{year_month.month:02d}",
        dossier=values["dossier"].strip(),
        niss=niss_compact(values["niss"]),
        form_reference=values["form_reference"].strip(),
        amount_type=amount_type,
        first_day=_day(values["first_day"]),
        last_day=_day(values["last_day"]),
        budget_article=values["budget_article"].strip(),
        amount=-amount if values["sign"] == "-" else amount,
    )


def format_record(*, legislation="02", nis_code, year_month, dossier="", niss, form_reference="", amount_type=1,
                  first_day, last_day, budget_article="", amount):
    """One record in the statement's layout (for tests, demos and benchmarks)."""
    cents = int((abs(Decimal(amount)) * 100).to_integral_value())
    values = {
        "legislation": legislation, "nis_code": nis_code, "year_month": year_month.replace("-", ""),
        "dossier": dossier, "niss": niss, "form_reference": form_reference, "amount_type": str(amount_type),
        "first_day": first_day.strftime("%Y%m%d"), "last_day": last_day.strftime("%Y%m%d"),
        "budget_article": budget_article, "sign": "-" if Decimal(amount) < 0 else "+",
        "amount_cents": f"{cents:0{dict(LAYOUT)['amount_cents']}d}",
    }
    return "".join(values[name][:width].ljust(width) for name, width in LAYOUT)
