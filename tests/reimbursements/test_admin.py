import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from reimbursements.models import ClaimBatch, ClaimLine, ClaimSignature, GenerationJob
from tests.factories import UserFactory

from .factories import fake_item

ADMIN_MODELS = ("claim", "claimline", "claimsignature", "generationjob", "statementimport", "statementrecord")


@pytest.fixture
def charlie_staff(charlie):
    charlie.is_staff = True
    charlie.save()
    charlie.user_permissions.set(Permission.objects.filter(content_type__app_label="reimbursements",
                                                           codename__startswith="view_"))
    return charlie


@pytest.mark.django_db
def test_charlie_gets_404_on_the_admin_change_pages_of_cpas_a(client_for, charlie_staff, bob, sent_claim):
    client = client_for(charlie_staff)
    objects = {
        "claim": sent_claim.pk,
        "claimline": ClaimLine.objects.filter(claim=sent_claim).first().pk,
        "claimsignature": ClaimSignature.objects.filter(claim=sent_claim).first().pk,
        "generationjob": GenerationJob.objects.first().pk,
    }
    for model, pk in objects.items():
        assert client.get(f"/admin/reimbursements/{model}/{pk}/change/").status_code == 404, model
        assert client.get(f"/admin/reimbursements/{model}/").status_code == 200
    assert sent_claim.reference not in client.get("/admin/reimbursements/claim/").content.decode()
    assert client.get(f"/admin/reimbursements/claim/{sent_claim.pk}/history/").status_code == 404


@pytest.mark.django_db
def test_a_staff_member_of_cpas_a_sees_its_claims_read_only(client_for, bob, sent_claim):
    bob.is_staff = True
    bob.save()
    bob.user_permissions.set(Permission.objects.filter(content_type__app_label="reimbursements"))
    client = client_for(bob)
    page = client.get(f"/admin/reimbursements/claim/{sent_claim.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    lines = client.get("/admin/reimbursements/claimline/").content.decode()
    assert "90.05.17-***.**" in lines and "90051700255" not in lines


@pytest.mark.django_db
def test_the_batch_admin_generates_claims_for_every_cpas(client, cpas_a, cpas_b, bob, finance_b, fake_source,
                                                         django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    fake_source.items.append(fake_item(20))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/reimbursements/claimbatch/add/", {"measure": "art60", "period_kind": "month",
                                                                         "year": 2026, "number": 3})
    batch = ClaimBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/batches/{batch.pk}/"
    assert batch.jobs.count() == 2
    assert set(batch.jobs.values_list("status", "percent")) == {("done", 100)}
    progress = client.get(f"/claims/batches/{batch.pk}/").content.decode()
    assert 'value="100"' in progress
    assert client.get("/admin/reimbursements/claimbatch/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/reimbursements/claimbatch/", {"action": "start_again", "_selected_action": [batch.pk]})
    assert ClaimBatch.objects.count() == 2


@pytest.mark.django_db
def test_the_batch_is_for_administrators_only(client_for, bob):
    assert client_for(bob).get("/admin/reimbursements/claimbatch/add/").status_code == 302
    from django.core.exceptions import PermissionDenied

    from reimbursements import services

    with pytest.raises(PermissionDenied):
        services.claim_batch_start(acting_user=bob, measure="art60", period_kind="month", year=2026, number=3)


@pytest.mark.django_db
def test_the_batch_command(cpas_a, cpas_b, fake_source, django_capture_on_commit_callbacks, capsys):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("claims_batch", "--measure", "art60", "--quarter", "2026-1", "--user", "root")
    batch = ClaimBatch.objects.get()
    assert (batch.period_start.isoformat(), batch.period_end.isoformat()) == ("2026-01-01", "2026-03-31")
    assert batch.jobs.count() == 2
    assert set(batch.jobs.values_list("status", flat=True)) == {"done"}
    assert "Batch" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_batch_command_follows_the_progress(cpas_a, fake_source, capsys):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    call_command("claims_batch", "--measure", "art60", "--month", "2026-03", "--user", "root", "--wait",
                 "--timeout", "30")
    assert "100 %  done 1/1, failed 0" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_batch_command_refuses_a_wrong_period(cpas_a):
    from django.core.management.base import CommandError

    UserFactory(username="root", is_staff=True, is_superuser=True)
    with pytest.raises(CommandError):
        call_command("claims_batch", "--measure", "art60", "--month", "March", "--user", "root")
