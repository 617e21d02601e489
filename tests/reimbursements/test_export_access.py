"""Exports with full national numbers are finance's and managers'; every export is in the consultation log."""

import pytest

from cpas_portal.identifiers import niss_display, niss_masked
from cpas_portal.models import ConsultationKind, ConsultationLog, Role
from tests.factories import member

from .factories import fake_item

pytestmark = pytest.mark.django_db
NISS = fake_item(1).niss


@pytest.fixture
def claim(bob, cpas_a, fake_source, generate):
    return generate(bob, cpas_a).claim


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="mona")


def lines_urls(claim):
    return [f"/claims/{claim.pk}/lines.csv", f"/claims/{claim.pk}/lines.xlsx", "/claims/export.csv?lines=1",
            "/claims/export.xlsx?lines=1"]


@pytest.mark.parametrize("reader", ["alice", "auditor_a"])
def test_caseworkers_and_auditors_get_no_full_national_numbers(request, client_for, claim, reader):
    client = client_for(request.getfixturevalue(reader))
    for url in lines_urls(claim):
        assert client.get(url).status_code == 403, url
    assert not ConsultationLog.objects.exists()
    masked = client.get(f"/claims/{claim.pk}/lines.csv?masked=1")
    assert masked.status_code == 200
    text = masked.content.decode("utf-8-sig")
    assert niss_masked(NISS) in text and NISS not in text and niss_display(NISS) not in text
    assert client.get("/claims/export.csv?lines=1&masked=1").status_code == 200
    assert client.get("/claims/export.csv").status_code == 200  # the claims themselves: no national number
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert f"/claims/{claim.pk}/lines.csv?masked=1" in page and f'/claims/{claim.pk}/lines.csv"' not in page


@pytest.mark.parametrize("reader", ["bob", "manager_a"])
def test_finance_and_managers_export_full_national_numbers(request, client_for, claim, reader):
    client = client_for(request.getfixturevalue(reader))
    response = client.get(f"/claims/{claim.pk}/lines.csv")
    assert response.status_code == 200
    assert niss_display(NISS) in response.content.decode("utf-8-sig")
    assert client.get("/claims/export.xlsx?lines=1").status_code == 200
    assert f'/claims/{claim.pk}/lines.csv"' in client.get(f"/claims/{claim.pk}/").content.decode()


def test_every_export_is_logged(client_for, bob, alice, claim, cpas_a):
    client_for(bob).get(f"/claims/{claim.pk}/lines.csv")
    client_for(bob).get("/claims/export.xlsx?lines=1&measure=art60")
    client_for(alice).get(f"/claims/{claim.pk}/lines.xlsx?masked=1")
    client_for(alice).get("/claims/export.csv")
    log = list(ConsultationLog.objects.order_by("id").values_list("username", "kind", "claim_id", "export", "cpas"))
    assert log == [
        ("bob", ConsultationKind.EXPORT, claim.pk, f"{claim.reference} lines.csv", cpas_a.pk),
        ("bob", ConsultationKind.EXPORT, None, "claim lines.xlsx measure=art60 status=*", cpas_a.pk),
        ("alice", ConsultationKind.EXPORT, claim.pk, f"{claim.reference} lines.xlsx (masked)", cpas_a.pk),
        ("alice", ConsultationKind.EXPORT, None, "claims.csv measure=* status=*", cpas_a.pk),
    ]


def test_the_pdf_download_is_logged(client_for, api_client_for, bob, claim):
    assert client_for(bob).get(f"/claims/{claim.pk}/pdf/").status_code == 200
    assert api_client_for(bob).get(f"/api/v1/claims/{claim.pk}/pdf/").status_code == 200
    assert list(ConsultationLog.objects.order_by("id").values_list("claim_id", "export")) == [
        (claim.pk, f"{claim.reference}.pdf"), (claim.pk, f"{claim.reference}.pdf (API)")]


def test_charlie_neither_exports_nor_is_logged_against_cpas_a(client_for, charlie, claim):
    assert client_for(charlie).get(f"/claims/{claim.pk}/lines.csv?masked=1").status_code == 404
    assert not ConsultationLog.objects.exists()
