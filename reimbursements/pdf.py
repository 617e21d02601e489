"""The claim's PDF form, rendered with WeasyPrint from ``templates/pdf/claim.html``.

The content depends only on the claim's stored data (dates included: the generation date is the
claim's, never "now"), so the same data gives the same bytes and the same checksum.

The lines are set as fixed-width rows of a monospaced font, one block per line: WeasyPrint lays
out a table cell by cell, which for a claim of 5,000 lines takes several times longer and more
memory than the same rows as single text lines.
"""

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

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


def _cell(text, width, right=False):
    text = str(text)
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.rjust(width) if right else text.ljust(width)


def _row(values, widths, right_from):
    return "  ".join(_cell(value, width, index >= right_from) for index, (value, width) in
                     enumerate(zip(values, widths, strict=True)))


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
        values = [line.position, niss_display(line.niss), line.beneficiary_name, _period(line), _details(line)]
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


def claim_context(claim, language):
    lines = list(claim.lines.order_by("position"))
    by_basis = defaultdict(lambda: [0, Decimal("0.00")])
    for line in lines:
        by_basis[line.legal_basis][0] += 1
        by_basis[line.legal_basis][1] += line.signed_amount
    totals = [{"legal_basis": basis, "count": count, "total": eur(total)}
              for basis, (count, total) in sorted(by_basis.items())]
    is_correction = claim.supersedes_id is not None
    header, rows = line_rows(lines, is_correction=is_correction)
    cpas = claim.cpas
    return {
        "claim": claim,
        "cpas_name": cpas.name_nl if language == "nl" else cpas.name_fr,
        "cpas": cpas,
        "header": header,
        "rows": rows,
        "totals": totals,
        "is_correction": is_correction,
        "signature_slots": signature_slots(claim),
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
