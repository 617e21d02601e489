"""The PIIS contract as a PDF for signature, rendered with WeasyPrint in the person's language."""

import logging

from django.template.loader import render_to_string
from django.utils import translation

from cpas_portal.identifiers import niss_display

from . import rules


def piis_context(piis, language):
    cpas = piis.cpas
    activation = rules.social_activation_window(start=piis.start, end=piis.end) if piis.start else None
    return {
        "piis": piis,
        "beneficiary": piis.beneficiary,
        "niss": niss_display(piis.beneficiary.niss),
        "cpas": cpas,
        "cpas_name": cpas.name_nl if language == "nl" else cpas.name_fr,
        "third_parties": list(piis.third_parties.order_by("name")),
        "activation": activation,
        "language": language,
    }


def render_piis_pdf(piis):
    """The PDF's bytes. The person's language decides the text (French when they speak neither)."""
    from weasyprint import HTML  # ~1.5 s to import: only where a PDF is made (STACK.md)

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    language = piis.beneficiary.language if piis.beneficiary.language in ("fr", "nl", "de") else "fr"
    with translation.override(language):
        html = render_to_string("pdf/piis.html", piis_context(piis, language))
    return HTML(string=html, base_url=None).write_pdf()
