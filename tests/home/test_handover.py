"""A manager hands all or some files of one caseworker to another, recorded in each file's history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cpas_portal import services
from cpas_portal.models import Beneficiary
from tests.factories import BeneficiaryFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def olivier(cpas_a):
    return member(cpas_a, "caseworker", username="olivier", first_name="Olivier", last_name="Noël")


@pytest.fixture
def files(cpas_a, alice):
    return BeneficiaryFactory.create_batch(3, cpas=cpas_a, referent=alice)


def test_all_files_in_one_step_with_history(client_for, manager_a, alice, olivier, files):
    response = client_for(manager_a).post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": olivier.pk, "scope": "all"})
    assert response.status_code == 302
    for beneficiary in files:
        before = beneficiary.version
        beneficiary.refresh_from_db()
        assert beneficiary.referent_id == olivier.pk and beneficiary.version == before + 1
        record = beneficiary.history.latest()
        assert record.history_user_id == manager_a.pk
        # The reason is written in the manager's language (French, the default).
        assert record.history_change_reason == "transfert de Alice Lambert à Olivier Noël"
        assert record.referent_id == olivier.pk


def test_some_files(client_for, manager_a, alice, olivier, files):
    chosen = [files[0].pk, files[2].pk]
    response = client_for(manager_a).post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": olivier.pk, "scope": "selected", "beneficiaries": chosen})
    assert response.status_code == 302
    referents = dict(Beneficiary.objects.filter(pk__in=[f.pk for f in files]).values_list("pk", "referent_id"))
    assert referents == {files[0].pk: olivier.pk, files[1].pk: alice.pk, files[2].pk: olivier.pk}


def test_the_drill_down_offers_the_files_as_checkboxes(client_for, manager_a, alice, files):
    page = client_for(manager_a).get(reverse("home"), {"caseworker": alice.pk}).content.decode()
    for beneficiary in files:
        assert f'name="beneficiaries" value="{beneficiary.pk}"' in page
        assert beneficiary.niss not in page


def test_a_long_caseworker_list_is_cut_and_searched(client_for, manager_a, alice, cpas_a, monkeypatch):
    from cpas_portal import home

    monkeypatch.setattr(home, "FILES_SHOWN", 2)
    people = [BeneficiaryFactory(cpas=cpas_a, referent=alice, last_name=name, first_name="Jo")
              for name in ("Aerts", "Bosmans", "Claes", "Dupont")]
    BeneficiaryFactory(cpas=cpas_a, last_name="Dupont", first_name="Other")  # followed by nobody: never listed
    client = client_for(manager_a)
    page = client.get(reverse("home"), {"caseworker": alice.pk}).content.decode()
    ticked = [person for person in people if f'name="beneficiaries" value="{person.pk}"' in page]
    assert ticked == people[:2]  # the first two by name
    assert 'id="files-cut"' in page and 'name="files"' in page and "4" in page.split('id="files-cut"')[1][:200]
    page = client.get(reverse("home"), {"caseworker": alice.pk, "files": "dupo"}).content.decode()
    ticked = [person for person in people if f'name="beneficiaries" value="{person.pk}"' in page]
    assert ticked == [people[3]] and 'id="files-cut"' not in page
    page = client.get(reverse("home"), {"caseworker": alice.pk, "files": "nobody"}).content.decode()
    assert 'name="beneficiaries"' not in page and 'id="files-none"' in page


@pytest.mark.parametrize("typed", ["9" * 10_000, "85.07.30-033.61", "<script>", "%", "  "])
def test_the_file_search_takes_any_text(client_for, manager_a, alice, files, typed):
    response = client_for(manager_a).get(reverse("home"), {"caseworker": alice.pk, "files": typed})
    assert response.status_code == 200
    assert 'value="<script>"' not in response.content.decode()


def test_selected_scope_needs_a_file(client_for, manager_a, alice, olivier, files):
    response = client_for(manager_a).post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": olivier.pk, "scope": "selected"})
    assert response.status_code == 400
    assert response.context["form"].errors["beneficiaries"]


def test_a_file_of_someone_else_is_refused(client_for, manager_a, alice, olivier, files, cpas_a):
    stranger = BeneficiaryFactory(cpas=cpas_a, referent=olivier)
    response = client_for(manager_a).post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": olivier.pk, "scope": "selected",
        "beneficiaries": [files[0].pk, stranger.pk]})
    assert response.status_code == 400
    assert Beneficiary.objects.get(pk=files[0].pk).referent_id == alice.pk


def test_same_caseworker_is_refused(client_for, manager_a, alice, files):
    response = client_for(manager_a).post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": alice.pk, "scope": "all"})
    assert response.status_code == 400
    assert "to_caseworker" in response.context["form"].errors


@pytest.mark.parametrize("who", ["alice", "bob", "auditor_a"])
def test_only_managers(request, client_for, who, alice, olivier, files):
    user = request.getfixturevalue(who)
    response = client_for(user).post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": olivier.pk, "scope": "all"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.files_hand_over(acting_user=user, cpas=alice.membership.cpas, from_caseworker=alice,
                                 to_caseworker=olivier)
    assert set(Beneficiary.objects.values_list("referent_id", flat=True)) == {alice.pk}


def test_a_manager_of_b_never_sees_nor_hands_over_a(client_for, manager_b, charlie, alice, olivier, files, cpas_b):
    client = client_for(manager_b)
    assert client.get(reverse("home"), {"caseworker": alice.pk}).status_code == 404
    assert client.get(reverse("home"), {"caseworker": "x"}).status_code == 404
    page = client.get(reverse("home"))
    assert {user.username for user, _groups in page.context["rows"]} == {"charlie", "nathan"}
    assert "Alice" not in page.content.decode()
    response = client.post(reverse("files_handover"), {
        "from_caseworker": alice.pk, "to_caseworker": charlie.pk, "scope": "all"})
    assert response.status_code == 400
    assert "from_caseworker" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        services.files_hand_over(acting_user=manager_b, cpas=cpas_b, from_caseworker=alice, to_caseworker=charlie)
    assert "from_caseworker" in refused.value.message_dict
    assert set(Beneficiary.objects.filter(cpas=alice.membership.cpas).values_list("referent_id", flat=True)) == {
        alice.pk}
