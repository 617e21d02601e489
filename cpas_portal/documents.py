"""Private storage of the documents kept on a person's file.

Files live under ``settings.CPAS_DOCUMENTS_ROOT`` (outside ``MEDIA_ROOT``, so no static or media route
ever reaches them), one directory per CPAS (its NIS code), and have no URL: the download view reads them
after checking the CPAS and the role. Their type is read from their first bytes, not from their name.
"""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

# The first bytes of each accepted type, and the extension and content type it is stored and served as.
SIGNATURES = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
)


class PrivateStorage(FileSystemStorage):
    """A file system storage under ``settings.CPAS_DOCUMENTS_ROOT`` (read at each use) with no public address."""

    @property
    def base_location(self):
        return str(settings.CPAS_DOCUMENTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Documents have no public URL; they are served by the download view.")


def private_storage():
    return PrivateStorage()


def sniff(head):
    """``(extension, content type)`` of a file starting with ``head``, or ``None`` for a refused type."""
    for signature, extension, content_type in SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    return None


def accepted_types_text():
    return _("PDF, PNG or JPEG")


def stored_name(*, cpas, beneficiary_id, extension):
    """``<NIS code>/<person>/<random><ext>``: the user's file name never reaches the file system."""
    return os.path.join(cpas.nis_code, str(beneficiary_id), f"{uuid.uuid4().hex}{extension}")
