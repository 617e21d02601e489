import csv
import io

import pytest
from openpyxl import load_workbook

from reimbursements import exports

from .factories import fake_item


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+32 2 508", "'+32 2 508"),
    ("-cmd", "'-cmd"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"),
    ("Dubois", "Dubois"),
    ("", ""),
])
def test_formula_starts_are_escaped(value, expected):
    assert exports.safe_text(value) == expected


@pytest.fixture
def dangerous_claim(bob, cpas_a, fake_source, generate):
    fake_source.items.append(fake_item(7, name="=1+2 Malicious", amount="10.00"))
    return generate(bob, cpas_a).claim


@pytest.mark.django_db
def test_csv_export_escapes_a_name_starting_with_equals(client_for, bob, dangerous_claim):
    response = client_for(bob).get(f"/claims/{dangerous_claim.pk}/lines.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[3] for row in rows[1:]]
    assert "'=1+2 Malicious" in names
    assert "=1+2 Malicious" not in names
    amounts = {row[3]: row[6] for row in rows[1:]}
    assert amounts["Sarah Martin"] == "-120.50"  # a negative amount is a number, not escaped


@pytest.mark.django_db
def test_xlsx_export_escapes_a_name_starting_with_equals(client_for, bob, dangerous_claim):
    response = client_for(bob).get(f"/claims/{dangerous_claim.pk}/lines.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=1+2 Malicious" in names
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    amounts = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sum(amounts) == pytest.approx(2326.07)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_claims_export_lists_the_claims_of_the_cpas(client_for, bob, dangerous_claim, fmt):
    response = client_for(bob).get(f"/claims/export.{fmt}")
    assert response.status_code == 200
    assert dangerous_claim.reference.encode() in response.content or fmt == "xlsx"
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [dangerous_claim.reference]


@pytest.mark.django_db
def test_all_lines_export_of_the_cpas(client_for, bob, dangerous_claim):
    response = client_for(bob).get("/claims/export.csv?lines=1")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + dangerous_claim.line_count
