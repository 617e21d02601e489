"""The rows of the claim list and of a claim's lines, written in Python (``cpas_portal/table_rows.py``)."""

from django import template
from django.utils.formats import localize
from django.utils.translation import gettext

from cpas_portal.table_rows import badge, date_formatter, esc, integer_formatter, masked_niss, money_formatter, safe
from cpas_portal.url_patterns import choice_labels, url_maker

from ..models import LineChange

register = template.Library()


@register.simple_tag
def claim_rows(claims):
    """The rows of ``reimbursements/claim_list.html`` (without its empty row), compared with its former template in
    ``tests/reimbursements/test_claim_rows.py``."""
    detail_url, short_date, money = url_maker("claim_detail"), date_formatter(), money_formatter()
    rows = []
    for claim in claims:
        rows.append(
            f'    <tr data-claim="{claim.pk}">\n'
            f'      <td><a href="{esc(detail_url(claim.pk))}">{esc(claim.reference)}</a></td>\n'
            f'      <td>{esc(claim.get_measure_display())}</td>\n'
            f'      <td>{short_date(claim.period_start)} – {short_date(claim.period_end)}</td>\n'
            f'      <td>{esc(localize(claim.version))}</td>\n'
            f'      <td data-status="{esc(claim.status)}">{badge(claim.status, claim.get_status_display())}</td>\n'
            f'      <td class="num">{esc(localize(claim.line_count))}</td>\n'
            f'      <td class="num">{money(claim.total)}</td>\n    </tr>\n')
    return safe(rows)


@register.simple_tag
def claim_line_rows(lines, superseding):
    """The rows of a claim's lines (``reimbursements/claim_detail.html``); ``superseding``: the claim replaces
    another one, so each line shows its previous amount and the difference. A line is a ``ClaimLine`` or a plain
    row of its columns read by name (``values_list(..., named=True)``): its signed amount and difference are
    computed here as the model computes them."""
    short_date, money, changes = date_formatter(), money_formatter(), choice_labels(LineChange.choices)
    number = integer_formatter()
    cpas_line = (f'<span class="muted" title="{esc(gettext("A line of the CPAS itself, not of a person"))}">'
                 f'—</span>')
    code, regularisation = esc(gettext("code")), esc(gettext("regularisation"))
    not_confirmed = esc(gettext("not confirmed"))
    rows = []
    for line in lines:
        niss = f'<code class="niss">{masked_niss(line.niss)}</code>' if line.niss else cpas_line
        details = [f'<span translate="no">{esc(line.description)}</span>']
        if line.tier_code:
            details.append(f" · {code} {esc(line.tier_code)}")
        if line.partner:
            details.append(f' · <span translate="no">{esc(line.partner)}</span>')
        if line.sign < 0:
            details.append(f' · <span class="badge">{regularisation}</span>')
        if line.change:
            details.append(f' · <span class="badge">{esc(changes.get(line.change, line.change))}</span>')
        if line.unconfirmed:
            details.append(f' · <span class="badge unconfirmed">{not_confirmed}</span>')
        signed = line.amount * line.sign  # ``ClaimLine.signed_amount``
        amount = f'<td class="num">{money(signed)}</td>'
        if superseding:
            previous = line.previous_amount
            difference = None if previous is None else signed - previous  # ``ClaimLine.difference``
            amount = (f'<td class="num">{money(previous)}</td>\n        {amount}\n'
                      f'        <td class="num">{money(difference)}</td>')
        rows.append(
            f'      <tr>\n'
            f'        <td>{number(line.position)}</td>\n'
            f'        <td>{niss}</td>\n'
            f'        <td>{esc(line.beneficiary_name)}</td>\n'
            f'        <td>{short_date(line.covered_start)} – {short_date(line.covered_end)}</td>\n'
            f'        <td>{esc(line.legislation)}</td>\n'
            f'        <td>{"".join(details)}</td>\n'
            f'        {amount}\n      </tr>\n')
    return safe(rows)
