import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reimbursements import services
from reimbursements.models import Claim

from .factories import fake_item


def pdf_text(content, tmp_path, layout=True):
    path = tmp_path / "claim.pdf"
    path.write_bytes(bytes(content))
    args = ["pdftotext", "-layout", str(path), "-"] if layout else ["pdftotext", str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.mark.django_db
def test_the_pdf_shows_the_cpas_period_lines_and_totals(bob, cpas_a, fake_source, generate, tmp_path):
    claim = generate(bob, cpas_a).claim
    Claim.objects.filter(pk=claim.pk).update(generated_at=datetime(2026, 4, 3, 10, 0, tzinfo=ZoneInfo("UTC")))
    rendered = services.claim_pdf_render(claim=claim)
    text = pdf_text(rendered.content, tmp_path)
    assert "Namur" in text and "92094" in text
    assert cpas_a.enterprise_number_display in text
    assert "01/03/2026 – 31/03/2026" in text and "01/03/2026–31/03/2026" in text
    for niss in ("90.05.17-002.55", "90.05.17-003.54", "90.05.17-004.53"):
        assert niss in text
    for amount in ("1.811,57 €", "625,00 €", "-120,50 €"):
        assert amount in text
    assert "2.316,07 €" in text
    assert "page 1 sur 1" in text
    assert "03/04/2026" in text
    assert "art. 60 §7" in text


@pytest.mark.django_db
def test_the_pdf_has_page_1_of_n_and_every_amount_on_long_claims(bob, cpas_a, fake_source, generate, tmp_path):
    fake_source.items[:] = [fake_item(index, amount=f"{index}.25") for index in range(1, 121)]
    claim = generate(bob, cpas_a).claim
    text = pdf_text(claim.document.content, tmp_path)
    pages = claim.document.page_count
    assert pages >= 2
    assert f"page 1 sur {pages}" in text and f"page {pages} sur {pages}" in text
    for index in (1, 60, 120):
        assert f"{index},25 €" in text
    assert "7.290,00 €" in text  # 1.25 + … + 120.25


@pytest.mark.django_db
def test_the_pdf_is_in_the_cpas_language_with_the_signers(cpas_b, fake_source, tmp_path,
                                                         django_capture_on_commit_callbacks):
    from cpas_portal.models import Role
    from tests.factories import member

    finance = member(cpas_b, Role.FINANCE)
    secretary = member(cpas_b, Role.MANAGER, first_name="Sofie", last_name="Claes")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_generation_request(acting_user=finance, cpas=cpas_b, measure="art60",
                                                period_kind="month", year=2026, number=3)
    job.refresh_from_db()
    claim = services.claim_review(acting_user=finance, claim=job.claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=secretary, claim=claim, capacity="secretary")
    claim.refresh_from_db()
    text = pdf_text(claim.document.content, tmp_path)
    assert "Gent" in text and "44021" in text
    assert "pagina 1 van 1" in text
    assert "Sofie Claes" in text
    signed_on = claim.signatures.get().signed_at.astimezone(ZoneInfo("Europe/Brussels")).strftime("%d/%m/%Y")
    assert signed_on in text


@pytest.mark.django_db
def test_the_same_data_gives_the_same_pdf(bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    first = services.claim_pdf_render(claim=claim)
    second = services.claim_pdf_render(claim=claim)
    assert first.content == second.content
    claim.refresh_from_db()
    assert claim.document.sha256 == first.sha256 == second.sha256


@pytest.mark.django_db
def test_a_correction_pdf_shows_previous_amounts_and_the_difference(bob, cpas_a, sent_claim, fake_source, tmp_path,
                                                                    django_capture_on_commit_callbacks):
    fake_source.items[1] = fake_item(2, name="Julien Renard", amount="500.00")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_correction_request(acting_user=bob, claim=sent_claim)
    job.refresh_from_db()
    text = pdf_text(job.claim.document.content, tmp_path)
    assert sent_claim.reference in text
    assert "-125,00 €" in text
    assert "2.191,07 €" in text
