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
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpas_portal.identifiers import niss_display
from cpas_portal.money import eur
from cpas_portal.templatetags.cpas import eur as eur_text


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str
    language: str
    page_count: int


# Column widths in characters: (position, NISS, name, period, details, [previous,] amount[, difference]).
WIDTHS = (5, 15, 30, 21, 29, 14)
CORRECTION_WIDTHS = (5, 15, 22, 21, 15, 14, 14, 14)


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
    cells = [_wrapped(value, width) for value, width in zip(values, widths, strict=True)]
    height = max(len(cell) for cell in cells)
    lines = []
    for index in range(height):
        parts = []
        for column, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            text = cell[index] if index < len(cell) else ""
            parts.append(text.rjust(width) if column >= right_from else text.ljust(width))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _period(line):
    start = line.covered_start.strftime("%d/%m/%Y")
    if line.covered_end == line.covered_start:
        return start
    return f"{start}–{line.covered_end.strftime('%d/%m/%Y')}"


def _details(line):
    parts = [line.description] if line.description else []
    if line.tier_code:
        parts.append(f"{_('code')} {line.tier_code}")
    if line.partner:
        parts.append(line.partner)
    if line.sign < 0:
        parts.append(_("regularisation"))
    if line.change:
        parts.append(str(line.get_change_display()))
    if line.unconfirmed:
        # First, so the fixed-width column never cuts it off.
        parts.insert(0, _("NOT CONFIRMED"))
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
    rows = []
    for line in lines:
        values = [line.position, niss_display(line.niss) or "—", line.beneficiary_name, _period(line), _details(line)]
        if is_correction:
            values += [eur_text(line.previous_amount), eur_text(line.signed_amount), eur_text(line.difference)]
        else:
            values.append(eur_text(line.signed_amount))
        rows.append(_row(values, widths, 5))
    return _row(header, widths, 5), rows


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
    return {"legislation": key, "label": label, "rows": rows, "count": len(members),
            "subtotal": eur(sum((line.signed_amount for line in members), start=Decimal("0.00"))),
            "by_basis": _totals_by_basis(members)}


def legislation_groups(lines, *, is_correction):
    """The lines by legislation (2002 first), then the CPAS's own sections (social activation), each
    group with its rows, line count and subtotal."""
    from .models import Legislation

    by_legislation, own = defaultdict(list), defaultdict(list)
    for line in lines:
        if line.legislation not in Legislation.values:
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
    lines = list(claim.lines.order_by("position"))
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
