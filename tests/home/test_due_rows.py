"""The due items' rows written in Python give the markup the template wrote, in every language."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Template

from cpas_portal.due import DueItem
from cpas_portal.templatetags.cpas import due_rows
from tests.helpers import rows_as_template

# The rows as ``home/_items.html`` wrote them before they were written in Python.
TEMPLATE = Template("""{% load i18n cpas %}{% translate "Open" as open %}{% for item in items %}
    <tr data-key="{{ item.key }}">
      <td>{{ item.due|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{% if item.beneficiary_name %}{{ item.beneficiary_name }}{% if item.beneficiary_niss_masked %} <span class="muted">{{ item.beneficiary_niss_masked }}</span>{% endif %}{% else %}—{% endif %}</td>
      <td>{{ item.reason }}{% if item.amount is not None %} <span class="muted">({{ item.amount }} €)</span>{% endif %}</td>
      <td class="muted small">{{ item.source|cite }}</td>
      <td><a href="{{ item.url }}">{{ open }}</a></td>
    </tr>
{% endfor %}""")  # noqa: E501

ITEMS = [
    DueItem(key="rights.ending:1", kind="rights.ending", due=date(2026, 12, 3), reason="Integration income ends",
            source="Loi du 26/05/2002 concernant le droit à l'intégration sociale", url="/beneficiaries/1/",
            beneficiary_id=1, beneficiary_name="DUPONT-LAMBERT Inès", beneficiary_niss_masked="85.07.30-***.**"),
    DueItem(key="conventions.partner_claim:2", kind="conventions.partner_claim", due=date(2027, 1, 31),
            reason="Claim <b>awaited</b> & chased", source="Circulaire du 31/01/2013; unknown source: a comment",
            url="/conventions/2/?a=1&b=2", amount=Decimal("1234.50"), beneficiary_name="<script>x</script>"),
    DueItem(key="reimbursements.to_claim:art60:2026-10:1965", kind="reimbursements.to_claim", due=date(2026, 11, 8),
            reason="Art. 60 §7", source="", url="/claims/request/?measure=art60", amount=Decimal("0.00")),
]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_rows_are_the_templates(language):
    written = rows_as_template(due_rows, TEMPLATE, ITEMS, language, name="items")
    assert "&lt;script&gt;" in written
