"""Template filters: amounts and national numbers shown the way a Belgian reader expects."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from ..identifiers import niss_display, niss_masked

register = template.Library()


@register.filter
def eur(value):
    """``1234.5`` → ``1.234,50 €`` in French and Dutch, ``1,234.50 €`` in English."""
    if value in (None, ""):
        return "—"
    return f"{number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)} €"


@register.filter
def masked_niss(value):
    return niss_masked(value)


@register.filter
def formatted_niss(value):
    return niss_display(value)


@register.filter
def right_type_label(value):
    """The label of a right type code (``ris`` → "Integration income"), empty for none."""
    from cpas_portal.models import RightType

    return RightType(value).label if value in RightType.values else ""


@register.simple_tag(takes_context=True)
def file_section(context, section):
    """Render a section of the person's file with its ``context`` (plus ``section`` and what the page has, such
    as ``beneficiary``), as ``cpas_portal.person_file`` promises its providers."""
    section_template = context.template.engine.get_template(section.template)
    with context.push(**section.context, section=section):
        return section_template.render(context)
