import pytest

from cpas_portal.models import Role
from tests.factories import member

# The smallest files of each accepted type, and one refused (an HTML page renamed .pdf).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML_AS_PDF = b"<html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    settings.CPAS_DOCUMENTS_ROOT = tmp_path / "documents"
    settings.CPAS_DOCUMENT_MAX_BYTES = 1024
    return settings.CPAS_DOCUMENTS_ROOT


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="maria", first_name="Maria", last_name="Manager")


@pytest.fixture
def caseworker_a2(cpas_a):
    """Another caseworker of CPAS A, not the referent of ``beneficiary_a``."""
    return member(cpas_a, Role.CASEWORKER, username="dave", first_name="Dave", last_name="Durand")
