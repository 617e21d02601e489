"""Helpers of the table rows written in Python.

Django's template engine spends about 0.3–0.4 ms on a table row whose cells hold a link, filters and a badge:
a list page of 25 rows (a claim's page of 100 lines) paid more for its rows than for its queries. The row
writers (``{% beneficiary_rows %}``, ``{% convention_rows %}`` …) write the markup their templates wrote, with
every value escaped as the template escaped it; each is compared with its former template, in every language,
by a test.
"""

import html
from decimal import Decimal

from django.conf import settings
from django.utils.formats import date_format, get_format, localize
from django.utils.safestring import mark_safe

from .identifiers import niss_masked
from .templatetags.cpas import badge_tone, eur

__all__ = ["badge", "date_formatter", "esc", "eur", "integer_formatter", "masked_niss", "money_formatter", "safe"]

# Characters that HTML escapes: a format made of none of them needs no escaping.
_SPECIAL = set("<>&\"'")
# The date format characters read by ``date_formatter`` without Django's formatter (the only ones of the
# project's short formats); any other character falls back to ``date_format``.
_FIELDS = {"d": "{0.day:02d}", "j": "{0.day}", "m": "{0.month:02d}", "n": "{0.month}", "Y": "{0.year:04d}",
           "y": "{1:02d}"}


def esc(value):
    """``{{ value }}``: escaped unless already safe (``conditional_escape`` without its lazy wrapper)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def safe(parts):
    """The joined rows, every part above escaped by the writer."""
    return mark_safe("".join(parts))  # noqa: S308 (each value is escaped by ``esc`` where it is written)


def date_formatter(format_name="SHORT_DATE_FORMAT"):
    """``format(day)``: ``{{ day|date:format_name }}`` in the active language (empty for ``None``), the format
    read once for the whole table."""
    pattern = get_format(format_name)
    pieces = []
    for character in pattern:
        if character in _FIELDS:
            pieces.append(_FIELDS[character])
        elif character.isalnum() or character == "\\":
            return lambda day: "" if day in (None, "") else esc(date_format(day, format_name))
        else:
            pieces.append(character.replace("{", "{{").replace("}", "}}"))
    template = "".join(pieces)
    if _SPECIAL.intersection(template):
        return lambda day: "" if day in (None, "") else esc(template.format(day, day.year % 100))
    return lambda day: "" if day in (None, "") else template.format(day, day.year % 100)


def money_formatter():
    """``format(value)``: ``{{ value|eur }}`` in the active language, escaped, its separators read once for the
    whole table. An amount of at most two decimals (every amount of the project) is written by Python's own
    grouping; anything else goes through the filter."""
    decimal, thousand = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    if get_format("NUMBER_GROUPING") != 3 or _SPECIAL.intersection(decimal + thousand):
        return lambda value: esc(eur(value))
    separators = str.maketrans({",": thousand, ".": decimal})
    zero = f"0{decimal}00 €"

    def format_money(value):
        if value is None or value == "":
            return "—"
        if type(value) is not Decimal or not value.is_finite() or value.as_tuple().exponent < -2:
            return esc(eur(value))
        if not value:  # 0 and -0 alike, as the filter writes them
            return zero
        return f"{value:,.2f}".translate(separators) + " €"

    return format_money


def integer_formatter():
    """``format(number)``: ``{{ number }}`` of an ``int`` in the active language (thousands grouped, as the template
    localizes it), escaped, its separator read once for the whole table; anything else goes through ``localize``."""
    thousand = get_format("THOUSAND_SEPARATOR")
    if not settings.USE_THOUSAND_SEPARATOR or get_format("NUMBER_GROUPING") != 3 or _SPECIAL.intersection(thousand):
        return lambda value: esc(localize(value))

    def format_integer(value):
        if type(value) is not int:
            return esc(localize(value))
        return f"{value:,}".replace(",", thousand) if value >= 1000 or value <= -1000 else str(value)

    return format_integer


def badge(status, label):
    """``{% status_badge status label %}``."""
    return f'<span class="badge badge--{badge_tone(status)}">{esc(label)}</span>\n'


def masked_niss(value):
    """``{{ value|masked_niss }}``."""
    return esc(niss_masked(value))
