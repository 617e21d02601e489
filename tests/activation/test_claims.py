"""The social-activation advance and balance as claim sources (measure ``activation``, seed 002)."""

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cpas_portal.models import Role
from cpas_portal.templatetags.cpas import eur as eur_text
from measures.activation import selectors as activation_selectors
from measures.activation import services as activation_services
from reimbursements import exports, rules, selectors, services, sources, statements
from reimbursements.models import ClaimLine
from tests.factories import member

LABELS = {"advance": "Social activation %(year)s — advance", "balance": "Social activation %(year)s — balance"}


def instalment_label(kind, year=2025):
    """The line's name as the claim writes it, in the language active (French unless overridden)."""
    return gettext(LABELS[kind]) % {"year": year}

GRANTED = Decimal("120000.01")
SAMPLE_STATEMENT = Path(__file__).parents[1] / "reimbursements" / "data" / "statement_92094_2026_04.txt"


# Why a claim job ends "Nothing to claim" (``GenerationJob.step``, written in the CPAS's language).
NO_ITEM = "Nothing to claim: this measure has no reimbursable item in this period."
ALL_CLAIMED = "Every item of this period is already claimed: no new claim."


@pytest.fixture
def request_claim(django_capture_on_commit_callbacks):
    """``request_claim(user, cpas, year, month)``: request an activation claim, run its job in-process, return the
    finished job."""

    def run(user, cpas, year, number, *, kind="month"):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.claim_generation_request(acting_user=user, cpas=cpas, measure="activation",
                                                    period_kind=kind, year=year, number=number)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def generate(request_claim):
    """``generate(user, cpas, year, month)``: the claim the job made (it must make one)."""

    def run(user, cpas, year, number, *, kind="month"):
        job = request_claim(user, cpas, year, number, kind=kind)
        assert job.status == "done", job.error or job.step
        assert job.claim is not None
        return job.claim

    return run


@pytest.fixture
def nothing_to_claim(request_claim):
    """``nothing_to_claim(user, cpas, year, month)``: the job ends "Nothing to claim", neither a claim nor a
    failure; returns its reason as its English source (the note is written in the asker's or the CPAS's
    language)."""

    def run(user, cpas, year, number, *, kind="month"):
        job = request_claim(user, cpas, year, number, kind=kind)
        assert (job.status, job.claim_id, job.error) == ("empty", None, "")
        reasons = {}
        for language in {services.claim_language(cpas), getattr(job, "language", ""), translation.get_language()}:
            with translation.override(language or None):
                reasons.update({gettext(reason): reason for reason in (NO_ITEM, ALL_CLAIMED)})
        assert job.step in reasons, job.step
        return reasons[job.step]

    return run


@pytest.fixture
def subsidy(manager_a, cpas_a, make_activation):
    """The 2025 large-city subsidy of CPAS A, decided but not yet signed."""
    return make_activation(manager_a, cpas_a, year=2025, granted_amount=GRANTED, filed_on=date(2025, 3, 20),
                           decided_on=date(2025, 5, 5))


def _update(manager, activation, **fields):
    activation.refresh_from_db()
    return activation_services.activation_update(acting_user=manager, activation=activation,
                                                 version=activation.version, **fields)


def _gather(cpas, start, end):
    return sources.gather(measure="activation", cpas=cpas, start=start, end=end)


def _keys(items):
    return [item.source_key for item in items]


def _signed(manager, subsidy):
    return _update(manager, subsidy, signed_on=date(2025, 5, 12))


def _sent(manager, subsidy):
    return _update(manager, subsidy, signed_on=date(2025, 5, 12), report_sent_on=date(2026, 2, 10))


@pytest.mark.django_db
def test_the_advance_is_claimed_after_the_signature_and_not_before(bob, cpas_a, manager_a, subsidy, generate,
                                                                   nothing_to_claim):
    assert _gather(cpas_a, date(2025, 1, 1), date(2025, 12, 31)) == []
    assert nothing_to_claim(bob, cpas_a, 2025, 5) == NO_ITEM

    _signed(manager_a, subsidy)
    assert _gather(cpas_a, date(2025, 4, 1), date(2025, 4, 30)) == []
    [item] = _gather(cpas_a, date(2025, 5, 1), date(2025, 5, 31))
    assert item.source_key == f"activation.advance:{subsidy.pk}"
    assert item.niss == ""
    assert item.beneficiary_name == instalment_label("advance")
    assert (item.covered_start, item.covered_end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert item.amount == Decimal("60000.01")
    assert item.legislation == rules.LAW_2002
    assert "activation sociale" in item.legal_basis and "villes et communes" in item.legal_basis

    claim = generate(bob, cpas_a, 2025, 5)
    [line] = claim.lines.all()
    assert (line.source_key, line.niss, line.amount, line.sign) == (item.source_key, "", Decimal("60000.01"), 1)
    assert claim.measure == "activation" and "-ACTSOC-2025-05-" in claim.reference
    assert "activation sociale" in claim.legal_basis
    subsidy.refresh_from_db()
    assert subsidy.advance_claim_reference == claim.reference and subsidy.advance_claimed_at is not None
    assert subsidy.balance_claim_reference == ""


@pytest.mark.django_db
def test_the_balance_is_claimed_only_once_the_final_report_is_sent(bob, cpas_a, manager_a, subsidy, generate,
                                                                   nothing_to_claim):
    _signed(manager_a, subsidy)
    advance_claim = generate(bob, cpas_a, 2025, 5)
    assert _gather(cpas_a, date(2026, 2, 1), date(2026, 2, 28)) == []
    assert nothing_to_claim(bob, cpas_a, 2026, 2) == NO_ITEM

    _sent(manager_a, subsidy)
    assert _gather(cpas_a, date(2026, 1, 1), date(2026, 1, 31)) == []
    claim = generate(bob, cpas_a, 2026, 2)
    [line] = claim.lines.all()
    assert line.source_key == f"activation.balance:{subsidy.pk}"
    assert line.beneficiary_name == instalment_label("balance")
    assert line.amount == Decimal("60000.00")
    subsidy.refresh_from_db()
    assert (subsidy.advance_claim_reference, subsidy.balance_claim_reference) == (advance_claim.reference,
                                                                                 claim.reference)


@pytest.mark.django_db
def test_an_instalment_once_in_a_claim_is_never_in_a_second_one(bob, cpas_a, manager_a, subsidy, generate,
                                                                 nothing_to_claim):
    _sent(manager_a, subsidy)
    first = generate(bob, cpas_a, 2026, 2)
    assert sorted(_keys(first.lines.all())) == [f"activation.advance:{subsidy.pk}",
                                                f"activation.balance:{subsidy.pk}"]
    # Later months, another quarter, or the same month again: nothing left to claim. The same month still
    # sees its instalments, already claimed; the others see none.
    assert nothing_to_claim(bob, cpas_a, 2026, 3) == NO_ITEM
    assert nothing_to_claim(bob, cpas_a, 2026, 2, kind="quarter") == NO_ITEM
    assert nothing_to_claim(bob, cpas_a, 2026, 2) == ALL_CLAIMED
    assert _gather(cpas_a, date(2026, 3, 1), date(2026, 3, 31)) == []
    # The claim of its own period still sees what it holds (a correction keeps it).
    assert len(_gather(cpas_a, date(2026, 2, 1), date(2026, 2, 28))) == 2
    assert ClaimLine.objects.filter(source_key__startswith="activation.", live=True).count() == 2


@pytest.mark.django_db
def test_a_cancelled_claim_frees_its_instalments(bob, cpas_a, manager_a, subsidy, generate):
    _signed(manager_a, subsidy)
    first = generate(bob, cpas_a, 2025, 5)
    services.claim_cancel(acting_user=bob, claim=first)
    subsidy.refresh_from_db()
    assert subsidy.advance_claimed_at is None and subsidy.advance_claim_reference == ""

    second = generate(bob, cpas_a, 2025, 6)
    assert _keys(second.lines.all()) == [f"activation.advance:{subsidy.pk}"]
    subsidy.refresh_from_db()
    assert subsidy.advance_claim_reference == second.reference


@pytest.mark.django_db
def test_receiving_an_instalment_changes_nothing_on_its_claim(bob, cpas_a, manager_a, subsidy, generate,
                                                              nothing_to_claim):
    _signed(manager_a, subsidy)
    claim = generate(bob, cpas_a, 2025, 5)
    _update(manager_a, subsidy, advance_received_on=date(2025, 7, 1), advance_received_amount=Decimal("60000.01"))
    subsidy.refresh_from_db()
    assert subsidy.advance_claim_reference == claim.reference
    assert ClaimLine.objects.get(claim=claim).live
    assert nothing_to_claim(bob, cpas_a, 2025, 7) == NO_ITEM
    assert nothing_to_claim(bob, cpas_a, 2025, 5) == ALL_CLAIMED


@pytest.mark.parametrize(("granted", "advance", "balance"), [
    ("120000.00", "60000.00", "60000.00"),
    ("120000.01", "60000.01", "60000.00"),
    ("10000.00", "5000.00", "5000.00"),
    ("9999.99", "5000.00", "4999.99"),
    ("0.03", "0.02", "0.01"),
])
@pytest.mark.django_db
def test_advance_and_balance_are_half_and_half_to_the_cent(bob, cpas_a, manager_a, make_activation, granted, advance,
                                                          balance):
    subsidy = make_activation(manager_a, cpas_a, year=2025, granted_amount=Decimal(granted),
                              decided_on=date(2025, 5, 5), signed_on=date(2025, 5, 12),
                              report_sent_on=date(2026, 2, 10))
    items = {item.source_key.split(":")[0]: item.amount for item in _gather(cpas_a, date(2026, 2, 1),
                                                                            date(2026, 2, 28))}
    assert items == {"activation.advance": Decimal(advance), "activation.balance": Decimal(balance)}
    assert sum(items.values()) == subsidy.granted_amount


@pytest.fixture
def signers(cpas_a):
    return (member(cpas_a, Role.MANAGER, username="diane", first_name="Diane", last_name="Leroy"),
            member(cpas_a, Role.MANAGER, username="paul", first_name="Paul", last_name="Moreau"))


def _send(bob, claim, signers, django_capture_on_commit_callbacks):
    services.claim_review(acting_user=bob, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=signers[0], claim=claim, capacity="secretary")
        services.claim_sign(acting_user=signers[1], claim=claim, capacity="president")
    services.claim_send(acting_user=bob, claim=claim)
    claim.refresh_from_db()
    return claim


@pytest.mark.django_db
def test_the_claim_pdf_has_a_social_activation_section_with_its_amounts(bob, cpas_a, manager_a, subsidy, generate,
                                                                       tmp_path):
    _sent(manager_a, subsidy)
    claim = generate(bob, cpas_a, 2026, 2)
    rendered = services.claim_pdf_render(claim=claim)
    path = tmp_path / "claim.pdf"
    path.write_bytes(bytes(rendered.content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    with translation.override(rendered.language):
        section = gettext("Social activation")
        label = gettext("Subtotal, %(label)s") % {"label": section}
        for amount in (Decimal("60000.01"), Decimal("60000.00"), GRANTED):
            assert eur_text(amount) in text
    assert section in text and label.split(",")[0] in text
    # The names wrap in their 30-character column: one line of each instalment.
    advance, balance = instalment_label("advance"), instalment_label("balance")
    assert text.count(advance.split("—")[0].strip()) == 2
    assert advance.split("—")[1].strip() in text and balance.split("—")[1].strip() in text
    assert "01/01/2025–31/12/2025" in text
    assert "activation sociale" in text
    # No person: the national-number column shows a dash, never a masked or empty number.
    assert "***" not in text


@pytest.mark.django_db
def test_a_statement_never_matches_a_line_without_national_number(bob, cpas_a, manager_a, subsidy, generate,
                                                                 signers, django_capture_on_commit_callbacks):
    _signed(manager_a, subsidy)
    claim = _send(bob, generate(bob, cpas_a, 2025, 5), signers, django_capture_on_commit_callbacks)
    imported, created = services.statement_import(acting_user=bob, cpas=cpas_a, file_name=SAMPLE_STATEMENT.name,
                                                  content=SAMPLE_STATEMENT.read_bytes())
    assert created and imported.records.count() > 0
    assert not imported.records.filter(line__claim=claim).exists()
    assert all(record.state == "unmatched" for record in imported.records.all())
    candidates = selectors.match_candidates(cpas=cpas_a, records=list(imported.records.all()))
    assert all(line.claim_id != claim.pk for lines in candidates.values() for line in lines)
    result = selectors.claim_reconciliation(claim=claim)
    assert result["counts"] == {"unpaid": 1}
    claim.refresh_from_db()
    assert claim.status == "sent"


@pytest.mark.django_db
def test_the_export_leaves_the_national_number_of_a_cpas_line_empty(bob, cpas_a, manager_a, subsidy, generate):
    _signed(manager_a, subsidy)
    claim = generate(bob, cpas_a, 2025, 5)
    lines = list(claim.lines.select_related("claim"))
    for masked in (True, False):
        _header, rows = exports.line_table(lines, masked=masked)
        [row] = list(rows)
        assert row[2] == "" and row[3] == instalment_label("advance") and row[6] == Decimal("60000.01")


@pytest.mark.django_db
def test_the_claim_deadline_is_the_final_report_of_the_subsidy_year(bob, cpas_a, manager_a, subsidy, generate):
    _sent(manager_a, subsidy)
    claim = generate(bob, cpas_a, 2026, 2)
    [row] = selectors.claim_deadlines(cpas=cpas_a, claims=[claim], today=date(2026, 2, 20))
    assert row["deadline"].due == date(2026, 2, 28)
    assert row["state"] == "soon" and row["days_left"] == 8
    assert "28 février 2016" in row["deadline"].source


@pytest.mark.parametrize(("covered_end", "due"), [
    (date(2015, 12, 31), date(2016, 2, 28)),
    (date(2024, 12, 31), date(2025, 2, 28)),
    (date(2025, 12, 31), date(2026, 2, 28)),
])
def test_activation_deadline_is_28_february_of_the_next_year(covered_end, due):
    deadline = rules.claim_deadline(covered_end, on=date(2026, 1, 1), legislation=rules.LAW_2002,
                                    measure=rules.ACTIVATION)
    assert deadline.due == due and deadline.lost_from is None and deadline.interpretation


@pytest.mark.django_db
def test_the_adapter_reads_a_fixed_number_of_queries(bob, cpas_a, manager_a, make_activation, generate):
    def count():
        with CaptureQueriesContext(connection) as queries:
            items = _gather(cpas_a, date(2026, 1, 1), date(2026, 12, 31))
        return len(queries), len(items)

    make_activation(manager_a, cpas_a, year=2024, decided_on=date(2024, 5, 5), signed_on=date(2024, 5, 12),
                    report_sent_on=date(2025, 2, 10))
    one = count()
    for year in (2021, 2022, 2023, 2025):
        make_activation(manager_a, cpas_a, year=year, decided_on=date(year, 5, 5), signed_on=date(year, 5, 12),
                        report_sent_on=date(year + 1, 2, 10))
    generate(bob, cpas_a, 2026, 1)
    many = count()
    assert one == (2, 2) and many == (2, 10)


@pytest.mark.django_db
def test_the_detail_page_links_each_instalment_to_the_claim_holding_it(bob, cpas_a, manager_a, subsidy, generate,
                                                                      client_for, django_assert_num_queries):
    _signed(manager_a, subsidy)
    claim = generate(bob, cpas_a, 2025, 5)
    with django_assert_num_queries(1):
        held = activation_selectors.instalment_claims(subsidy)
    assert set(held) == {"advance"} and held["advance"].claim.reference == claim.reference

    page = client_for(manager_a).get(reverse("activation_detail", args=[subsidy.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("claim_detail", args=[claim.pk]) in html and claim.reference in html
    assert "no reimbursement claim is made" not in html

    detail = client_for(bob).get(reverse("claim_detail", args=[claim.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    label = instalment_label("advance")
    assert label in body and "***" not in body
    assert "/beneficiaries/" not in body.split(label)[1].split("</tr>")[0]


@pytest.mark.django_db
def test_a_statement_record_cannot_be_paired_by_hand_with_a_line_without_national_number(
        bob, cpas_a, manager_a, subsidy, generate, signers, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    _signed(manager_a, subsidy)
    claim = _send(bob, generate(bob, cpas_a, 2025, 5), signers, django_capture_on_commit_callbacks)
    imported, _created = services.statement_import(acting_user=bob, cpas=cpas_a, file_name=SAMPLE_STATEMENT.name,
                                                   content=SAMPLE_STATEMENT.read_bytes())
    record = imported.records.order_by("row").first()
    with pytest.raises(ValidationError) as refused:
        statements.statement_record_match(acting_user=bob, record=record, line=claim.lines.get())
    assert "line" in refused.value.message_dict
    record.refresh_from_db()
    assert record.state == "unmatched" and record.line_id is None


@pytest.mark.django_db
def test_an_unclaimed_instalment_is_listed_with_the_final_report_deadline(cpas_a, manager_a, subsidy):
    _signed(manager_a, subsidy)
    rows = [row for row in selectors.deadlines(cpas=cpas_a, today=date(2026, 1, 15))["items"]
            if row["measure"] == "activation"]
    assert [(row["count"], row["total"], row["deadline"].due, row["state"]) for row in rows] == [
        (1, Decimal("60000.01"), date(2026, 2, 28), "soon")]


@pytest.mark.django_db
def test_a_subsidy_granted_nothing_has_nothing_to_claim(cpas_a, manager_a, make_activation):
    make_activation(manager_a, cpas_a, year=2025, granted_amount=Decimal("0.00"), decided_on=date(2025, 5, 5),
                    signed_on=date(2025, 5, 12), report_sent_on=date(2026, 2, 10))
    assert _gather(cpas_a, date(2026, 2, 1), date(2026, 2, 28)) == []
