"""The placement list's rows and a placement's subsidy months written in Python give the markup their template
wrote, in every language."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from measures.explain import MonthRow, MonthTable, YearGroup
from measures.templatetags.placement_rows import placement_rows, subsidy_month_rows
from tests.helpers import rows_as_template

# The rows as ``measures/placement_list.html`` wrote them before they were written in Python.
TEMPLATE = Template("""{% load cpas %}{% for placement in page %}
    <tr>
      <td><a href="{% url 'placement_detail' placement.pk %}">{{ placement.beneficiary.last_name|upper }} {{ placement.beneficiary.first_name }}</a></td>
      <td><code class="niss">{{ placement.beneficiary.niss|masked_niss }}</code></td>
      <td>{{ placement.organisation.name|default:placement.get_workplace_display }}</td>
      <td>{{ placement.start|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{{ placement.end|date:"SHORT_DATE_FORMAT" }}</td>
      <td class="num">{{ placement.regime|floatformat:"-3" }}</td>
      <td>{{ placement.get_scheme_display }}</td>
      <td>{% status_badge placement.status placement.get_status_display %}</td>
      <td class="num">{{ placement.subsidy_total|eur }}</td>
    </tr>
{% endfor %}""")  # noqa: E501


def placement(pk, *, organisation, **fields):
    return SimpleNamespace(
        pk=pk, organisation=organisation, organisation_id=organisation and 1,
        get_workplace_display=lambda: "The CPAS itself", get_scheme_display=lambda: "Federal <subsidy>",
        get_status_display=lambda: fields["status"].title(), **fields)


PLACEMENTS = [
    placement(1, organisation=SimpleNamespace(name="Asbl <Les Amis> & co"), status="active",
              beneficiary=SimpleNamespace(last_name="Peeters", first_name="Jan", niss="90010112345"),
              start=date(2026, 1, 1), end=date(2027, 6, 30), regime=Decimal("0.800"),
              subsidy_total=Decimal("12345.67")),
    placement(23456, organisation=None, status="ended_early", start=date(2024, 2, 29), end=None,
              beneficiary=SimpleNamespace(last_name="<script>x</script>", first_name="Ann", niss="123"),
              regime=Decimal("1.000"), subsidy_total=None),
]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_rows_are_the_templates(language):
    written = rows_as_template(placement_rows, TEMPLATE, PLACEMENTS, language)
    assert "&lt;SCRIPT&gt;X&lt;/SCRIPT&gt;" in written
    assert "Asbl &lt;Les Amis&gt; &amp; co" in written and "Federal &lt;subsidy&gt;" in written


# The subsidy months as ``measures/placement_detail.html`` wrote them before they were written in Python.
MONTHS_TEMPLATE = Template("""{% load i18n cpas l10n %}{% for group in month_table.years %}
    <tbody id="subsidy-year-{{ group.year|unlocalize }}">
      <tr class="year-row"><th scope="rowgroup" colspan="3">{{ group.year|unlocalize }}</th><th class="num">{{ group.total|eur }}</th><th colspan="2"></th></tr>
      {% for row in group.rows %}{% with line=row.line %}
      <tr>
        <td>{{ line.month|date:"m/Y" }}</td>
        <td class="num">{{ line.days_covered }}/{{ line.days_in_month }}</td>
        <td class="num">{{ line.gross_pay|eur }}</td>
        <td class="num">{% if line.has_error %}<strong style="color:#b3261e">{% translate "cannot be computed" %}</strong>{% else %}<strong>{{ line.amount|eur }}</strong>{% endif %}{% if line.unconfirmed %} <span class="badge unconfirmed" title="{% translate 'Computed past the confirmed date of an amount table' %}">{% translate "not confirmed" %}</span>{% endif %}</td>
        <td>{% if row.own_lines %}<ul style="margin:0;padding-left:1rem;font-size:.85rem">{% for sentence in row.own_lines %}<li>{{ sentence }}</li>{% endfor %}</ul>{% else %}<span class="muted">{% translate "as above" %}</span>{% endif %}</td>
        <td class="claim-state">{% if line.claimed %}{% blocktranslate with reference=line.claim_reference %}claimed in {{ reference }}{% endblocktranslate %}{% elif line.has_error %}<span class="muted">{% translate "not claimable until computed" %}</span>{% elif line.amount %}{% status_badge "pending" _("to claim") %}{% else %}<span class="muted">{% translate "nothing to claim" %}</span>{% endif %}</td>
      </tr>
      {% endwith %}{% endfor %}
    </tbody>
    {% empty %}
    <tbody><tr><td colspan="6" class="muted">{% translate "No month to subsidise yet: record the pay and approve the placement; the months are then computed here." %}</td></tr></tbody>
    {% endfor %}""")  # noqa: E501


def month(day, *, amount, claimed_reference="", unconfirmed_rows="", days=(31, 31)):
    return SimpleNamespace(month=day, amount=amount, days_covered=days[0], days_in_month=days[1],
                           gross_pay=Decimal("2145.30"), has_error=amount is None, unconfirmed_rows=unconfirmed_rows,
                           unconfirmed=bool(unconfirmed_rows), claimed=bool(claimed_reference),
                           claim_reference=claimed_reference)


MONTHS = MonthTable(common_lines=["Shared"], years=[
    YearGroup(year=2025, total=Decimal("1234.56"), rows=[
        MonthRow(line=month(date(2025, 11, 1), amount=Decimal("1234.56"), claimed_reference="<script>x</script>",
                            unconfirmed_rows="minimum_wage@2025-11-01"), own_lines=["Rule <b>&</b> more", "Two"]),
        MonthRow(line=month(date(2025, 12, 1), amount=None, days=(12, 31)), own_lines=[]),
    ]),
    YearGroup(year=2026, total=Decimal("0"), rows=[
        MonthRow(line=month(date(2026, 1, 1), amount=Decimal("0.00")), own_lines=[]),
        MonthRow(line=month(date(2026, 2, 1), amount=Decimal("1000.00"), unconfirmed_rows="x"), own_lines=["<i>"]),
        MonthRow(line=month(date(2026, 3, 1), amount=None, claimed_reference="62063-ART60-2026-03-1v1"),
                 own_lines=[]),
    ]),
])


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("table", [MONTHS, MonthTable(common_lines=[], years=[])], ids=["months", "none"])
def test_the_subsidy_months_are_the_template(language, table):
    with translation.override(language):
        expected = MONTHS_TEMPLATE.render(Context({"month_table": table}))
        written = subsidy_month_rows(table)
    assert written == expected  # the very markup, whitespace included
    assert "<script>" not in written and "<b>&" not in written and "<i>" not in written
