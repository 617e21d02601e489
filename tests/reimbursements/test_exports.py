import csv
import io
from datetime import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation
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
    assert amounts["Sarah Martin"] == "-120,50"  # a negative amount is a number, not escaped


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


def _csv_rows(response):
    assert response.content.startswith("\ufeff".encode())  # UTF-8 with a byte-order mark
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _speaking(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _translated(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_csv_lines_for_a_belgian_spreadsheet(client_for, bob, dangerous_claim, language):
    """Decimal comma, dd/mm/yyyy, ``;`` and headers in the user's language."""
    rows = _csv_rows(_speaking(client_for(bob), language).get(f"/claims/{dangerous_claim.pk}/lines.csv"))
    header = rows[0]
    assert header[6] == _translated(language, "Amount") != "Amount"
    assert header[4] == _translated(language, "Covered from") != "Covered from"
    by_name = {row[3]: row for row in rows[1:]}
    assert by_name["Sarah Martin"][6] == "-120,50"
    assert by_name["Amélie Dubois"][6] == "1811,57"  # no thousands separator: the spreadsheet reads a number
    assert by_name["Amélie Dubois"][4] == "01/03/2026" and by_name["Amélie Dubois"][5] == "31/03/2026"
    assert all(len(row) == len(header) for row in rows)


@pytest.mark.django_db
def test_csv_in_english_keeps_the_decimal_point_and_iso_dates(client_for, bob, dangerous_claim):
    rows = _csv_rows(_speaking(client_for(bob), "en").get(f"/claims/{dangerous_claim.pk}/lines.csv"))
    assert rows[0][6] == "Amount"
    by_name = {row[3]: row for row in rows[1:]}
    assert by_name["Sarah Martin"][6] == "-120.50" and by_name["Sarah Martin"][4] == "2026-03-01"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_csv_claims_export_dates_and_totals(client_for, bob, dangerous_claim, language):
    rows = _csv_rows(_speaking(client_for(bob), language).get("/claims/export.csv"))
    assert rows[0][7] == _translated(language, "Total") or rows[0][7] == "Total"
    assert rows[0][0] == _translated(language, "Reference") != "Reference"
    [row] = rows[1:]
    assert row[0] == dangerous_claim.reference
    assert row[2] == "01/03/2026" and row[3] == "31/03/2026"
    assert row[7] == f"{dangerous_claim.total:f}".replace(".", ",")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_xlsx_holds_real_dates_and_numbers(client_for, bob, dangerous_claim, language):
    response = _speaking(client_for(bob), language).get(f"/claims/{dangerous_claim.pk}/lines.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[6] == _translated(language, "Amount") != "Amount"
    assert sheet.title == _translated(language, "Lines")
    rows = list(sheet.iter_rows(min_row=2))
    for row in rows:
        covered_from, amount = row[4], row[6]
        assert covered_from.is_date and covered_from.value == datetime(2026, 3, 1)
        assert covered_from.number_format == "DD/MM/YYYY"
        assert amount.data_type == "n" and amount.number_format == "#,##0.00"
    assert sorted(row[6].value for row in rows) == pytest.approx([-120.50, 10, 625.00, 1811.57])


@pytest.mark.django_db
def test_xlsx_claims_export_sent_at_is_a_date_and_time(client_for, bob, sent_claim):
    response = _speaking(client_for(bob), "nl").get("/claims/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    sent_at = header.index(_translated("nl", "Sent at"))
    [row] = [row for row in sheet.iter_rows(min_row=2) if row[0].value == sent_claim.reference]
    assert row[sent_at].is_date and row[sent_at].number_format == "DD/MM/YYYY HH:MM"
    local = timezone.localtime(sent_claim.sent_at).replace(tzinfo=None, microsecond=0)
    assert abs((row[sent_at].value - local).total_seconds()) < 1
    assert row[2].is_date and row[7].data_type == "n"


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/claims/{pk}/lines.csv", "/claims/{pk}/lines.xlsx",
                                     "/claims/export.csv?lines=1", "/claims/export.xlsx?lines=1"])
def test_the_line_exports_query_count_does_not_grow_with_the_lines(client_for, bob, cpas_a, fake_source, generate,
                                                                   address):
    """Each line's claim reference names the CPAS: read with the lines, not once per line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for month, count in ((3, 5), (4, 60)):
        fake_source.items[:] = [fake_item(index, start=datetime(2026, month, 1).date(),
                                          end=datetime(2026, month, 28).date(), prefix=f"fake.month{month}")
                                for index in range(1, count + 1)]
        claim = generate(bob, cpas_a, month=month).claim
        client = client_for(bob)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address.format(pk=claim.pk))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
