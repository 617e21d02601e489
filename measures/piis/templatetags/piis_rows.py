"""The rows of the PIIS list, written in Python (``cpas_portal/table_rows.py``)."""

from django import template
from django.utils.formats import localize

from cpas_portal.table_rows import badge, date_formatter, esc, masked_niss, safe
from cpas_portal.url_patterns import url_maker

register = template.Library()


@register.simple_tag
def piis_rows(contracts):
    """The rows of ``piis/list.html`` (without its empty row), compared with its former template in
    ``tests/piis/test_piis_rows.py``."""
    detail_url, short_date = url_maker("piis_detail"), date_formatter()
    rows = []
    for piis in contracts:
        person = piis.beneficiary
        third_parties = ", ".join(esc(organisation.name) for organisation in piis.third_parties.all()) or "—"
        outcome = f' <span class="muted">{esc(piis.get_outcome_display())}</span>' if piis.outcome else ""
        rows.append(
            f'    <tr>\n'
            f'      <td><a href="{esc(detail_url(piis.pk))}">{esc(person.last_name.upper())} '
            f'{esc(person.first_name)}</a>\n'
            f'        <div class="muted"><code class="niss">{masked_niss(person.niss)}</code></div></td>\n'
            f'      <td>{esc(piis.get_kind_display())}</td>\n'
            f'      <td>{short_date(piis.start) or "—"}</td>\n'
            f'      <td>{short_date(piis.end) or "—"}</td>\n'
            f'      <td>{third_parties}</td>\n'
            f'      <td class="num">{esc(localize(piis.held_count))} / {esc(localize(piis.planned_count))}</td>\n'
            f'      <td>{badge(piis.status, piis.get_status_display())}{outcome}</td>\n    </tr>\n')
    return safe(rows)
