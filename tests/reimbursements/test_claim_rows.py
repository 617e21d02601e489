"""The claim list's rows and a claim's line rows written in Python give the markup their templates wrote, in every
language."""

from collections import namedtuple
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from reimbursements.models import LineChange
from reimbursements.templatetags.claim_rows import claim_line_rows, claim_rows
from reimbursements.views import LINE_ROW_FIELDS
from tests.helpers import rows_as_template

# The rows as ``reimbursements/claim_list.html`` and ``claim_detail.html`` wrote them before.
CLAIM_ROWS = Template("""{% load cpas l10n %}{% for claim in page %}
    <tr data-claim="{{ claim.pk|unlocalize }}">
      <td><a href="{% url 'claim_detail' claim.pk %}">{{ claim.reference }}</a></td>
      <td>{{ claim.get_measure_display }}</td>
      <td>{{ claim.period_start|date:"SHORT_DATE_FORMAT" }} – {{ claim.period_end|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{{ claim.version }}</td>
      <td data-status="{{ claim.status }}">{% status_badge claim.status claim.get_status_display %}</td>
      <td class="num">{{ claim.line_count }}</td>
      <td class="num">{{ claim.total|eur }}</td>
    </tr>
{% endfor %}""")  # noqa: E501
LINE_ROWS = Template("""{% load i18n cpas %}{% for line in page %}
      <tr>
        <td>{{ line.position }}</td>
        <td>{% if line.niss %}<code class="niss">{{ line.niss|masked_niss }}</code>{% else %}<span class="muted" title="{% translate 'A line of the CPAS itself, not of a person' %}">—</span>{% endif %}</td>
        <td>{{ line.beneficiary_name }}</td>
        <td>{{ line.covered_start|date:"SHORT_DATE_FORMAT" }} – {{ line.covered_end|date:"SHORT_DATE_FORMAT" }}</td>
        <td>{{ line.legislation }}</td>
        <td><span translate="no">{{ line.description }}</span>{% if line.tier_code %} · {% translate "code" %} {{ line.tier_code }}{% endif %}{% if line.partner %} · <span translate="no">{{ line.partner }}</span>{% endif %}{% if line.sign < 0 %} · <span class="badge">{% translate "regularisation" %}</span>{% endif %}{% if line.change %} · <span class="badge">{{ line.get_change_display }}</span>{% endif %}{% if line.unconfirmed %} · <span class="badge unconfirmed">{% translate "not confirmed" %}</span>{% endif %}</td>
        {% if claim.supersedes %}<td class="num">{{ line.previous_amount|eur }}</td>{% endif %}
        <td class="num">{{ line.signed_amount|eur }}</td>
        {% if claim.supersedes %}<td class="num">{{ line.difference|eur }}</td>{% endif %}
      </tr>
{% endfor %}""")  # noqa: E501

CLAIMS = [
    SimpleNamespace(pk=1234, reference="62063-ECOSOC-2026-03-1v1", get_measure_display=lambda: "Art. 60 §7",
                    period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), version=1, status="paid",
                    get_status_display=lambda: "Paid", line_count=2527, total=Decimal("1234567.80")),
    SimpleNamespace(pk=2, reference="<script>x</script>", get_measure_display=lambda: "Measure <500 €>",
                    period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), version=12, status="draft",
                    get_status_display=lambda: "Draft & more", line_count=0, total=Decimal("0.00")),
]


def line(position, *, amount, sign=1, previous_amount=None, change="", **fields):
    signed = amount * sign
    defaults = {"niss": "85073003328", "beneficiary_name": "DUBOIS Léa", "covered_start": date(2026, 3, 1),
                "covered_end": date(2026, 3, 31), "legislation": "2002", "description": "Monthly subsidy",
                "tier_code": "", "partner": "", "unconfirmed": False}
    return SimpleNamespace(position=position, amount=amount, sign=sign, signed_amount=signed,
                           previous_amount=previous_amount, change=change,
                           difference=None if previous_amount is None else signed - previous_amount,
                           get_change_display=lambda: dict(LineChange.choices).get(change, change),
                           **{**defaults, **fields})


LINES = [
    line(1, amount=Decimal("1154.00")),
    line(1234, amount=Decimal("500.00"), sign=-1, niss="", beneficiary_name="<script>x</script>",
         description="Advance <b>&</b>", tier_code="B", partner="Forem & co", unconfirmed=True,
         previous_amount=Decimal("600.00"), change=LineChange.values[-1]),
    line(3, amount=Decimal("0.00"), change=LineChange.values[0], previous_amount=None),
]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_claim_rows_are_the_templates(language):
    written = rows_as_template(claim_rows, CLAIM_ROWS, CLAIMS, language)
    assert "&lt;script&gt;x&lt;/script&gt;" in written


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("superseding", [None, 17])
def test_the_line_rows_are_the_templates(language, superseding):
    with translation.override(language):
        expected = LINE_ROWS.render(Context({"page": LINES, "claim": SimpleNamespace(supersedes=superseding)}))
        written = claim_line_rows(LINES, superseding)
    assert parse_html(written) == parse_html(expected)
    assert "<script>" not in written and "Advance &lt;b&gt;&amp;&lt;/b&gt;" in written


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("superseding", [None, 17])
def test_the_line_rows_read_as_plain_rows_are_the_templates(language, superseding):
    """The page reads its lines as plain rows of ``LINE_ROW_FIELDS`` (no ``signed_amount``, ``difference`` or
    ``get_change_display``): the writer computes them as the model does."""
    plain = namedtuple("Row", LINE_ROW_FIELDS)
    rows = [plain(*(getattr(line, name) for name in LINE_ROW_FIELDS)) for line in LINES]
    with translation.override(language):
        expected = LINE_ROWS.render(Context({"page": LINES, "claim": SimpleNamespace(supersedes=superseding)}))
        written = claim_line_rows(rows, superseding)
    assert parse_html(written) == parse_html(expected)
    assert "<script>" not in written and "&lt;script&gt;x&lt;/script&gt;" in written
    assert ("1.234" if language in ("fr", "nl", "de") else "1,234") in written  # the line number, grouped
