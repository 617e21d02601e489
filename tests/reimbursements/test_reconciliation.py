from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from reimbursements import selectors, services
from reimbursements.models import StatementImport, StatementRecord

SAMPLE = Path(__file__).parent / "data" / "statement_92094_2026_04.txt"


def _import(bob, cpas_a, content=None):
    return services.statement_import(acting_user=bob, cpas=cpas_a, file_name=SAMPLE.name,
                                     content=content or SAMPLE.read_bytes())


@pytest.mark.django_db
def test_the_sample_statement_is_matched_to_the_sent_claim(bob, cpas_a, sent_claim):
    imported, created = _import(bob, cpas_a)
    assert created
    records = {record.row: record for record in imported.records.select_related("line")}
    assert records[1].state == "matched" and records[1].line.beneficiary_name == "Amélie Dubois"
    assert records[2].state == "differs" and records[2].line.beneficiary_name == "Julien Renard"
    assert records[2].difference == Decimal("-25.00")
    assert records[3].state == "unmatched" and records[3].line is None

    result = selectors.claim_reconciliation(claim=sent_claim, rows=True)
    assert result["counts"] == {"matched": 1, "differs": 1, "unpaid": 1}
    assert result["paid_total"] == Decimal("2411.57")
    assert result["difference_total"] == Decimal("2411.57") - Decimal("2316.07")
    unpaid = [row["line"].beneficiary_name for row in result["rows"] if row["state"] == "unpaid"]
    assert unpaid == ["Sarah Martin"]
    # Summed in the database without the rows: the same totals and counts as line by line.
    summed = selectors.claim_reconciliation(claim=sent_claim)
    assert summed == {key: value for key, value in result.items() if key != "rows"}
    sent_claim.refresh_from_db()
    assert sent_claim.status == "partly_paid"


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(bob, cpas_a, sent_claim):
    first, _created = _import(bob, cpas_a)
    again, created = _import(bob, cpas_a)
    assert not created
    assert again.pk == first.pk
    assert StatementImport.objects.count() == 1
    assert StatementRecord.objects.count() == 3


@pytest.mark.django_db
def test_a_draft_claim_is_not_reconciled(bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    imported, _created = _import(bob, cpas_a)
    assert set(imported.records.values_list("state", flat=True)) == {"unmatched"}
    claim.refresh_from_db()
    assert claim.status == "draft"


@pytest.mark.django_db
def test_another_cpas_statement_is_refused(bob, cpas_a, cpas_b, finance_b):
    with pytest.raises(ValidationError) as error:
        services.statement_import(acting_user=finance_b, cpas=cpas_b, file_name="x.txt", content=SAMPLE.read_bytes())
    assert "92094" in str(error.value.message_dict["file"])
