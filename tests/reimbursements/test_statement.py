"""The statement's layout (Primabook "Beschrijving van de maandstaten"), read from TXT and CSV alike."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from reimbursements import statement

DATA = Path(__file__).parent / "data"
SAMPLE_TXT = DATA / "statement_92094_2026_04.txt"
SAMPLE_CSV = DATA / "statement_92094_2026_04.csv"


def test_the_layout_is_primabooks():
    assert [(field.name, field.width) for field in statement.LAYOUT[:15]] == [
        ("legislation", 1), ("nis_code", 5), ("year_month", 6), ("dossier", 11), ("suffix", 2), ("niss", 11),
        ("reference", 12), ("amount_type", 1), ("first_day", 8), ("last_day", 8), ("budget_article", 6),
        ("sign", 1), ("amount_cents", 8), ("category", 1), ("name", 30)]
    # The identity fields after the name are this application's reading, and say so.
    assert [field.name for field in statement.LAYOUT if field.interpretation] == ["birth_date", "sex",
                                                                                   "refusal_code"]
    assert statement.RECORD_LENGTH == 122


def test_the_sample_txt_is_read_field_by_field():
    records = statement.parse(SAMPLE_TXT.read_bytes(), file_name=SAMPLE_TXT.name)
    assert len(records) == 3
    first = records[0]
    assert (first.legislation, first.nis_code, first.year_month, first.dossier, first.suffix) == (
        "1", "92094", "2026-04", "00000012345", "")
    assert (first.niss, first.reference, first.amount_type) == ("90051700255", "B26030000001", 1)
    assert (first.first_day, first.last_day, first.budget_article) == (date(2026, 3, 1), date(2026, 3, 31), "102")
    assert first.amount == Decimal("1811.57")  # 00181157 cents, at 100 %
    assert (first.category, first.name, first.birth_date, first.sex) == ("3", "DUBOIS AMÉLIE", date(1990, 5, 17), "F")
    assert not first.refused and not first.is_regularisation
    assert records[2].amount_type == statement.ARREARS


def test_the_csv_sample_holds_the_same_records():
    txt = statement.parse(SAMPLE_TXT.read_bytes(), file_name=SAMPLE_TXT.name)
    csv = statement.parse(SAMPLE_CSV.read_bytes(), file_name=SAMPLE_CSV.name)
    assert [record.key for record in csv] == [record.key for record in txt]
    assert csv[0].name == "DUBOIS AMÉLIE"
    # Without the file name the format is recognised from the content.
    assert statement.detect_format(SAMPLE_CSV.read_bytes()) == statement.CSV
    assert statement.detect_format(SAMPLE_TXT.read_bytes()) == statement.TXT


def test_a_recovery_a_regularisation_and_a_refusal():
    line = statement.format_record(nis_code="92094", year_month="2026-04", niss="85073003328", amount_type=6,
                                   first_day=date(2026, 3, 1), last_day=date(2026, 3, 31), amount="-120.50",
                                   refusal_code="17")
    assert len(line) == statement.RECORD_LENGTH
    record = statement.parse(line.encode())[0]
    assert record.amount == Decimal("-120.50")
    assert record.is_regularisation and record.refused


def _line_and_field(content, file_name="s.txt"):
    with pytest.raises(ValidationError) as error:
        statement.parse(content, file_name=file_name)
    return str(error.value.message_dict["file"][0])


TXT = SAMPLE_TXT.read_bytes()
CSV_TEXT = SAMPLE_CSV.read_bytes()
# The layout this application guessed before (86 characters, legislation "02").
OLD_LAYOUT = b"0292094202604A0001      90051700255ART60-0001  1202603012026033144.55.01  +00000181157\n"


@pytest.mark.parametrize(("content", "file_name", "row", "field"), [
    (OLD_LAYOUT, "old.txt", 1, "legislation"),
    (TXT.replace(b"+00181157", b"*00181157"), "s.txt", 1, "sign"),
    (TXT.replace(b"90051700354", b"90051700355"), "s.txt", 2, "niss"),
    (TXT.replace(b"20260301", b"20260230", 1), "s.txt", 1, "first_day"),
    (TXT.replace(b"202604000000123", b"202613000000123", 1), "s.txt", 1, "year_month"),
    (TXT.replace(b"B26030000099" + b"2", b"B26030000099" + b"9"), "s.txt", 3, "amount_type"),
    (TXT.replace(b"\r\n", b"X\r\n", 1), "s.txt", 1, None),  # 123 characters
    (CSV_TEXT.replace(b";000102;", b";0001O2;", 1), "s.csv", 2, "budget_article"),
    (CSV_TEXT.replace(b";00060000;", b";123456789;", 1), "s.csv", 3, "amount_cents"),
    (CSV_TEXT.replace(b";M;\n", b";M\n", 1), "s.csv", 3, None),  # a field missing
    (TXT[:130] + b"\x00" + TXT[130:], "s.txt", 2, None),  # a NUL byte
])
def test_a_file_in_another_layout_is_refused_with_the_line_and_field(content, file_name, row, field):
    message = _line_and_field(content, file_name)
    assert re.search(rf"\b{row}\b", message), message
    if field:
        assert f"“{field}”" in message, message


def test_an_empty_file_holds_no_record():
    with pytest.raises(ValidationError):
        statement.parse(b"\r\n\r\n")


RECORDS = st.fixed_dictionaries({
    "amount": st.decimals(min_value=Decimal("-999999.99"), max_value=Decimal("999999.99"), places=2),
    "amount_type": st.integers(min_value=1, max_value=6),
    "legislation": st.sampled_from(statement.LEGISLATIONS),
    "name": st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZÉÈÀÇËÏÔÜabcdeéèàç' -", max_size=30).map(str.strip),
})


@settings(max_examples=60, deadline=None)
@given(RECORDS)
def test_txt_and_csv_agree_with_what_was_written(fields):
    common = {"nis_code": "44021", "year_month": "2026-05", "niss": "01010100225", "first_day": date(2026, 4, 1),
              "last_day": date(2026, 4, 30), **fields}
    txt = statement.parse(statement.format_record(**common).encode("cp1252"), file_name="s.txt")[0]
    csv = statement.parse(statement.format_csv([common]).encode(), file_name="s.csv")[0]
    assert txt.amount == csv.amount == fields["amount"]
    assert txt.key == csv.key
    assert txt.name == csv.name == fields["name"]
