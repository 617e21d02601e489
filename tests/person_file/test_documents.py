"""Documents of a person's file: private storage per CPAS, types read from the content, a size limit, and a
download that checks the CPAS and the role (never a public URL)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cpas_portal import services
from cpas_portal.models import ConsultationLog, PersonDocument

from .conftest import HTML_AS_PDF, PDF, PNG

pytestmark = pytest.mark.django_db


def upload(content, name="payslip.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def page_upload(client, person, content, name="payslip.pdf", kind="payslip"):
    return client.post(reverse("document_upload", args=[person.pk]),
                       {"kind": kind, "title": "", "file": upload(content, name)})


def test_an_upload_is_stored_privately_under_its_cpas_and_served_as_an_attachment(client_for, alice, beneficiary_a,
                                                                                  documents_root):
    client = client_for(alice)
    assert page_upload(client, beneficiary_a, PDF, name="../../etc/fiche de paie.pdf").status_code == 302
    document = PersonDocument.objects.get()
    stored = Path(document.file.path)
    assert stored.is_relative_to(documents_root / beneficiary_a.cpas.nis_code)
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.read_bytes() == PDF and ".." not in document.file.name
    assert (document.content_type, document.size, document.uploaded_by) == ("application/pdf", len(PDF), alice)
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018  (no public address exists)
    response = client.get(reverse("document_download", args=[beneficiary_a.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ConsultationLog.objects.filter(kind="document", beneficiary=beneficiary_a, user=alice).count() == 1


def test_a_refused_type_is_a_clear_400(client_for, api_client_for, alice, beneficiary_a):
    page = page_upload(client_for(alice), beneficiary_a, HTML_AS_PDF)
    assert page.status_code == 400
    assert "PDF, PNG" in page.context["form"].errors["file"][0]
    api = api_client_for(alice).post(f"/api/v1/beneficiaries/{beneficiary_a.pk}/documents/",
                                     {"kind": "payslip", "file": upload(HTML_AS_PDF)}, format="multipart")
    assert api.status_code == 400 and "PDF, PNG" in api.json()["file"][0]
    assert not PersonDocument.objects.exists()


def test_a_file_over_the_limit_is_a_clear_400(client_for, api_client_for, alice, beneficiary_a, documents_root):
    too_big = PDF + b"0" * settings.CPAS_DOCUMENT_MAX_BYTES
    page = page_upload(client_for(alice), beneficiary_a, too_big)
    assert page.status_code == 400 and "limit" in page.context["form"].errors["file"][0]
    api = api_client_for(alice).post(f"/api/v1/beneficiaries/{beneficiary_a.pk}/documents/",
                                     {"kind": "payslip", "file": upload(too_big)}, format="multipart")
    assert api.status_code == 400 and "limit" in api.json()["file"][0]
    assert not PersonDocument.objects.exists()
    assert not any(documents_root.rglob("*.pdf"))


def test_the_api_uploads_lists_and_downloads(api_client_for, alice, beneficiary_a):
    api = api_client_for(alice)
    url = f"/api/v1/beneficiaries/{beneficiary_a.pk}/documents/"
    created = api.post(url, {"kind": "employer_form", "title": "C4", "file": upload(PNG, "c4.png")},
                       format="multipart")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["content_type"] == "image/png" and "url" not in body
    assert [row["id"] for row in api.get(url).json()["results"]] == [body["id"]]
    download = api.get(body["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["X-Content-Type-Options"] == "nosniff"


def test_another_cpas_document_is_a_404(client_for, api_client_for, alice, charlie, beneficiary_a, beneficiary_b):
    document = services.document_upload(acting_user=alice, beneficiary=beneficiary_a, kind="payslip",
                                        upload=upload(PDF))
    page, api = client_for(charlie), api_client_for(charlie)
    assert page.get(reverse("document_download", args=[beneficiary_a.pk, document.pk])).status_code == 404
    # Charlie's own person in the path does not reach another CPAS's document either.
    assert page.get(reverse("document_download", args=[beneficiary_b.pk, document.pk])).status_code == 404
    base = f"/api/v1/beneficiaries/{beneficiary_a.pk}/documents/"
    assert api.get(f"{base}{document.pk}/download/").status_code == 404
    assert api.get(f"{base}{document.pk}/").status_code == 404
    assert api.get(f"/api/v1/beneficiaries/{beneficiary_b.pk}/documents/{document.pk}/download/").status_code == 404


def test_roles_upload_and_read_documents(client_for, bob, auditor_a, alice, beneficiary_a):
    document = services.document_upload(acting_user=alice, beneficiary=beneficiary_a, kind="signed_piis",
                                        upload=upload(PDF))
    url = reverse("document_download", args=[beneficiary_a.pk, document.pk])
    assert client_for(auditor_a).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 200
    assert page_upload(client_for(auditor_a), beneficiary_a, PDF).status_code == 403
    assert page_upload(client_for(bob), beneficiary_a, PDF).status_code == 403
    assert PersonDocument.objects.count() == 1


def test_the_admin_lists_documents_read_only_and_never_links_the_file(admin_client, alice, beneficiary_a):
    from django.contrib import admin

    from cpas_portal.tenancy import ServiceWrittenAdmin

    document = services.document_upload(acting_user=alice, beneficiary=beneficiary_a, kind="payslip",
                                        upload=upload(PDF))
    assert isinstance(admin.site._registry[PersonDocument], ServiceWrittenAdmin)
    page = admin_client.get(reverse("admin:cpas_portal_persondocument_change", args=[document.pk]))
    assert page.status_code == 200 and document.file.name not in page.content.decode()
    forged = admin_client.post(reverse("admin:cpas_portal_persondocument_change", args=[document.pk]),
                               {"kind": "other", "original_name": "forged.pdf"})
    assert forged.status_code == 403
    document.refresh_from_db()
    assert (document.kind, document.original_name) == ("payslip", "payslip.pdf")
