"""The placement list's rows written in Python give the markup its template wrote, in every language."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Template

from measures.templatetags.placement_rows import placement_rows
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
