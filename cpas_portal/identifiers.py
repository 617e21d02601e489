"""Belgian identifiers: national (NISS/INSZ) and BIS numbers, enterprise (BCE/KBO) numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import iban
from stdnum.be import ssn, vat

NISS_MESSAGES = {
    stdnum_errors.InvalidLength: _("A national number has 11 digits."),
    stdnum_errors.InvalidFormat: _("A national number holds only digits (dots and dashes allowed)."),
    stdnum_errors.InvalidChecksum: _("This national number's check digits are wrong: please check it."),
    stdnum_errors.InvalidComponent: _("This national number does not encode a valid birth date."),
}


NISS_MAX_TEXT = 20


def niss_compact(value: str) -> str:
    """Validate a national or BIS number and return its 11 digits; ValidationError otherwise."""
    if not (value or "").strip() or len(value) > NISS_MAX_TEXT:
        # Longer than any way of writing 11 digits: refused before parsing.
        raise ValidationError(NISS_MESSAGES[stdnum_errors.InvalidLength], code="invalid_niss")
    try:
        return ssn.validate(value)
    except stdnum_errors.ValidationError as error:
        for kind, message in NISS_MESSAGES.items():
            if isinstance(error, kind):
                raise ValidationError(message, code="invalid_niss") from None
        raise ValidationError(_("This is not a valid national number."), code="invalid_niss") from None


def validate_niss(value: str) -> None:
    niss_compact(value)


def niss_display(value: str) -> str:
    """``85073003328`` → ``85.07.30-033.28``."""
    return ssn.format(value) if value else ""


def niss_masked(value: str) -> str:
    """``85073003328`` → ``85.07.30-***.**``: enough to recognise someone, not to identify them."""
    if not value or len(value) != 11:
        return "***"
    return f"{value[0:2]}.{value[2:4]}.{value[4:6]}-***.**"


def niss_type(value: str) -> str:
    """``nn`` (national register) or ``bis``."""
    return ssn.guess_type(value) or ""


def enterprise_compact(value: str) -> str:
    """Validate a BCE/KBO number (10 digits, mod 97) and return it compact."""
    try:
        return vat.validate(value or "")
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This is not a valid enterprise number (10 digits, e.g. 0212.214.917)."),
            code="invalid_enterprise_number",
        ) from None


def validate_enterprise_number(value: str) -> None:
    enterprise_compact(value)


def enterprise_display(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return f"{digits[0:4]}.{digits[4:7]}.{digits[7:10]}" if len(digits) == 10 else value


def iban_compact(value: str) -> str:
    """Validate an IBAN (country code, check digits, the country's own format) and return it compact."""
    try:
        return iban.validate(value or "")
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This is not a valid IBAN (e.g. BE71 0961 2345 6769)."), code="invalid_iban"
        ) from None


def validate_iban(value: str) -> None:
    iban_compact(value)


def iban_display(value: str) -> str:
    """``BE71096123456769`` → ``BE71 0961 2345 6769``."""
    return iban.format(value) if value else ""
