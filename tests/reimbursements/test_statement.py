from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from reimbursements import statement

SAMPLE = Path(__file__).parent / "data" / "statement_92094_2026_04.txt"


def test_the_sample_statement_is_read_field_by_field():
    records = statement.parse(SAMPLE.read_bytes())
    assert len(records) == 3
    first = records[0]
    assert (first.legislation, first.nis_code, first.year_month, first.dossier) == ("02", "92094", "2026-04", "A0001")
    assert first.niss == "90051700255"
    assert first.form_reference == "ART60-0001"
    assert (first.amount_type, first.first_day, first.last_day) == (1, date(2026, 3, 1), date(2026, 3, 31))
    assert first.budget_article == "44.55.01"
    assert first.amount == Decimal("1811.57")
    assert records[2].amount_type == 2


def test_a_negative_record_is_a_recovery():
    line = statement.format_record(nis_code="92094", year_month="2026-04", niss="85073003328", amount_type=3,
                                   first_day=date(2026, 3, 1), last_day=date(2026, 3, 31), amount="-120.50")
    assert len(line) == statement.RECORD_LENGTH
    assert statement.parse(line.encode())[0].amount == Decimal("-120.50")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "aucun enregistrement"),
    (b"02920942026", "Ligne 1 "),
    (SAMPLE.read_bytes().replace(b"+00000181157", b"*00000181157"), "La ligne 1 "),
    (SAMPLE.read_bytes().replace(b"90051700354", b"90051700355"), "La ligne 2 "),
    (SAMPLE.read_bytes().replace(b"20260301", b"20260230", 1), "La ligne 1 "),
])
def test_a_wrong_file_names_the_row(content, message):
    with pytest.raises(ValidationError) as error, translation.override("fr"):
        statement.parse(content)
    assert message in str(error.value.message_dict["file"])


@given(st.decimals(min_value=Decimal("-99999.99"), max_value=Decimal("99999.99"), places=2),
       st.integers(min_value=1, max_value=6))
def test_format_and_parse_agree(amount, amount_type):
    line = statement.format_record(nis_code="44021", year_month="2026-05", niss="01010100225", amount_type=amount_type,
                                   first_day=date(2026, 4, 1), last_day=date(2026, 4, 30), amount=amount)
    record = statement.parse(line.encode())[0]
    assert record.amount == amount
    assert record.amount_type == amount_type
