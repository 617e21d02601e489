"""Keeps national numbers out of the logs (a NISS is personal data)."""

import logging
import re

from .identifiers import niss_masked

# 11 digits (national and BIS numbers alike: a BIS number only adds 20 or 40 to the month), compact or
# grouped as people type them — 85.07.30-033.28, 85 07 30 033 28, 850730-033-28, 850730 03328 — and as a
# URL carries a space (+ or %20); never part of a longer number. Masking a look-alike is the safe mistake.
SEPARATOR = r"(?:[ .\-+]|%20)?"
NISS_PATTERN = re.compile(
    r"(?<!\d)(\d{2})" + SEPARATOR + r"(\d{2})" + SEPARATOR + r"(\d{2})" + SEPARATOR + r"(\d{3})" + SEPARATOR
    + r"(\d{2})(?!\d)"
)


def mask_text(text: str) -> str:
    return NISS_PATTERN.sub(lambda match: niss_masked("".join(match.groups())), text)


class MaskNationalNumbers(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set: the traceback's values are masked too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True
