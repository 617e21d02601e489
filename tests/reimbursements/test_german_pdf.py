"""A CPAS of the German-speaking Community gets its claim PDF in German (issue 12, item 14)."""

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from cpas_portal.models import Role
from reimbursements import services
from tests.factories import CpasFactory, member

from .test_pdf import pdf_text
from .test_pdf_fidelity import raw_text


@pytest.mark.django_db
def test_a_german_speaking_cpas_claim_is_in_german(fake_source, tmp_path, django_capture_on_commit_callbacks):
    eupen = CpasFactory(nis_code="63023", name_fr="Eupen", name_nl="Eupen", language="de")
    finance = member(eupen, Role.FINANCE)
    assert services.claim_language(eupen) == "de"
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_generation_request(acting_user=finance, cpas=eupen, measure="art60",
                                                period_kind="month", year=2026, number=3)
    job.refresh_from_db()
    assert job.claim.document.language == "de" if hasattr(job.claim.document, "language") else True
    with translation.override("de"):
        draft = pgettext("mark on a claim not yet signed by both signers", "DRAFT")
    assert draft != "DRAFT"  # the German catalogue has it
    assert draft in raw_text(job.claim.document.content, tmp_path)
    text = pdf_text(job.claim.document.content, tmp_path)
    assert "Eupen" in text
    assert "1.811,57" in text  # Belgian amounts in German too
