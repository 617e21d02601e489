"""Writing a claim set-based: every line, its history and the freeze of its source rows, with who and when.

The lines are written in one COPY on PostgreSQL (one multi-row INSERT per batch on SQLite) and their history,
like the freeze of the measures' rows, in one INSERT … SELECT: these tests read back what a line-by-line
write would have left, on both databases.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from cpas_portal.bulk_copy import copy_rows
from cpas_portal.bulk_history import CHANGED, CREATED
from measures import services as measure_services
from measures.models import MonthlySubsidy
from reimbursements import services, sources
from reimbursements.models import ClaimLine

from .factories import FakeSource, fake_item

D = Decimal

# Values a CSV or SQL writer gets wrong when it quotes by hand.
AWKWARD_ITEMS = [
    ('DUPONT, "Jean" Marie', "1811.57"), ("O'BRIEN\tSéan", "0.01"), ("VAN DEN BOSSCHE\nDelacroix", "625.00"),
    ("BACK\\SLASH \\N", "-120.50"), ("ZÉRO", "0"),
]


@pytest.fixture
def awkward_source():
    items = [fake_item(index, name=name, amount=amount) for index, (name, amount) in enumerate(AWKWARD_ITEMS, start=1)]
    items.append(sources.ClaimItem(
        source_key="fake.line:6", niss="", beneficiary_name="Activation " + "é" * 200, covered_start=date(2026, 3, 1),
        covered_end=date(2026, 3, 31), amount=D("99.99"), legal_basis="L" * 300, legislation="1965",
        description="D" * 600, tier_code="2", partner="Job'In, asbl", unconfirmed_rows="ris@2026-03-01"))
    source = FakeSource(items)
    with sources.overridden("art60", source):
        yield source


@pytest.mark.django_db
def test_every_line_is_written_as_its_item_says(bob, cpas_a, awkward_source, generate):
    before = timezone.now()
    claim = generate(bob, cpas_a).claim
    items = sources.gather(measure="art60", cpas=cpas_a, start=date(2026, 3, 1), end=date(2026, 3, 31))
    lines = list(claim.lines.order_by("position"))
    assert [line.position for line in lines] == list(range(1, len(items) + 1))
    for line, item in zip(lines, items, strict=True):
        assert (line.source_key, line.niss, line.covered_start, line.covered_end) == (
            item.source_key, item.niss, item.covered_start, item.covered_end)
        assert line.beneficiary_name == item.beneficiary_name[:170]
        assert (line.legal_basis, line.description, line.partner) == (
            item.legal_basis[:250], item.description[:500], item.partner[:150])
        assert (line.legislation, line.tier_code, line.unconfirmed_rows) == (
            item.legislation, item.tier_code, item.unconfirmed_rows)
        assert line.unconfirmed == bool(item.unconfirmed_rows)
        assert line.signed_amount == item.amount and line.amount >= 0
        assert (line.live, line.change, line.previous_amount, line.cpas_id) == (True, "", None, cpas_a.pk)
    by_key = {line.source_key: line for line in lines}
    assert by_key["fake.line:1"].beneficiary_name == 'DUPONT, "Jean" Marie'
    assert by_key["fake.line:2"].beneficiary_name == "O'BRIEN\tSéan"
    assert by_key["fake.line:3"].beneficiary_name == "VAN DEN BOSSCHE\nDelacroix"
    assert by_key["fake.line:4"].beneficiary_name == "BACK\\SLASH \\N"
    assert (by_key["fake.line:4"].amount, by_key["fake.line:4"].sign) == (D("120.50"), -1)
    assert by_key["fake.line:6"].niss == "" and by_key["fake.line:6"].unconfirmed
    assert claim.line_count == 6
    assert claim.total == D("1811.57") + D("0.01") + D("625.00") - D("120.50") + D("0") + D("99.99")

    # One creation row per line in the history, as it was written, by the user who asked, when it was written.
    history = ClaimLine.history.filter(claim=claim)
    assert history.count() == 6
    assert set(history.values_list("history_type", flat=True)) == {CREATED}
    assert set(history.values_list("history_user", flat=True)) == {bob.pk}
    assert all(before <= when <= timezone.now() for when in history.values_list("history_date", flat=True))
    assert {row.id: (row.beneficiary_name, row.amount, row.sign) for row in history} == {
        line.pk: (line.beneficiary_name, line.amount, line.sign) for line in lines}


@pytest.mark.django_db
def test_copy_rows_writes_nulls_empty_strings_and_quotes_apart(bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    fields = ["claim_id", "cpas_id", "position", "source_key", "niss", "beneficiary_name", "covered_start",
              "covered_end", "amount", "sign", "legal_basis", "legislation", "description", "tier_code", "partner",
              "previous_amount", "change", "live", "unconfirmed", "unconfirmed_rows"]
    rows = [(claim.pk, cpas_a.pk, 100 + index, f"copy:{index}", "", name, date(2026, 3, 1), date(2026, 3, 31),
             D("1.10"), 1, "", "2002", '"', "", ",", previous, "", False, index % 2 == 0, "")
            for index, (name, previous) in enumerate([("a,b", None), ('say "hi"', D("0.00")), ("", D("-3.25"))])]
    assert copy_rows(ClaimLine, fields, rows) == 3
    written = list(ClaimLine.objects.filter(source_key__startswith="copy:").order_by("position").values_list(
        "beneficiary_name", "previous_amount", "description", "partner", "niss", "unconfirmed", "live"))
    assert written == [("a,b", None, '"', ",", "", True, False), ('say "hi"', D("0.00"), '"', ",", "", False, False),
                       ("", D("-3.25"), '"', ",", "", True, False)]


@pytest.mark.django_db
def test_freezing_an_art60_month_records_who_and_when(alice, bob, cpas_a, beneficiary_a, generate):
    from tests.measures.factories import placement

    approved = measure_services.placement_approve(
        acting_user=alice, placement=placement(alice, cpas=cpas_a, beneficiary=beneficiary_a))
    months = list(MonthlySubsidy.objects.filter(placement=approved, month__lte=date(2019, 9, 1)).order_by("month"))
    assert len(months) == 3
    before = timezone.now()
    claim = generate(bob, cpas_a, measure="art60", year=2019, month=3, kind="quarter").claim
    assert claim.line_count == 3
    assert claim.total == sum(month.amount for month in months)
    for month in months:
        month.refresh_from_db()
        assert month.claim_reference == claim.reference
        assert before <= month.claimed_at <= timezone.now()
        latest = month.history.order_by("-history_date", "-history_id").first()
        assert (latest.history_type, latest.history_user_id) == (CHANGED, bob.pk)
        assert (latest.claimed_at, latest.claim_reference) == (month.claimed_at, claim.reference)
        assert latest.amount == month.amount

    services.claim_cancel(acting_user=bob, claim=claim)
    for month in months:
        month.refresh_from_db()
        assert (month.claimed_at, month.claim_reference) == (None, "")
        latest = month.history.order_by("-history_date", "-history_id").first()
        assert (latest.history_type, latest.history_user_id, latest.claimed_at) == (CHANGED, bob.pk, None)
    # The claim's lines no longer hold their items: a change row each, by the user who cancelled.
    withdrawn = ClaimLine.history.filter(claim=claim, history_type=CHANGED)
    assert sorted(withdrawn.values_list("id", "live", "history_user")) == sorted(
        (pk, False, bob.pk) for pk in claim.lines.values_list("pk", flat=True))
    assert not claim.lines.filter(live=True).exists()


@pytest.mark.django_db
def test_a_correction_withdraws_the_old_lines_with_their_history(bob, cpas_a, sent_claim, fake_source,
                                                                  django_capture_on_commit_callbacks):
    fake_source.items[1] = fake_item(2, name="Julien Renard", amount="500.00")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_correction_request(acting_user=bob, claim=sent_claim)
    job.refresh_from_db()
    old = list(sent_claim.lines.values_list("pk", flat=True))
    assert len(old) == 3 and not sent_claim.lines.filter(live=True).exists()
    changes = ClaimLine.history.filter(id__in=old, history_type=CHANGED)
    assert sorted(changes.values_list("id", "live", "history_user")) == sorted((pk, False, bob.pk) for pk in old)
    assert ClaimLine.history.filter(claim=job.claim, history_type=CREATED).count() == job.claim.line_count == 3


@pytest.mark.django_db
def test_freezing_only_open_months_leaves_out_those_already_claimed(alice, cpas_a, beneficiary_a):
    from django.core.exceptions import ValidationError

    from tests.measures.factories import placement

    approved = measure_services.placement_approve(
        acting_user=alice, placement=placement(alice, cpas=cpas_a, beneficiary=beneficiary_a))
    first, second = MonthlySubsidy.objects.filter(placement=approved).order_by("month")[:2]
    measure_services.monthly_subsidies_freeze(acting_user=alice, lines=[first], reference="HAND-1")
    with pytest.raises(ValidationError):
        measure_services.monthly_subsidies_freeze(acting_user=alice, lines=[first, second], reference="C-2")
    frozen = measure_services.monthly_subsidies_freeze(acting_user=alice, lines=[first.pk, second.pk],
                                                       reference="C-2", only_open=True)
    assert frozen == [second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.claim_reference, second.claim_reference) == ("HAND-1", "C-2")
    assert not first.history.filter(claim_reference="C-2").exists()
    assert second.history.order_by("-history_id").first().claim_reference == "C-2"
