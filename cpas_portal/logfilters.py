"""Keeps national numbers out of the logs (a NISS is personal data)."""

import logging
import re

from .identifiers import niss_masked

# 11 digits, compact or formatted as 85.07.30-033.28, not part of a longer number.
NISS_PATTERN = re.compile(r"(?<!\d)(\d{2})\.?(\d{2})\.?(\d{2})-?(\d{3})\.?(\d{2})(?!\d)")


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
