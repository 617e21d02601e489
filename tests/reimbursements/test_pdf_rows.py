"""The claim's rows are written in Python for speed (5,000 lines in a fraction of a second): each shortcut gives the
same text as the general function it stands in for, so the PDF says the same."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cpas_portal.identifiers import niss_display
from cpas_portal.templatetags.cpas import eur as eur_text
from reimbursements import pdf

LANGUAGES = ["fr", "nl", "de", "en"]
CENTS = st.integers(min_value=-10**12 + 1, max_value=10**12 - 1).map(lambda cents: Decimal(cents).scaleb(-2))


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=150, deadline=None)
@given(amount=CENTS)
@example(amount=Decimal("0.00"))
@example(amount=Decimal("-0.00"))
@example(amount=Decimal("-0.01"))
@example(amount=Decimal("999.99"))
@example(amount=Decimal("1000.00"))
@example(amount=Decimal("-1234567.89"))
def test_an_amount_reads_as_the_eur_filter_writes_it(language, amount):
    with translation.override(language):
        assert pdf.eur_formatter()(amount) == eur_text(amount)


@pytest.mark.parametrize("value", [None, "", Decimal("1.5"), Decimal("1.234"), Decimal("1E+3"), 12, "7.10"])
def test_any_other_value_goes_to_the_eur_filter(value):
    with translation.override("fr"):
        assert pdf.eur_formatter()(value) == eur_text(value)


@settings(max_examples=200, deadline=None)
@given(niss=st.text(alphabet="0123456789", min_size=11, max_size=11) | st.text(max_size=14))
@example(niss="")
def test_a_national_number_reads_as_niss_display_writes_it(niss):
    assert pdf._niss_text(niss) == (niss_display(niss) or "—")


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=date(1000, 1, 1)))
def test_a_day_reads_as_strftime_writes_it(day):
    assert pdf._day(day) == day.strftime("%d/%m/%Y")


def wrapped_row(values, widths, right_from):
    """Every row through the wrapping path: what ``pdf._row`` wrote for every line before its one-line shortcut."""
    cells = [pdf._wrapped(value, width) for value, width in zip(values, widths, strict=True)]
    lines = []
    for index in range(max(len(cell) for cell in cells)):
        parts = [(cell[index] if index < len(cell) else "").rjust(width) if column >= right_from
                 else (cell[index] if index < len(cell) else "").ljust(width)
                 for column, (cell, width) in enumerate(zip(cells, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


TEXT = st.text(alphabet=st.sampled_from("abcéZ -'.·/0123456789\t\n"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(name=TEXT, details=TEXT, position=st.integers(min_value=1, max_value=99999))
def test_a_row_that_fits_reads_as_the_wrapping_path_writes_it(name, details, position):
    for widths in (pdf.WIDTHS, pdf.CORRECTION_WIDTHS):
        values = [position, "90.05.17-002.55", name, "01/03/2026–31/03/2026", details, "-1.811,57 €"]
        values += ["625,00 €", "—"][:len(widths) - len(values)]
        assert pdf._row(values, widths, 5) == wrapped_row(values, widths, 5)


def test_the_rows_are_the_markup_the_template_wrote():
    rows = ["    1  90.05.17-002.55  Dupont & Fils <SA>", 'a "quoted" \'name\'', "line\nwrapped"]
    template = Template('{% for row in rows %}  <div class="r">{{ row }}</div>\n{% endfor %}')
    assert pdf.rows_html(rows) == template.render(Context({"rows": rows}))
    assert "&lt;SA&gt;" in pdf.rows_html(rows)
