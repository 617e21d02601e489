"""The claim's PDF form, rendered with WeasyPrint from ``templates/pdf/claim.html``.

The content depends only on the claim's stored data (dates included: the generation date is the
claim's, never "now"), so the same data gives the same bytes and the same checksum.
"""

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from cpas_portal.money import eur


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str
    language: str
    page_count: int


def claim_language(claim):
    from .services import claim_language as language_of

    return language_of(claim.cpas)


def claim_context(claim, language):
    lines = list(claim.lines.order_by("position"))
    by_basis = defaultdict(lambda: [0, Decimal("0.00")])
    for line in lines:
        by_basis[line.legal_basis][0] += 1
        by_basis[line.legal_basis][1] += line.signed_amount
    totals = [{"legal_basis": basis, "count": count, "total": eur(total)}
              for basis, (count, total) in sorted(by_basis.items())]
    cpas = claim.cpas
    return {
        "claim": claim,
        "cpas_name": cpas.name_nl if language == "nl" else cpas.name_fr,
        "cpas": cpas,
        "lines": lines,
        "totals": totals,
        "is_correction": claim.supersedes_id is not None,
        "signature_slots": signature_slots(claim),
        "language": language,
    }


def signature_slots(claim):
    from .models import SignerCapacity

    given = {signature.capacity: signature for signature in claim.signatures.all()}
    return [(label, given.get(value)) for value, label in SignerCapacity.choices]


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
