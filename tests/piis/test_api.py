"""PIIS API: create, 400 with field errors, versioned updates, sign/end/cancel, evaluations; Charlie (CPAS B)
gets a 404 for every object of CPAS A, in the API, the pages and the admin."""


import pytest
from django.urls import reverse

from cpas_portal.models import Role
from measures.piis.models import Piis, PiisStatus
from tests.factories import BeneficiaryFactory, OrganisationFactory, member

from .factories import make_piis

pytestmark = pytest.mark.django_db


def test_create_and_read(api_client_for, alice, cpas_a, beneficiary_a):
    forem = OrganisationFactory(cpas=cpas_a)
    api = api_client_for(alice)
    response = api.post("/api/v1/piis/", {"beneficiary": beneficiary_a.pk, "kind": "community_service",
                                          "applied_on": "2026-01-05", "third_parties": [forem.pk],
                                          "objectives": "Volunteering at the food bank"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["third_parties"] == [forem.pk] and body["version"] == 1
    detail = api.get(f"/api/v1/piis/{body['id']}/")
    assert detail["ETag"] == '"v1"'
    assert detail.json()["deadlines"] == []  # born in 1990: no under-25 deadline


def test_invalid_input_is_a_400_with_field_errors(api_client_for, alice, cpas_b, beneficiary_a):
    api = api_client_for(alice)
    response = api.post("/api/v1/piis/", {"beneficiary": beneficiary_a.pk, "kind": "nonsense", "start": "2026-05-01",
                                          "end": "2026-04-01", "third_parties": [OrganisationFactory(cpas=cpas_b).pk]},
                        format="json")
    assert response.status_code == 400
    assert {"kind", "third_parties"} <= set(response.json())
    assert not Piis.objects.exists()


def test_update_sign_record_and_end(api_client_for, alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    api = api_client_for(alice)
    changed = api.patch(f"/api/v1/piis/{piis.pk}/", {"objectives": "New objectives", "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2 and changed["ETag"] == '"v2"'
    stale = api.patch(f"/api/v1/piis/{piis.pk}/", {"objectives": "Stale", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    precondition = api.patch(f"/api/v1/piis/{piis.pk}/", {"objectives": "Stale"}, format="json",
                             HTTP_IF_MATCH='"v1"')
    assert precondition.status_code == 412
    bad_sign = api.post(f"/api/v1/piis/{piis.pk}/sign/", {}, format="json")
    assert bad_sign.status_code == 400 and "signed_on" in bad_sign.json()
    signed = api.post(f"/api/v1/piis/{piis.pk}/sign/", {"signed_on": "2026-01-28", "start": "2026-02-01",
                                                        "end": "2027-01-31"}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    evaluations = api.get(f"/api/v1/piis/{piis.pk}/evaluations/").json()
    assert [e["planned_on"] for e in evaluations] == ["2026-06-01", "2026-10-01"]
    recorded = api.post(f"/api/v1/evaluations/{evaluations[0]['id']}/record/",
                        {"held_on": "2026-06-03", "face_to_face": True, "notes": "Fine"}, format="json")
    assert recorded.status_code == 200 and recorded.json()["held_on"] == "2026-06-03"
    added = api.post(f"/api/v1/piis/{piis.pk}/evaluations/", {"held_on": "2026-07-01", "face_to_face": False},
                     format="json")
    assert added.status_code == 201 and added.json()["planned_on"] is None
    twice = api.post(f"/api/v1/piis/{piis.pk}/sign/", {"signed_on": "2026-01-28"}, format="json")
    assert twice.status_code == 400 and "status" in twice.json()
    ended = api.post(f"/api/v1/piis/{piis.pk}/end/", {"end": "2026-08-01", "outcome": "job"}, format="json")
    assert ended.status_code == 200 and ended.json()["outcome"] == "job"
    assert api.get("/api/v1/evaluations/", {"piis": piis.pk}).json()["count"] == 2


def test_cancel(api_client_for, alice, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a, sign=True)
    response = api_client_for(alice).post(f"/api/v1/piis/{piis.pk}/cancel/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == PiisStatus.CANCELLED
    assert not piis.evaluations.exists()


def test_an_auditor_may_read_but_not_write(api_client_for, alice, auditor_a, beneficiary_a):
    piis = make_piis(alice, beneficiary=beneficiary_a)
    api = api_client_for(auditor_a)
    assert api.get(f"/api/v1/piis/{piis.pk}/").status_code == 200
    assert api.post(f"/api/v1/piis/{piis.pk}/cancel/", {}, format="json").status_code == 403


@pytest.fixture
def piis_a(alice, beneficiary_a):
    return make_piis(alice, beneficiary=beneficiary_a, sign=True)


def test_charlie_gets_404_for_cpas_a_in_the_api(api_client_for, charlie, piis_a, beneficiary_b):
    api = api_client_for(charlie)
    evaluation = piis_a.evaluations.first()
    for url in (f"/api/v1/piis/{piis_a.pk}/", f"/api/v1/piis/{piis_a.pk}/evaluations/",
                f"/api/v1/evaluations/{evaluation.pk}/"):
        assert api.get(url).status_code == 404, url
    for url in (f"/api/v1/piis/{piis_a.pk}/sign/", f"/api/v1/piis/{piis_a.pk}/end/",
                f"/api/v1/piis/{piis_a.pk}/cancel/", f"/api/v1/piis/{piis_a.pk}/evaluations/",
                f"/api/v1/evaluations/{evaluation.pk}/record/"):
        assert api.post(url, {"signed_on": "2026-01-01", "held_on": "2026-01-01", "face_to_face": True,
                              "end": "2026-05-01", "outcome": "job"}, format="json").status_code == 404, url
    assert api.patch(f"/api/v1/piis/{piis_a.pk}/", {"objectives": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/piis/").json()["count"] == 0
    assert api.get("/api/v1/evaluations/").json()["count"] == 0
    created = api.post("/api/v1/piis/", {"beneficiary": piis_a.beneficiary_id, "kind": "job"}, format="json")
    assert created.status_code == 400 and "beneficiary" in created.json()


def test_charlie_gets_404_for_cpas_a_in_the_pages(client_for, charlie, piis_a):
    client = client_for(charlie)
    evaluation = piis_a.evaluations.first()
    for name in ("piis_detail", "piis_edit", "piis_sign", "piis_end", "piis_cancel", "piis_evaluation_add",
                 "piis_pdf"):
        url = reverse(name, args=[piis_a.pk])
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code in (404, 405), url
    assert client.get(reverse("piis_evaluation_record", args=[evaluation.pk])).status_code == 404
    assert client.post(reverse("piis_evaluation_record", args=[evaluation.pk]), {}).status_code == 404
    assert f"/piis/{piis_a.pk}/" not in client.get(reverse("piis_list")).content.decode()
    assert client.get(reverse("piis_agenda")).context["page"].paginator.count == 0


def test_the_admin_is_read_only_and_scoped(client, cpas_a, cpas_b, piis_a):
    manager_b = member(cpas_b, Role.MANAGER, username="manager-b", is_staff=True)
    manager_a = member(cpas_a, Role.MANAGER, username="manager-a", is_staff=True)
    from django.contrib.auth.models import Permission

    for user in (manager_a, manager_b):
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="piis"))
    evaluation = piis_a.evaluations.first()
    client.force_login(manager_b)
    assert client.get(reverse("admin:piis_piis_change", args=[piis_a.pk])).status_code == 404
    assert client.get(reverse("admin:piis_piis_history", args=[piis_a.pk])).status_code == 404
    assert client.get(reverse("admin:piis_evaluation_change", args=[evaluation.pk])).status_code == 404
    client.force_login(manager_a)
    assert client.get(reverse("admin:piis_piis_change", args=[piis_a.pk])).status_code == 200
    assert client.get(reverse("admin:piis_piis_history", args=[piis_a.pk])).status_code == 200
    assert client.post(reverse("admin:piis_piis_change", args=[piis_a.pk]), {"objectives": "x"}).status_code == 403
    assert client.post(reverse("admin:piis_piis_add"), {}).status_code == 403
    version = piis_a.history.order_by("history_id").first()
    assert client.post(reverse("admin:piis_piis_simple_history", args=[piis_a.pk, version.history_id]),
                       {"status": "draft"}).status_code == 403
    piis_a.refresh_from_db()
    assert piis_a.status == PiisStatus.SIGNED


def test_the_list_of_another_referent_is_not_mine(api_client_for, alice, bob, cpas_a):
    make_piis(alice, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_a, referent=bob))
    assert api_client_for(alice).get("/api/v1/piis/", {"status": "draft"}).json()["count"] == 1
