"""The claim's PDF form, rendered with WeasyPrint from ``templates/pdf/claim.html``.

The content depends only on the claim's stored data (dates included: the generation date is the
claim's, never "now"), so the same data gives the same bytes and the same checksum.

The lines are set as fixed-width rows of a monospaced font, one block per line: WeasyPrint lays
out a table cell by cell, which for a claim of 5,000 lines takes several times longer and more
memory than the same rows as single text lines. A value longer than its column wraps onto a second
text line of the same block: nothing is ever cut. Lines are grouped by legislation (law of 2002,
law of 1965), each group with its subtotal; the lines of the CPAS itself rather than of a person (the
social-activation advance and balance) form their own section; a DRAFT mark stands on every page until both
signatures are given.
"""

import hashlib
import logging
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpas_portal.identifiers import niss_display
from cpas_portal.money import eur
from cpas_portal.templatetags.cpas import eur as eur_text

from .models import ClaimLine, LineChange


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str
    language: str
    page_count: int


# Column widths in characters: (position, NISS, name, period, details, [previous,] amount[, difference]).
WIDTHS = (5, 15, 30, 21, 29, 14)
CORRECTION_WIDTHS = (5, 15, 22, 21, 15, 14, 14, 14)


class PrintedLine(NamedTuple):
    """A claim line as the form prints it, read straight from the database: building 5,000 model instances took
    longer than all the rest of the application's work around WeasyPrint."""

    position: int
    source_key: str
    niss: str
    beneficiary_name: str
    covered_start: date
    covered_end: date
    amount: Decimal
    sign: int
    legal_basis: str
    legislation: str
    description: str
    tier_code: str
    partner: str
    previous_amount: Decimal | None
    change: str
    live: bool
    unconfirmed: bool

    signed_amount = ClaimLine.signed_amount
    difference = ClaimLine.difference

    def get_change_display(self):
        return dict(LineChange.choices).get(self.change, self.change)


def printed_lines(claim):
    """The claim's lines in their order, as :class:`PrintedLine`."""
    return list(map(PrintedLine._make, claim.lines.order_by("position").values_list(*PrintedLine._fields)))


def claim_language(claim):
    from .services import claim_language as language_of

    return language_of(claim.cpas)


def _wrapped(text, width):
    """``text`` as lines of at most ``width`` characters, broken at spaces (inside a word when it must)."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _row(values, widths, right_from):
    """One line as fixed-width text; a value longer than its column wraps onto the next text lines."""
    texts = [" ".join(str(value).split()) for value in values]
    if all(len(text) <= width for text, width in zip(texts, widths, strict=True)):
        # Nearly every line fits its columns: one text line, without wrapping each value.
        return "  ".join(text.rjust(width) if column >= right_from else text.ljust(width)
                         for column, (text, width) in enumerate(zip(texts, widths, strict=True))).rstrip()
    cells = [_wrapped(value, width) for value, width in zip(texts, widths, strict=True)]
    height = max(len(cell) for cell in cells)
    lines = []
    for index in range(height):
        parts = []
        for column, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            text = cell[index] if index < len(cell) else ""
            parts.append(text.rjust(width) if column >= right_from else text.ljust(width))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _day(value):
    # The same text as ``strftime("%d/%m/%Y")`` (every claimed day has a four-digit year), at a fifth of its cost.
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _period(line):
    start = _day(line.covered_start)
    if line.covered_end == line.covered_start:
        return start
    return f"{start}–{_day(line.covered_end)}"


def _niss_text(niss):
    """``niss_display`` (``85.07.30-033.28``), cut straight from the eleven digits a line stores."""
    if len(niss) == 11 and niss.isdigit():
        return f"{niss[0:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:11]}"
    return niss_display(niss) or "—"


CENT = Decimal("0.01")


def eur_formatter():
    """The ``eur`` template filter for the active language (``1.234,50 €``), its separators looked up once:
    the filter looks them up for each amount, a fifth of the time of a claim's rows. Amounts of whole cents
    (every stored one) are grouped by threes by the decimal type itself; any other value goes to the filter."""
    decimal_separator, grouping = get_format("DECIMAL_SEPARATOR"), get_format("NUMBER_GROUPING")
    separators = str.maketrans({",": get_format("THOUSAND_SEPARATOR"), ".": decimal_separator})

    def text(value):
        if (grouping == 3 and isinstance(value, Decimal) and value.as_tuple().exponent == -2
                and abs(value) >= CENT):
            return f"{value:,f}".translate(separators) + " €"
        return eur_text(value)

    return text


def _details(line, labels):
    parts = [line.description] if line.description else []
    if line.tier_code:
        parts.append(f"{labels['code']} {line.tier_code}")
    if line.partner:
        parts.append(line.partner)
    if line.sign < 0:
        parts.append(labels["regularisation"])
    if line.change:
        parts.append(str(line.get_change_display()))
    if line.unconfirmed:
        # First, so the fixed-width column never cuts it off.
        parts.insert(0, labels["unconfirmed"])
    return " · ".join(parts)


def line_rows(lines, *, is_correction):
    """The header and one fixed-width text row per line, in the active language."""
    header = ["#", _("National number"), _("Beneficiary"), _("Period covered"), _("Details")]
    if is_correction:
        header += [_("Previous amount"), _("Amount"), _("Difference")]
        widths = CORRECTION_WIDTHS
    else:
        header += [_("Amount")]
        widths = WIDTHS
    labels = {"code": _("code"), "regularisation": _("regularisation"), "unconfirmed": _("NOT CONFIRMED")}
    amount = eur_formatter()
    rows = []
    for line in lines:
        values = [line.position, _niss_text(line.niss), line.beneficiary_name, _period(line),
                  _details(line, labels)]
        if is_correction:
            values += [amount(line.previous_amount), amount(line.signed_amount), amount(line.difference)]
        else:
            values.append(amount(line.signed_amount))
        rows.append(_row(values, widths, 5))
    return _row(header, widths, 5), rows


def rows_html(rows):
    """The rows as the template would write them (``<div class="r">`` each, escaped): 5,000 rows through the
    template engine took longer than all of the claim's other markup."""
    return mark_safe("".join(f'  <div class="r">{escape(row)}</div>\n' for row in rows))


def signature_slots(claim):
    from .models import SignerCapacity

    given = {signature.capacity: signature for signature in claim.signatures.all()}
    return [(label, given.get(value)) for value, label in SignerCapacity.choices]


# Sections of lines that are not a person's, by the start of their source key, after the legislations.
OWN_SECTIONS = (("activation.", gettext_lazy("Social activation")),)


def _own_section(line):
    return next((index for index, (prefix, _label) in enumerate(OWN_SECTIONS)
                 if line.source_key.startswith(prefix)), None)


def _group(key, label, members, is_correction):
    _header, rows = line_rows(members, is_correction=is_correction)
    return {"legislation": key, "label": label, "rows_html": rows_html(rows), "count": len(members),
            "subtotal": eur(sum((line.signed_amount for line in members), start=Decimal("0.00"))),
            "by_basis": _totals_by_basis(members)}


def legislation_groups(lines, *, is_correction):
    """The lines by legislation (2002 first), then the CPAS's own sections (social activation), each
    group with its rows, line count and subtotal."""
    from .models import Legislation

    by_legislation, own = defaultdict(list), defaultdict(list)
    known = set(Legislation.values)
    for line in lines:
        if line.legislation not in known:
            raise ValueError(f"Claim line with an unknown legislation: {line.legislation!r}.")
        section = _own_section(line)
        (by_legislation[line.legislation] if section is None else own[section]).append(line)
    groups = []
    for value, label in Legislation.choices:
        members = by_legislation.pop(value, [])
        if members:
            groups.append(_group(value, label, members, is_correction))
    for index, (prefix, label) in enumerate(OWN_SECTIONS):
        if own.get(index):
            groups.append(_group(prefix.rstrip("."), str(label), own[index], is_correction))
    return groups


def _totals_by_basis(lines):
    by_basis = defaultdict(lambda: [0, Decimal("0.00")])
    for line in lines:
        by_basis[line.legal_basis][0] += 1
        by_basis[line.legal_basis][1] += line.signed_amount
    return [{"legal_basis": basis, "count": count, "total": eur(total)}
            for basis, (count, total) in sorted(by_basis.items())]


def claim_context(claim, language):
    lines = printed_lines(claim)
    is_correction = claim.supersedes_id is not None
    header, _rows = line_rows([], is_correction=is_correction)
    cpas = claim.cpas
    return {
        "claim": claim,
        "cpas_name": cpas.name_nl if language == "nl" else cpas.name_fr,
        "cpas": cpas,
        "header": header,
        "groups": legislation_groups(lines, is_correction=is_correction),
        "is_correction": is_correction,
        "signature_slots": signature_slots(claim),
        "draft": not claim.fully_signed,
        "language": language,
        "unconfirmed_count": sum(1 for line in lines if line.unconfirmed and line.live),
    }


def render_claim_pdf(claim):
    from weasyprint import HTML  # ~1.5 s to import: only in the process that renders (STACK.md)

    # WeasyPrint logs each rendering step at INFO; a worker rendering all day needs only its warnings.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    language = claim_language(claim)
    with translation.override(language):
        html = render_to_string("pdf/claim.html", claim_context(claim, language))
    document = HTML(string=html, base_url=None).render()
    content = document.write_pdf()
    return RenderedPdf(content, hashlib.sha256(content).hexdigest(), language, len(document.pages))
