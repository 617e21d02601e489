"""The rows of the placement list, written in Python (``cpas_portal/table_rows.py``)."""

from django import template
from django.template.defaultfilters import floatformat

from cpas_portal.table_rows import badge, date_formatter, esc, masked_niss, money_formatter, safe
from cpas_portal.url_patterns import url_maker

register = template.Library()


@register.simple_tag
def placement_rows(placements):
    """The rows of ``measures/placement_list.html``, compared with its former template in
    ``tests/measures/test_placement_rows.py``."""
    detail_url, short_date, money = url_maker("placement_detail"), date_formatter(), money_formatter()
    rows = []
    for placement in placements:
        person = placement.beneficiary
        workplace = (placement.organisation.name if placement.organisation_id else "") or \
            placement.get_workplace_display()
        rows.append(
            f'    <tr>\n'
            f'      <td><a href="{esc(detail_url(placement.pk))}">{esc(person.last_name.upper())} '
            f'{esc(person.first_name)}</a></td>\n'
            f'      <td><code class="niss">{masked_niss(person.niss)}</code></td>\n'
            f'      <td>{esc(workplace)}</td>\n'
            f'      <td>{short_date(placement.start)}</td>\n'
            f'      <td>{short_date(placement.end)}</td>\n'
            f'      <td class="num">{floatformat(placement.regime, "-3")}</td>\n'
            f'      <td>{esc(placement.get_scheme_display())}</td>\n'
            f'      <td>{badge(placement.status, placement.get_status_display())}</td>\n'
            f'      <td class="num">{money(placement.subsidy_total)}</td>\n    </tr>\n')
    return safe(rows)
