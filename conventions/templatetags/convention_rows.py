"""The rows of the convention list, written in Python (``cpas_portal/table_rows.py``)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.translation import gettext

from cpas_portal.table_rows import badge, date_formatter, esc, masked_niss, money_formatter, safe
from cpas_portal.url_patterns import url_maker

register = template.Library()


@register.simple_tag
def convention_rows(conventions):
    """The rows of ``conventions/list.html``, compared with its former template in
    ``tests/conventions/test_convention_rows.py``."""
    detail_url, short_date, money = url_maker("convention_detail"), date_formatter(), money_formatter()
    overdue = None
    rows = []
    for convention in conventions:
        person = convention.beneficiary
        partners = "<br>".join(f"{esc(partner.name)} ({floatformat(partner.share, '-2')} %)"
                               for partner in convention.partners.all())
        status = badge(convention.status, convention.get_status_display())
        if convention.has_overdue_balance:
            overdue = overdue or badge("overdue", gettext("balance overdue"))
            status = f"{status} {overdue}"
        rows.append(
            f'    <tr data-convention="{convention.pk}">\n'
            f'      <td><a href="{esc(detail_url(convention.pk))}">{esc(person.last_name.upper())} '
            f'{esc(person.first_name)}</a>\n'
            f'        <div class="muted"><code class="niss">{masked_niss(person.niss)}</code></div></td>\n'
            f'      <td>{short_date(convention.conclusion_date)}</td>\n'
            f'      <td>{partners}</td>\n'
            f'      <td class="num">{floatformat(convention.hours_done, "-2")} / '
            f'{esc(localize(convention.planned_hours))}</td>\n'
            f'      <td class="num">{money(convention.agreed_amount)}</td>\n'
            f'      <td>{status}</td>\n    </tr>\n')
    return safe(rows)
