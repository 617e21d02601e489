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


def niss_encoded(value: str) -> dict:
    """What a valid national or BIS number says of its holder: ``year`` (the century from the check digits),
    ``month`` and ``day`` (``None`` when unknown: month 00, day 00, or the fictitious 00/00/01), and ``sex``
    (``M`` odd counter, ``F`` even; ``None`` for a BIS number whose month carries +20: sex unknown when it was
    given). A BIS number adds 20 or 40 to the month (DOMAIN.md §2)."""
    return {"year": ssn.get_birth_year(value), "month": ssn.get_birth_month(value),
            "day": ssn.get_birth_date(value).day if ssn.get_birth_date(value) else None,
            "sex": ssn.get_gender(value)}


def niss_conflicts(*, niss: str, birth_date, sex: str) -> dict:
    """``{field: message}`` where the birth date or the sex contradicts what ``niss`` (valid, compact) encodes.

    Only what the number knows is compared: an unknown month or day, a BIS number without sex, and the sex
    "other" (which no number encodes) are never contradictions.
    """
    encoded = niss_encoded(niss)
    conflicts = {}
    if birth_date is not None and encoded["year"] is not None:
        parts = (("year", birth_date.year), ("month", birth_date.month), ("day", birth_date.day))
        if any(encoded[part] is not None and encoded[part] != value for part, value in parts):
            conflicts["birth_date"] = _(
                "The national number encodes a birth on %(encoded)s, not %(typed)s: check the birth date or the "
                "number.") % {"encoded": _encoded_day(encoded), "typed": birth_date.strftime("%d/%m/%Y")}
    if sex in ("M", "F") and encoded["sex"] is not None and encoded["sex"] != sex:
        conflicts["sex"] = (_("The national number is a man's (odd counter): check the sex or the number.")
                            if encoded["sex"] == "M" else
                            _("The national number is a woman's (even counter): check the sex or the number."))
    return conflicts


def _encoded_day(encoded):
    day = f"{encoded['day']:02d}" if encoded["day"] else "??"
    month = f"{encoded['month']:02d}" if encoded["month"] else "??"
    return f"{day}/{month}/{encoded['year']}"


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
