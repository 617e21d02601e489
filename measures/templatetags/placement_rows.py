"""The rows of the placement list and of a placement's subsidy months, written in Python
(``cpas_portal/table_rows.py``)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.translation import gettext

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


@register.simple_tag
def subsidy_month_rows(month_table):
    """The year groups and month rows of a placement's subsidy table (``measures/placement_detail.html``, a
    ``measures.explain.month_table``), compared with its former template in ``tests/measures/test_placement_rows.py``:
    a placement of three years shows 36 months, each with its own explanation."""
    money = money_formatter()
    # Translations are written as ``{% translate %}`` writes them: unescaped, the catalogues being trusted.
    # Each message a call of its own: ``makemessages`` (xgettext) does not read calls inside f-strings.
    cannot = gettext("cannot be computed")
    unconfirmed_title = gettext("Computed past the confirmed date of an amount table")
    unconfirmed_label = gettext("not confirmed")
    as_above_label = gettext("as above")
    claimed_in = gettext("claimed in %(reference)s")
    not_claimable_label = gettext("not claimable until computed")
    to_claim = badge("pending", gettext("to claim"))
    nothing_label = gettext("nothing to claim")
    unconfirmed = f' <span class="badge unconfirmed" title="{unconfirmed_title}">{unconfirmed_label}</span>'
    as_above = f'<span class="muted">{as_above_label}</span>'
    not_claimable = f'<span class="muted">{not_claimable_label}</span>'
    nothing = f'<span class="muted">{nothing_label}</span>'
    parts = []
    for group in month_table.years:
        parts.append(
            f'\n    <tbody id="subsidy-year-{group.year}">\n'
            f'      <tr class="year-row"><th scope="rowgroup" colspan="3">{group.year}</th>'
            f'<th class="num">{money(group.total)}</th><th colspan="2"></th></tr>\n      ')
        for row in group.rows:
            line = row.line
            if line.amount is None:
                amount, state = f'<strong style="color:#b3261e">{cannot}</strong>', not_claimable
            else:
                amount, state = f'<strong>{money(line.amount)}</strong>', to_claim if line.amount else nothing
            if line.claimed:
                state = claimed_in % {"reference": esc(line.claim_reference)}
            if line.unconfirmed_rows:
                amount += unconfirmed
            explained = (f'<ul style="margin:0;padding-left:1rem;font-size:.85rem">'
                         f'{"".join(f"<li>{esc(sentence)}</li>" for sentence in row.own_lines)}</ul>'
                         if row.own_lines else as_above)
            parts.append(
                f'\n      <tr>\n'
                f'        <td>{line.month.month:02d}/{line.month.year:04d}</td>\n'
                f'        <td class="num">{esc(localize(line.days_covered))}/{esc(localize(line.days_in_month))}</td>\n'
                f'        <td class="num">{money(line.gross_pay)}</td>\n'
                f'        <td class="num">{amount}</td>\n'
                f'        <td>{explained}</td>\n'
                f'        <td class="claim-state">{state}</td>\n'
                f'      </tr>\n      ')
        parts.append('\n    </tbody>\n    ')
    if not month_table.years:
        nothing_yet = gettext("No month to subsidise yet: record the pay and approve the placement; the months are "
                              "then computed here.")
        parts.append(f'\n    <tbody><tr><td colspan="6" class="muted">{nothing_yet}</td></tr></tbody>\n    ')
    return safe(parts)
