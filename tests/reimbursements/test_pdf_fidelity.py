"""The claim PDF is fit to send: nothing cut, the CPAS's identity, lines by legislation with subtotals,
a DRAFT mark until both signatures, the place and date of each signature (read back with pdftotext)."""

import re
import subprocess
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from hypothesis import given, settings
from hypothesis import strategies as st

from cpas_portal.templatetags.cpas import eur as eur_text
from reimbursements import pdf, rules, services
from reimbursements.models import Legislation

from .factories import fake_item
from .test_pdf import pdf_text

LONG_NAME = "VAN DEN BOSSCHE-DELACROIX DE LA MONTAGNE SAINTE-GENEVIÈVE Marie-Charlotte Élisabeth Joséphine"
LONG_DETAILS = ("Full-time subsidy for the whole month at the recognised social-economy initiative "
                "Ressourcerie namuroise des quartiers de Jambes et de Salzinnes")


def watermark(language):
    with translation.override(language):
        return pgettext("mark on a claim not yet signed by both signers", "DRAFT")


def raw_text(content, tmp_path):
    """The text in content-stream order: the diagonal mark reads as one word (-layout spreads its letters).

    pdftotext may still cut a long rotated word in two lines (the Dutch "ONTWERP" comes out as "ONTW" and "ERP"
    although the PDF draws it with one text operator): the lines are joined.
    """
    path = tmp_path / "raw.pdf"
    path.write_bytes(bytes(content))
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\n", "")


def words(text):
    return re.findall(r"[\wÀ-ÿ'-]+", text)


@pytest.fixture
def identified_cpas(cpas_a):
    cpas_a.street, cpas_a.postal_code, cpas_a.city = "Rue de Dave 165", "5100", "Namur"
    cpas_a.contact_name, cpas_a.contact_phone = "Claire Finance", "081 33 70 11"
    cpas_a.contact_email, cpas_a.iban = "finances@cpas-namur.example", "BE71096123456769"
    cpas_a.full_clean()
    cpas_a.save()
    return cpas_a


@pytest.fixture
def mixed_source(fake_source):
    fake_source.items[:] = [
        fake_item(1, name="Amélie Dubois", amount="1811.57"),
        fake_item(2, name=LONG_NAME, amount="625.00", description=LONG_DETAILS),
        fake_item(3, name="Sarah Martin", amount="-120.50", legislation="1965"),
        fake_item(4, name="Youssef El Amrani", amount="1776.07", legislation="1965"),
    ]
    return fake_source


@pytest.mark.django_db
def test_the_pdf_wraps_groups_by_legislation_and_is_a_draft_until_both_signatures(
        bob, identified_cpas, director_a, president_a, mixed_source, generate, tmp_path,
        django_capture_on_commit_callbacks):
    claim = generate(bob, identified_cpas).claim
    assert sorted(claim.lines.values_list("legislation", flat=True)) == ["1965", "1965", "2002", "2002"]
    text = pdf_text(claim.document.content, tmp_path)
    flat = pdf_text(claim.document.content, tmp_path, layout=False)

    assert "…" not in text
    # Every word of the long name and details is there, wrapped over several text lines of one row.
    for word in words(LONG_NAME) + words(LONG_DETAILS):
        assert word in flat, word
    assert not any(LONG_NAME in line for line in text.splitlines())
    # The CPAS's identity.
    for fact in ("Rue de Dave 165", "5100 Namur", "Claire Finance", "081 33 70 11", "finances@cpas-namur.example",
                 "BE71 0961 2345 6769"):
        assert fact in text, fact
    # Lines grouped by legislation, 2002 first, each with its subtotal; the subtotals add up to the total.
    with translation.override("fr"):
        law_2002, law_1965 = str(Legislation.LAW_2002.label), str(Legislation.LAW_1965.label)
        subtotal_2002, subtotal_1965 = eur_text(Decimal("2436.57")), eur_text(Decimal("1655.57"))
        total = eur_text(claim.total)
    assert Decimal("2436.57") + Decimal("1655.57") == claim.total
    assert flat.index(law_2002) < flat.index("Amélie Dubois") < flat.index(law_1965) < flat.index("Sarah Martin")
    for amount in (subtotal_2002, subtotal_1965, total):
        assert amount in text, amount
    # A draft: marked on every page until both have signed.
    assert raw_text(claim.document.content, tmp_path).count(watermark("fr")) == claim.document.page_count

    services.claim_review(acting_user=bob, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=director_a, claim=claim, capacity="secretary", place="Jambes")
    claim.refresh_from_db()
    assert watermark("fr") in raw_text(claim.document.content, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=president_a, claim=claim, capacity="president")
    claim.refresh_from_db()
    assert claim.status == "signed"
    text = pdf_text(claim.document.content, tmp_path)
    assert watermark("fr") not in raw_text(claim.document.content, tmp_path) and "…" not in text
    signatures = {signature.capacity: signature for signature in claim.signatures.all()}
    assert signatures["secretary"].place == "Jambes"
    assert signatures["president"].place == "Namur"  # the municipality of the signer's CPAS by default
    for signature in signatures.values():
        assert signature.place in text
        assert signature.signed_at.astimezone(ZoneInfo("Europe/Brussels")).strftime("%d/%m/%Y") in text


@pytest.mark.django_db
def test_a_dutch_claim_is_marked_as_a_draft_in_dutch(cpas_b, fake_source, tmp_path,
                                                      django_capture_on_commit_callbacks):
    from cpas_portal.models import Role
    from tests.factories import member

    finance = member(cpas_b, Role.FINANCE)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_generation_request(acting_user=finance, cpas=cpas_b, measure="art60",
                                                period_kind="month", year=2026, number=3)
    job.refresh_from_db()
    text = pdf_text(job.claim.document.content, tmp_path)
    assert watermark("nl") in raw_text(job.claim.document.content, tmp_path) and "…" not in text
    assert job.claim.reference == "44021-ART60-2026-03-1v1"
    assert "Gent" in text


@pytest.mark.parametrize(("language", "measure", "kind", "expected"), [
    ("fr", "social_economy", "month", "92094-ECOSOC-2026-03-1v2"),
    ("fr", "convention", "quarter", "92094-CONVPART-2026-T1-1v2"),
    ("nl", "convention", "quarter", "92094-PARTNEROVK-2026-K1-1v2"),
    ("nl", "art60", "month", "92094-ART60-2026-03-1v2"),
    ("de", "art61", "month", "92094-ART61-2026-03-1v2"),
])
def test_claim_references_name_the_measure_in_the_cpas_language(language, measure, kind, expected):
    reference = rules.claim_reference(nis_code="92094", measure=measure, period_kind=kind,
                                      period_start=date(2026, 3, 1) if kind == "month" else date(2026, 1, 1),
                                      sequence=1, version=2, language=language)
    assert reference == expected
    assert "SOCIAL_ECONOMY" not in reference and "_" not in reference


@pytest.mark.parametrize(("right_type", "legislation"), [("ris", "2002"), ("equivalent_aid", "1965")])
def test_the_legislation_of_a_line_follows_the_right_type(right_type, legislation):
    assert rules.legislation_of(right_type) == legislation


def test_an_unknown_right_type_has_no_legislation():
    with pytest.raises(ValueError):
        rules.legislation_of("organic_law")


TEXT = st.text(alphabet=st.sampled_from("abcdeéèçÀZ -'.·/()0123456789\t\n"), max_size=160)


@settings(max_examples=200, deadline=None)
@given(name=TEXT, details=TEXT)
def test_a_row_wraps_every_character_into_its_columns(name, details):
    values = ["4999", "90.05.17-002.55", name, "01/03/2026–31/03/2026", details, "-1.811,57 €"]
    row = pdf._row(values, pdf.WIDTHS, 5)
    width = sum(pdf.WIDTHS) + 2 * (len(pdf.WIDTHS) - 1)
    lines = row.split("\n")
    assert all(len(line) <= width for line in lines)
    starts = [sum(pdf.WIDTHS[:index]) + 2 * index for index in range(len(pdf.WIDTHS))]
    for column, value in ((2, name), (4, details)):
        kept = "".join(line[starts[column]:starts[column] + pdf.WIDTHS[column]] for line in lines)
        assert "".join(kept.split()) == "".join(value.split())
    assert lines[0].endswith("-1.811,57 €")
