"""The convention list's rows written in Python give the markup its template wrote, in every language."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Template

from conventions.templatetags.convention_rows import convention_rows
from tests.helpers import rows_as_template

# The rows as ``conventions/list.html`` wrote them before they were written in Python.
TEMPLATE = Template("""{% load i18n cpas l10n %}{% for convention in page %}
    <tr data-convention="{{ convention.pk|unlocalize }}">
      <td><a href="{% url 'convention_detail' convention.pk %}">{{ convention.beneficiary.last_name|upper }} {{ convention.beneficiary.first_name }}</a>
        <div class="muted"><code class="niss">{{ convention.beneficiary.niss|masked_niss }}</code></div></td>
      <td>{{ convention.conclusion_date|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{% for partner in convention.partners.all %}{{ partner.name }} ({{ partner.share|floatformat:"-2" }} %){% if not forloop.last %}<br>{% endif %}{% endfor %}</td>
      <td class="num">{{ convention.hours_done|floatformat:"-2" }} / {{ convention.planned_hours }}</td>
      <td class="num">{{ convention.agreed_amount|eur }}</td>
      <td>{% status_badge convention.status convention.get_status_display %}{% if convention.has_overdue_balance %} {% status_badge "overdue" _("balance overdue") %}{% endif %}</td>
    </tr>
{% endfor %}""")  # noqa: E501


def convention(pk, *, last_name, first_name, partners, **fields):
    return SimpleNamespace(
        pk=pk, beneficiary=SimpleNamespace(last_name=last_name, first_name=first_name, niss="85073003328"),
        partners=SimpleNamespace(all=lambda: partners), get_status_display=lambda: fields["status"].title(), **fields)


CONVENTIONS = [
    convention(12345, last_name="Dupont", first_name="Inès", status="signed", conclusion_date=date(2026, 3, 1),
               partners=[SimpleNamespace(name="Mission locale", share=Decimal("60.00")),
                         SimpleNamespace(name="<b>Forem</b> & co", share=Decimal("40.50"))],
               hours_done=Decimal("1234.50"), planned_hours=1500, agreed_amount=Decimal("500.00"),
               has_overdue_balance=True),
    convention(3, last_name="<script>x</script>", first_name="Jo", status="draft", conclusion_date=date(2025, 12, 31),
               partners=[], hours_done=Decimal("0"), planned_hours=50, agreed_amount=None, has_overdue_balance=False),
]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_rows_are_the_templates(language):
    written = rows_as_template(convention_rows, TEMPLATE, CONVENTIONS, language)
    assert "&lt;SCRIPT&gt;X&lt;/SCRIPT&gt;" in written
    assert "&lt;b&gt;Forem&lt;/b&gt; &amp; co" in written
