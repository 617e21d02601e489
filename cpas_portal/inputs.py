"""Untrusted input, refused cleanly: amounts that are not finite or do not fit, NUL bytes in text.

Anything typed, pasted, uploaded or put in a URL goes through here before it reaches a rule or the
database, so a strange value is a message to the user (400), never a server error.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _

# Every amount is stored as DecimalField(max_digits=12, decimal_places=2) (CONVENTIONS.md, "Money").
MAX_DIGITS, DECIMAL_PLACES = 12, 2
# Longer than any number a person types: refused before parsing (a 10,000-digit string costs time).
MAX_NUMBER_TEXT = 40
# Rules look ahead from a date (deadlines, planned meetings, 24-month limits): a date they cannot count
# this many months past is no real date of a file.
LOOK_AHEAD_MONTHS = 36


def amount_fits(value, *, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES) -> bool:
    """A finite Decimal whose whole part fits ``max_digits - decimal_places`` digits."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    return abs(value) < Decimal(10) ** (max_digits - decimal_places)


def parse_decimal(text, *, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES) -> Decimal:
    """``text`` as a Decimal; ValueError when it is not a finite number that fits the database."""
    text = str(text).strip()
    if not text or len(text) > MAX_NUMBER_TEXT:
        raise ValueError("not a number")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not amount_fits(value, max_digits=max_digits, decimal_places=decimal_places):
        raise ValueError("not a finite amount that fits")
    if value.as_tuple().exponent < -decimal_places and value != value.quantize(Decimal(1).scaleb(-decimal_places)):
        raise ValueError("too many decimals")
    return value


def check_amount(value, field, *, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES):
    """A ValidationError on ``field`` when ``value`` cannot be stored as an amount."""
    if not amount_fits(value, max_digits=max_digits, decimal_places=decimal_places):
        raise ValidationError({field: _("The amount is too large (at most %(digits)s digits before the decimal "
                                        "point).") % {"digits": max_digits - decimal_places}})


def is_key(value) -> bool:
    """Whether ``value`` (from a URL or a form) reads as a row's key: ASCII digits, at most 18 of them (a
    bigint). ``str.isdigit`` alone also takes "²" or "٣", which ``int`` or the database then refuse (a 500)."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


def key_or_404(value) -> int:
    """``value`` (a key from a URL) as an int; a 404 when it does not read as a key (:func:`is_key`), as for a row
    that does not exist."""
    if not is_key(value):
        raise Http404
    return int(value)


def has_nul(*texts) -> bool:
    return any("\x00" in text for text in texts if isinstance(text, str))


class RejectNulInQueryString:
    """A NUL byte in a query string (``?q=%00``) is a 400 on every page and API list.

    The database refuses NUL in text: without this every filter and search would be a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(*(text for key, values in request.GET.lists() for text in (key, *values))):
            return HttpResponseBadRequest(_("The address holds a character that is not allowed (NUL)."),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def too_far_ahead(day) -> bool:
    """Whether the rules could not count ``LOOK_AHEAD_MONTHS`` past ``day`` (e.g. 31/12/9999): a field error,
    not an overflow deep in a rule."""
    from .months import add_months

    try:
        add_months(day, LOOK_AHEAD_MONTHS)
    except (ValueError, OverflowError):
        return True
    return False


def far_future_errors(instance, fields) -> dict:
    """``{field: message}`` for the dates of ``instance`` too far in the future to be a real date of a file."""
    return {name: _("This date is too far in the future.") for name in fields
            if getattr(instance, name, None) is not None and too_far_ahead(getattr(instance, name))}
