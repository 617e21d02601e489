"""Amounts and dates the way a Belgian reader writes them: day first in every language, English included."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1.254,82 € — 05/01/2026"), ("nl", "1.254,82 € — 05/01/2026"), ("de", "1.254,82 € — 05/01/2026"),
     ("en", "1,254.82 € — 05/01/2026")],
)
def test_amounts_and_dates_in_the_users_locale(language, expected):
    template = Template('{% load cpas %}{{ amount|eur }} — {{ day|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"amount": Decimal("1254.82"), "day": date(2026, 1, 5)})) == expected


def test_a_missing_amount_is_a_dash():
    assert Template("{% load cpas %}{{ amount|eur }}").render(Context({"amount": None})) == "—"


class AmountForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, localize=True)
    day = forms.DateField()


@pytest.mark.parametrize(("typed", "amount"), [("39,50", "39.50"), ("1.234,56", "1234.56"), ("1234.5", "1234.5")])
def test_forms_accept_belgian_decimals(typed, amount):
    with translation.override("fr"):
        form = AmountForm({"amount": typed, "day": "05/01/2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": Decimal(amount), "day": date(2026, 1, 5)}
