"""National (NISS) and BIS numbers, enterprise numbers: what is accepted and what each user is told."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cpas_portal.identifiers import (
    enterprise_compact,
    niss_compact,
    niss_display,
    niss_masked,
    niss_type,
)
from cpas_portal.logfilters import mask_text


@pytest.mark.parametrize(
    ("typed", "compact", "kind"),
    [
        ("85073003328", "85073003328", "nn"),  # born 1985
        ("85.07.30-033.28", "85073003328", "nn"),  # formatted as on the eID card
        ("01010100225", "01010100225", "nn"),  # born 2001: "2" prefixed before the mod 97
        ("24022900164", "24022900164", "nn"),  # born 29 Feb 2024
        ("98472899765", "98472899765", "bis"),  # BIS number: month + 40
        ("98.47.28-997.65", "98472899765", "bis"),
    ],
)
def test_valid_national_and_bis_numbers_are_stored_compact(typed, compact, kind):
    assert niss_compact(typed) == compact
    assert niss_type(compact) == kind


@pytest.mark.parametrize(
    ("typed", "message_fr", "message_nl"),
    [
        ("85073003329", "chiffres de contrôle", "controlecijfers"),  # bad checksum
        ("01010100226", "chiffres de contrôle", "controlecijfers"),  # bad checksum, born after 2000
        ("8507300332", "11 chiffres", "11 cijfers"),  # too short
        ("850730033280", "11 chiffres", "11 cijfers"),  # too long
        ("", "11 chiffres", "11 cijfers"),
        ("85O73003328", "que des chiffres", "enkel cijfers"),  # letter O for a zero
    ],
)
def test_invalid_national_numbers_say_why_in_the_users_language(typed, message_fr, message_nl):
    for language, expected in (("fr", message_fr), ("nl", message_nl)):
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                niss_compact(typed)
            assert expected in " ".join(error.value.messages)


def test_display_and_mask():
    assert niss_display("85073003328") == "85.07.30-033.28"
    assert niss_masked("85073003328") == "85.07.30-***.**"


def test_enterprise_numbers():
    assert enterprise_compact("0212.214.917") == "0212214917"
    with pytest.raises(ValidationError):
        enterprise_compact("0212.214.918")


def test_logs_never_carry_a_full_national_number():
    assert mask_text("lookup of 85073003328 and 85.07.30-033.28 failed") == (
        "lookup of 85.07.30-***.** and 85.07.30-***.** failed"
    )
    assert mask_text("invoice 123456789012345") == "invoice 123456789012345"


def test_the_log_filter_masks_records(caplog):
    import logging

    from cpas_portal.logfilters import MaskNationalNumbers

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "beneficiary %s saved", ("85073003328",), None)
    MaskNationalNumbers().filter(record)
    assert record.getMessage() == "beneficiary 85.07.30-***.** saved"


def test_tracebacks_and_request_lines_are_masked_too():
    import logging
    import sys

    from cpas_portal.logfilters import MaskNationalNumbers

    try:
        raise ValueError("no beneficiary 85073003328")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    MaskNationalNumbers().filter(record)
    text = logging.Formatter().format(record)
    assert "85.07.30-***.**" in text and "85073003328" not in text
    server = logging.getLogger("django.server")
    assert any(isinstance(f, MaskNationalNumbers) for handler in server.handlers for f in handler.filters)
