"""SPP IS's statements through the service, the pages and the API: import, match, differences, by hand."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reimbursements import statement, statements
from reimbursements.models import StatementImport, StatementJob, StatementRecord

DATA = Path(__file__).parent / "data"
TXT = DATA / "statement_92094_2026_04.txt"
CSV = DATA / "statement_92094_2026_04.csv"
MARCH = {"nis_code": "92094", "year_month": "2026-04", "first_day": date(2026, 3, 1), "last_day": date(2026, 3, 31)}

pytestmark = pytest.mark.django_db


def _import(user, cpas, path=TXT, content=None, name=None):
    return statements.statement_import(acting_user=user, cpas=cpas, file_name=name or path.name,
                                       content=content if content is not None else path.read_bytes())


def _line(claim, name):
    return claim.lines.get(beneficiary_name=name)


def test_the_sample_imports_matches_and_shows_differences_and_the_states_share(bob, cpas_a, sent_claim):
    imported, created = _import(bob, cpas_a)
    assert created and imported.record_count == 3 and imported.total == Decimal("2661.57")
    rows = {record.row: record for record in imported.records.select_related("line")}
    assert (rows[1].state, rows[1].line.beneficiary_name, rows[1].difference) == ("matched", "Amélie Dubois", 0)
    assert (rows[2].state, rows[2].line.beneficiary_name, rows[2].difference) == (
        "differs", "Julien Renard", Decimal("-25.00"))
    assert (rows[3].state, rows[3].line) == ("unmatched", None)
    # Budget article 102 → 60 % (seeded with its source): the State's share of each amount at 100 %.
    assert [(rows[row].state_percentage, rows[row].state_share) for row in (1, 2, 3)] == [
        (Decimal("60.00"), Decimal("1086.94")), (Decimal("60.00"), Decimal("360.00")),
        (Decimal("60.00"), Decimal("150.00"))]
    assert (rows[1].name, rows[1].dossier, rows[1].form_reference) == ("DUBOIS AMÉLIE", "00000012345", "B26030000001")
    sent_claim.refresh_from_db()
    assert sent_claim.status == "partly_paid"


def test_importing_it_twice_or_in_the_other_format_changes_nothing(bob, cpas_a, sent_claim):
    first, _created = _import(bob, cpas_a)
    history = StatementRecord.history.count()
    again, created = _import(bob, cpas_a)
    assert (again.pk, created) == (first.pk, False)
    as_csv, created = _import(bob, cpas_a, CSV)
    assert (as_csv.pk, created) == (first.pk, False)
    assert StatementImport.objects.count() == 1 and StatementRecord.objects.count() == 3
    assert StatementRecord.history.count() == history


def test_an_unknown_budget_article_has_no_share_rather_than_a_guess(bob, cpas_a):
    content = statement.format_record(**MARCH, niss="85073003328", amount="100.00", budget_article="999").encode()
    record = _import(bob, cpas_a, content=content, name="x.txt")[0].records.get()
    assert (record.state_percentage, record.state_share) == (None, None)


def test_a_refused_record_reopens_its_item(bob, cpas_a, sent_claim):
    amelie = _line(sent_claim, "Amélie Dubois")
    content = statement.format_record(**MARCH, niss=amelie.niss, amount="1811.57", refusal_code="17").encode()
    record = _import(bob, cpas_a, content=content, name="refused.txt")[0].records.get()
    assert (record.state, record.line_id) == ("rejected", amelie.pk)
    amelie.refresh_from_db()
    assert not amelie.live  # the item may be claimed again


def test_a_recovery_of_a_claimed_line_reopens_it_but_pays_a_claimed_recovery(bob, cpas_a, sent_claim):
    julien, sarah = _line(sent_claim, "Julien Renard"), _line(sent_claim, "Sarah Martin")
    content = "\n".join([
        statement.format_record(**MARCH, niss=julien.niss, amount="-625.00", amount_type=3),
        statement.format_record(**MARCH, niss=sarah.niss, amount="-120.50", amount_type=3),
    ]).encode()
    rows = {record.row: record for record in _import(bob, cpas_a, content=content, name="r.txt")[0].records.all()}
    assert (rows[1].state, rows[2].state) == ("rejected", "matched")
    julien.refresh_from_db()
    sarah.refresh_from_db()
    assert (julien.live, sarah.live) == (False, True)


def test_regularisations_are_amount_types_4_to_6(bob, cpas_a, sent_claim):
    sarah = _line(sent_claim, "Sarah Martin")
    content = statement.format_record(**MARCH, niss=sarah.niss, amount="-120.50", amount_type=6).encode()
    record = _import(bob, cpas_a, content=content, name="reg.txt")[0].records.get()
    assert record.is_regularisation and record.state == "matched"


def test_match_by_hand_and_not_ours_keep_who_did_it(bob, cpas_a, sent_claim):
    sarah = _line(sent_claim, "Sarah Martin")
    february = {**MARCH, "first_day": date(2026, 2, 1), "last_day": date(2026, 2, 28)}
    imported, _created = _import(bob, cpas_a, content="\n".join([
        statement.format_record(**february, niss=sarah.niss, amount="-120.50"),
        statement.format_record(**MARCH, niss="85073003328", amount="99.00"),
    ]).encode(), name="hand.txt")
    late, stranger = imported.records.order_by("row")
    assert late.state == stranger.state == "unmatched"
    matched = statements.statement_record_match(acting_user=bob, record=late, line=sarah)
    assert (matched.state, matched.line_id, matched.manual) == ("matched", sarah.pk, True)
    assert matched.history.first().history_user == bob
    with pytest.raises(Exception, match="non associé"):
        statements.statement_record_not_ours(acting_user=bob, record=late)
    set_aside = statements.statement_record_not_ours(acting_user=bob, record=stranger, note="Another CPAS's person")
    assert (set_aside.state, set_aside.note, set_aside.history.first().history_user) == (
        "not_ours", "Another CPAS's person", bob)


def test_the_import_is_set_based(bob, cpas_a, sent_claim):
    """The number of queries does not grow with the number of records (15,000 in a large CPAS)."""
    def queries(copies):
        rows = [statement.format_record(**MARCH, niss="85073003328", amount=f"{copies}.{index:02d}")
                for index in range(copies)]
        with CaptureQueriesContext(connection) as captured:
            _import(bob, cpas_a, content="\n".join(rows).encode(), name=f"{copies}.txt")
        return len(captured)

    assert queries(5) == queries(60)


# Pages -------------------------------------------------------------------------------------

def test_the_pages_import_show_and_act(client_for, bob, cpas_a, sent_claim, django_capture_on_commit_callbacks):
    client = client_for(bob)
    with TXT.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/statements/", {"file": upload})
    imported = StatementImport.objects.get()
    job = StatementJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/statements/imports/{job.pk}/"
    assert (job.status, job.statement, job.created_statement, job.percent) == ("done", imported, True, 100)
    assert f"/claims/statements/{imported.pk}/" in client.get(response["Location"]).content.decode()
    # The same records again, as CSV: the second job finds the first import and changes nothing.
    with CSV.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        assert client.post("/claims/statements/", {"file": upload}).status_code == 302
    again = StatementJob.objects.order_by("-pk").first()
    assert (again.status, again.statement, again.created_statement) == ("done", imported, False)
    assert StatementImport.objects.count() == 1
    page = client.get(f"/claims/statements/{imported.pk}/").content.decode()
    assert "1.086,94" in page and "360,00" in page  # the State's share, in the user's format
    stranger = imported.records.get(row=3)
    response = client.post(f"/claims/statements/records/{stranger.pk}/not-ours/", {"note": "Not ours"})
    assert response.status_code == 302
    stranger.refresh_from_db()
    assert stranger.state == "not_ours"
    again = client.post(f"/claims/statements/records/{stranger.pk}/not-ours/", {"note": ""})
    assert again.status_code == 400
    assert "format" in client.get("/claims/statements/").content.decode()
    described = client.get("/claims/statements/format/").content.decode()
    assert "refusal_code" in described and "122" in described


def test_the_page_refuses_another_layout_with_the_line_and_field(client_for, bob, cpas_a,
                                                                 django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    old = SimpleUploadedFile("old.txt", b"0292094202604A0001      90051700255ART60-0001  1202603012026033144.55.01  "
                                        b"+00000181157\n")
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/statements/", {"file": old})
    # The job reports the refusal as the form would: the field errors of "file", on the job's page.
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "“legislation”" in response.content.decode()
    assert "1" in StatementJob.objects.get().errors["file"][0] and "“legislation”" in StatementJob.objects.get().errors[
        "file"][0]
    assert not StatementImport.objects.exists()


def test_charlie_cannot_reach_cpas_a_records(client_for, api_client_for, bob, charlie, cpas_a, sent_claim):
    record = _import(bob, cpas_a)[0].records.get(row=3)
    assert client_for(charlie).post(f"/claims/statements/records/{record.pk}/not-ours/", {}).status_code in (403, 404)
    assert api_client_for(charlie).get(f"/api/v1/statement-records/{record.pk}/").status_code == 404
    record.refresh_from_db()
    assert record.state == "unmatched"


# API ---------------------------------------------------------------------------------------

def test_the_api_imports_lists_and_acts(api_client_for, bob, cpas_a, sent_claim, django_capture_on_commit_callbacks):
    api = api_client_for(bob)
    with TXT.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/statements/", {"file": upload}, format="multipart")
    assert created.status_code == 202, created.json()
    job = api.get(created["Location"]).json()
    assert (job["status"], job["percent"], job["created_statement"], job["errors"]) == ("done", 100, True, {})
    pk = job["statement"]
    with CSV.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        again = api.post("/api/v1/statements/", {"file": upload}, format="multipart")
    again = api.get(again["Location"]).json()
    assert (again["statement"], again["created_statement"]) == (pk, False)
    records = api.get(f"/api/v1/statements/{pk}/records/").json()["results"]
    assert [(row["state"], row["amount"], row["state_share"], row["difference"]) for row in records] == [
        ("matched", "1811.57", "1086.94", "0.00"), ("differs", "600.00", "360.00", "-25.00"),
        ("unmatched", "250.00", "150.00", None)]
    assert "85073003328" not in str(records)
    sarah = _line(sent_claim, "Sarah Martin")
    matched = api.post(f"/api/v1/statement-records/{records[2]['id']}/match/", {"line": sarah.pk}, format="json")
    assert matched.status_code == 200 and matched.json()["state"] == "rejected"  # 250.00 against a recovery
    sarah.refresh_from_db()
    assert not sarah.live
    refused = api.post(f"/api/v1/statement-records/{records[2]['id']}/not-ours/", {}, format="json")
    assert refused.status_code == 400 and "record" in refused.json()
    layout = api.get("/api/v1/statements/layout/").json()
    assert layout["record_length"] == 122 and layout["fields"][0]["name"] == "legislation"


def test_the_api_refuses_another_layout_with_the_line_and_field(api_client_for, bob, cpas_a,
                                                                django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = api_client_for(bob)
    bad = SimpleUploadedFile("s.csv", CSV.read_bytes().replace(b";000102;", b";10.2;", 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/statements/", {"file": bad}, format="multipart")
    assert response.status_code == 202
    # The job ends failed with the field errors a 400 would have held.
    job = api.get(response["Location"]).json()
    assert job["status"] == "failed" and job["statement"] is None
    assert "“budget_article”" in job["errors"]["file"][0] and "2" in job["errors"]["file"][0]
    nul = SimpleUploadedFile("s.txt", TXT.read_bytes()[:10] + b"\x00" + TXT.read_bytes()[10:])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/statements/", {"file": nul}, format="multipart")
    assert "NUL" in api.get(response["Location"]).json()["errors"]["file"][0]
    empty = SimpleUploadedFile("s.txt", b"\n\n")
    assert api.post("/api/v1/statements/", {"file": empty}, format="multipart").status_code == 400


def test_budget_articles_are_dated_data_with_their_source(bob, cpas_a):
    from reimbursements.models import BudgetArticle

    seeded = BudgetArticle.objects.get(article="102")
    assert seeded.state_percentage == Decimal("60.00") and "Primabook" in seeded.source and not seeded.verified
    BudgetArticle.objects.create(article="102", effective_date=date(2026, 3, 15), state_percentage=Decimal("65.00"),
                                 source="test: a later rate")
    content = "\n".join([
        statement.format_record(**{**MARCH, "first_day": date(2026, 3, 14), "last_day": date(2026, 3, 14)},
                                niss="85073003328", amount="100.00"),
        statement.format_record(**{**MARCH, "first_day": date(2026, 3, 15), "last_day": date(2026, 3, 15)},
                                niss="85073003328", amount="100.00"),
    ]).encode()
    shares = [record.state_share for record in _import(bob, cpas_a, content=content, name="d.txt")[0].records.all()]
    assert shares == [Decimal("60.00"), Decimal("65.00")]  # the day before and the day of the change
