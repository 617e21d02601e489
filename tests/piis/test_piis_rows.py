"""The PIIS list's rows written in Python give the markup its template wrote, in every language."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.template import Template

from measures.piis.templatetags.piis_rows import piis_rows
from tests.helpers import rows_as_template

# The rows as ``piis/list.html`` wrote them before they were written in Python.
TEMPLATE = Template("""{% load cpas %}{% for piis in page %}
    <tr>
      <td><a href="{% url 'piis_detail' piis.pk %}">{{ piis.beneficiary.last_name|upper }} {{ piis.beneficiary.first_name }}</a>
        <div class="muted"><code class="niss">{{ piis.beneficiary.niss|masked_niss }}</code></div></td>
      <td>{{ piis.get_kind_display }}</td>
      <td>{{ piis.start|date:"SHORT_DATE_FORMAT"|default:"—" }}</td>
      <td>{{ piis.end|date:"SHORT_DATE_FORMAT"|default:"—" }}</td>
      <td>{% for organisation in piis.third_parties.all %}{{ organisation.name }}{% if not forloop.last %}, {% endif %}{% empty %}—{% endfor %}</td>
      <td class="num">{{ piis.held_count }} / {{ piis.planned_count }}</td>
      <td>{% status_badge piis.status piis.get_status_display %}{% if piis.outcome %} <span class="muted">{{ piis.get_outcome_display }}</span>{% endif %}</td>
    </tr>
{% endfor %}""")  # noqa: E501


def contract(pk, *, third_parties, **fields):
    return SimpleNamespace(pk=pk, third_parties=SimpleNamespace(all=lambda: third_parties),
                           get_kind_display=lambda: "Training <PIIS>", get_status_display=lambda: fields["status"],
                           get_outcome_display=lambda: "Found a job & left", **fields)


CONTRACTS = [
    contract(1, third_parties=[SimpleNamespace(name="Forem"), SimpleNamespace(name="<i>Actiris</i>")],
             beneficiary=SimpleNamespace(last_name="Dubois", first_name="Léa", niss="85073003328"), status="signed",
             start=date(2026, 2, 1), end=date(2027, 1, 31), held_count=1234, planned_count=2, outcome="job"),
    contract(45678, third_parties=[], status="draft", start=None, end=None, held_count=0, planned_count=0,
             outcome="", beneficiary=SimpleNamespace(last_name="<script>x</script>", first_name="Jo", niss="")),
]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_rows_are_the_templates(language):
    written = rows_as_template(piis_rows, TEMPLATE, CONTRACTS, language)
    assert "&lt;SCRIPT&gt;X&lt;/SCRIPT&gt;" in written
    assert "&lt;i&gt;Actiris&lt;/i&gt;" in written and "Training &lt;PIIS&gt;" in written
