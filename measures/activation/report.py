"""The final report of a social-activation year: its table (objectives against realised, per row of
the official table), the outcomes of the paths, the amounts; rendered as a PDF in the CPAS's language.

The PDF depends only on the subsidy's data, the frozen realised figures and the report's date, so the
same data gives the same bytes.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import rules

# The rows of "Objectifs fixés vs. réalisés" (seed 002), in its order and numbering.
TABLE_ROWS = (
    ("1.", "social_assessments",
     _("Beneficiaries for whom a social assessment is made (assessment drawn up and next steps decided)")),
    ("2.", "piis_total", _("Beneficiaries in a social-activation path through a PIIS")),
    ("2.1.", "piis_socio_professional", _("Through a PIIS preparing a socio-professional path")),
    ("2.2.", "piis_social_participation",
     _("Through a PIIS of participation in workshops or activation and socialisation modules")),
    ("2.3.", "piis_community_service", _("Through a PIIS of community service or volunteering")),
)
OUTCOME_ROWS = (
    ("1.", rules.OUTCOME_AUTONOMY, _("Paths that led to stronger autonomy")),
    ("2.", rules.OUTCOME_PATH, _("Paths that led to a socio-professional path")),
    ("3.", rules.OUTCOME_JOB, _("Paths that led to a job")),
    ("4.", rules.OUTCOME_COMMUNITY, _("Paths that led to community service or volunteering")),
)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str
    language: str
    page_count: int


def language_of(cpas):
    from reimbursements.services import claim_language

    return claim_language(cpas)


def table(activation, realised):
    """``[(number, label, objective, realised)]`` for the official table; ``realised`` as ``Realised.as_dict()``."""
    objectives = activation.objectives()
    return [(number, label, objectives[key], realised.get(key, 0)) for number, key, label in TABLE_ROWS]


def outcomes(realised):
    return [(number, label, realised.get(f"outcome_{key}", 0)) for number, key, label in OUTCOME_ROWS]


def context(activation, realised, *, made_on, language):
    cpas = activation.cpas
    return {
        "activation": activation,
        "cpas": cpas,
        "cpas_name": cpas.name_nl if language == "nl" else cpas.name_fr,
        "members": [member.name_nl if language == "nl" else member.name_fr
                    for member in activation.cluster_members.order_by("nis_code")],
        "table": table(activation, realised),
        "outcomes": outcomes(realised),
        "paths_counted": realised.get("paths_counted", 0),
        "instalments": activation.instalments,
        "report_due": activation.report_due,
        "made_on": made_on,
        "language": language,
    }


def render(activation, realised, *, made_on):
    from weasyprint import HTML  # ~1.5 s to import: only in the process that renders (STACK.md)

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    language = language_of(activation.cpas)
    with translation.override(language):
        html = render_to_string("activation/report_pdf.html",
                                context(activation, realised, made_on=made_on, language=language))
    document = HTML(string=html, base_url=None).render()
    content = document.write_pdf()
    return RenderedPdf(content, hashlib.sha256(content).hexdigest(), language, len(document.pages))
