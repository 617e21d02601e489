"""Rows and cells written in Python (``cpas_portal/table_rows.py``) give the markup their templates wrote, in every
language, with every value escaped."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from cpas_portal.listing import sort_queryset
from cpas_portal.models import Beneficiary
from cpas_portal.table_rows import date_formatter, money_formatter
from cpas_portal.templatetags.cpas import beneficiary_rows, eur, sort_header, status_badge
from tests.helpers import rows_as_template

LANGUAGES = ["fr", "nl", "de", "en"]

# The rows as ``beneficiaries/_results.html`` wrote them before they were written in Python.
BENEFICIARY_ROWS = Template("""{% load cpas %}{% for beneficiary in page %}
    <tr>
      <td><a href="{% url 'beneficiary_detail' beneficiary.pk %}">{{ beneficiary.last_name|upper }} {{ beneficiary.first_name }}</a></td>
      <td><code class="niss">{{ beneficiary.niss|masked_niss }}</code></td>
      <td>{{ beneficiary.birth_date|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{{ beneficiary.right_type_on_day|right_type_label|default:"—" }}</td>
      <td>{{ beneficiary.category_label|default:"—" }}</td>
      <td>{% status_badge beneficiary.status_on_day beneficiary.status_label %}</td>
      <td>{{ beneficiary.referent.get_full_name|default:"—" }}</td>
    </tr>
{% endfor %}""")  # noqa: E501

# ``includes/badge.html`` and ``includes/sort_header.html``, the inclusion tags' templates before.
BADGE = Template("""<span class="badge badge--{{ tone }}"{% if element_id %} id="{{ element_id }}"{% endif %}>{{ label }}</span>
""")  # noqa: E501
SORT_HEADER = Template("""<th scope="col"{% if aria %} aria-sort="{{ aria }}"{% endif %}{% if css_class %} class="{{ css_class }}"{% endif %}>{% if href %}<a class="sort" href="{{ href }}">{{ label }}<span class="sort-mark" aria-hidden="true">{% if aria == "ascending" %} ▲{% elif aria == "descending" %} ▼{% endif %}</span></a>{% else %}{{ label }}{% endif %}</th>
""")  # noqa: E501


def referent(first_name, last_name):
    return SimpleNamespace(get_full_name=lambda: f"{first_name} {last_name}".strip())


PEOPLE = [
    SimpleNamespace(pk=7, last_name="Dupont-Lambert", first_name="Inès", niss="85073003328",
                    birth_date=date(1985, 7, 30), right_type_on_day="ris", category_label="3", status_on_day="active",
                    status_label="Right in force", referent_id=3, referent=referent("Alice", "Martin")),
    SimpleNamespace(pk=12345, last_name="<script>alert(1)</script>", first_name="O'Neil & \"Jo\"", niss="",
                    birth_date=date(2001, 1, 2), right_type_on_day=None, category_label="", status_on_day="no_right",
                    status_label="No <b>right</b>", referent_id=None, referent=None),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_beneficiary_rows_are_the_templates(language):
    written = rows_as_template(beneficiary_rows, BENEFICIARY_ROWS, PEOPLE, language)
    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in written
    assert "O&#x27;Neil &amp; &quot;Jo&quot;" in written and "No &lt;b&gt;right&lt;/b&gt;" in written


@pytest.mark.parametrize(("status", "label", "element_id"), [
    ("signed", "Signed", ""), ("cancelled", "<i>Cancelled</i>", "claim-status"), ("new", "A & B", "")])
def test_a_badge_is_the_templates(status, label, element_id):
    from cpas_portal.templatetags.cpas import badge_tone

    expected = BADGE.render(Context({"tone": badge_tone(status), "label": label, "element_id": element_id}))
    assert status_badge(status, label, element_id) == expected


@pytest.mark.parametrize("asked", ["name", "-name", "birth"])
@pytest.mark.parametrize("css_class", ["", "num"])
def test_a_sort_header_is_the_templates(asked, css_class):
    request = RequestFactory().get("/", {"sort": asked, "q": "a&b"})
    _, sorting = sort_queryset(request, Beneficiary.objects.none(), {"name": ("last_name",), "birth": ("birth_date",)},
                               default="name")
    for key, label in (("name", "Name <x>"), ("birth", "Birth date")):
        expected = SORT_HEADER.render(Context({"label": label, "css_class": css_class, "href": sorting.link(key),
                                               "aria": sorting.aria(key)}))
        assert sort_header(sorting, key, label, css_class) == expected
    unsorted = SORT_HEADER.render(Context({"label": "Name", "css_class": css_class}))
    assert sort_header(None, "name", "Name", css_class) == unsorted


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_table_formatters_write_what_the_filters_write(language):
    values = [Decimal("0"), Decimal("-0.00"), Decimal("0.004"), Decimal("12"), Decimal("1234.5"),
              Decimal("-1234567.89"), Decimal("1E+3"), None, 3]
    days = [date(2026, 1, 5), date(1999, 12, 31), None]
    template = Template('{% load cpas %}{{ value|eur }}|{{ day|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        money, short_date = money_formatter(), date_formatter()
        for value in values:
            assert money(value) == (eur(value) if value is not None else "—")
        for day in days:
            assert short_date(day) == template.render(Context({"value": 1, "day": day})).split("|")[1]


def test_the_menu_is_rendered_once_per_key():
    """``{% memo %}`` reuses the markup for the same key and language, and renders it again for another."""
    from cpas_portal.templatetags import cpas

    cpas._MEMO.clear()
    calls = []
    template = Template('{% load cpas %}{% memo "test-menu" current %}{{ count }}{% endmemo %}')

    class Count:
        def __str__(self):
            calls.append(1)
            return str(len(calls))

    with translation.override("fr"):
        first = template.render(Context({"current": "a", "count": Count()}))
        again = template.render(Context({"current": "a", "count": Count()}))
        other = template.render(Context({"current": "b", "count": Count()}))
    with translation.override("nl"):
        dutch = template.render(Context({"current": "a", "count": Count()}))
    assert first == again == "1" and other == "2" and dutch == "3"
