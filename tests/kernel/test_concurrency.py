"""Two people editing the same beneficiary or placement: the second save is refused, never lost.

Pages answer 409 with the user's input kept and what the other person changed (old → new), in the
user's language; the API has ETag / If-Match (412) and a ``version`` in the body (409); the admin
refuses a stale save too.
"""

import threading
from datetime import date

import pytest
from django.db import close_old_connections
from django.forms.models import model_to_dict
from django.urls import reverse

from cpas_portal import services
from cpas_portal.concurrency import StaleVersion, bump_version
from cpas_portal.models import Beneficiary
from measures import services as measures_services
from tests.helpers import requires_postgresql, right_decisions_inline
from tests.measures.factories import placement

pytestmark = pytest.mark.django_db


def beneficiary_form_data(beneficiary, **changes):
    data = model_to_dict(beneficiary, fields=[
        "niss", "last_name", "first_name", "birth_date", "sex", "language", "street", "postal_code", "city",
        "referent"])
    data = {key: ("" if value is None else value) for key, value in data.items()}
    return {**data, "version": beneficiary.version, **changes}


def test_every_save_moves_the_version_and_a_stale_one_is_refused_with_what_changed(alice, beneficiary_a):
    assert beneficiary_a.version == 1
    services.beneficiary_update(acting_user=alice, beneficiary=beneficiary_a, version=1, first_name="Amelia")
    with pytest.raises(StaleVersion) as refused:
        services.beneficiary_update(acting_user=alice, beneficiary=beneficiary_a, version=1, city="Liège")
    assert refused.value.current == 2
    assert [change[0] for change in refused.value.changes] == ["first_name"]
    assert ("first_name", "prénom", "Amélie", "Amelia") in refused.value.changes  # the default language
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.version == 2 and beneficiary_a.city == "" and beneficiary_a.first_name == "Amelia"


def test_the_second_page_save_gets_409_with_the_changes_in_french_and_keeps_the_input(client_for, alice,
                                                                                     beneficiary_a):
    url = reverse("beneficiary_edit", args=[beneficiary_a.pk])
    client = client_for(alice)
    loaded = beneficiary_form_data(beneficiary_a)
    first = client.post(url, {**loaded, "first_name": "Amelia"})
    assert first.status_code == 302
    second = client.post(url, {**loaded, "city": "Liège"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert second.status_code == 409
    page = second.content.decode()
    assert "prénom" in page and "Amélie → Amelia" in page
    assert 'value="Liège"' in page and 'name="version" value="2"' in page
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.city == "" and beneficiary_a.first_name == "Amelia"
    # Saving the re-displayed form again is a deliberate overwrite.
    again = client.post(url, {**loaded, "city": "Liège", "version": 2})
    assert again.status_code == 302
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.city == "Liège" and beneficiary_a.version == 3


def test_the_edit_page_carries_the_version_it_was_loaded_from(client_for, alice, beneficiary_a):
    services.beneficiary_update(acting_user=alice, beneficiary=beneficiary_a, city="Namur")
    page = client_for(alice).get(reverse("beneficiary_edit", args=[beneficiary_a.pk])).content.decode()
    assert 'type="hidden" name="version" value="2"' in page


def test_the_api_detail_has_an_etag_and_honours_if_match(api_client_for, alice, beneficiary_a):
    api = api_client_for(alice)
    url = f"/api/v1/beneficiaries/{beneficiary_a.pk}/"
    read = api.get(url)
    assert read["ETag"] == '"v1"' and read.json()["version"] == 1
    changed = api.patch(url, {"city": "Namur"}, format="json", HTTP_IF_MATCH='"v1"')
    assert changed.status_code == 200 and changed["ETag"] == '"v2"'
    stale = api.patch(url, {"city": "Liège"}, format="json", HTTP_IF_MATCH='"v1"')
    assert stale.status_code == 412
    garbage = api.put(url, {**read.json(), "city": "Liège"}, format="json", HTTP_IF_MATCH="nonsense")
    assert garbage.status_code == 412
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.city == "Namur"


def test_the_api_without_if_match_compares_the_version_in_the_body(api_client_for, alice, beneficiary_a):
    api = api_client_for(alice)
    url = f"/api/v1/beneficiaries/{beneficiary_a.pk}/"
    assert api.patch(url, {"first_name": "Amelia", "version": 1}, format="json").status_code == 200
    stale = api.patch(url, {"city": "Liège", "version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 409
    errors = stale.json()
    assert errors["current_version"] == 2 and "version" in errors
    assert errors["first_name"] == ["Changed by someone else: Amélie → Amelia."]
    # Without If-Match nor version, the last write wins (and still moves the version).
    assert api.patch(url, {"city": "Liège"}, format="json").json()["version"] == 3


def test_the_admin_refuses_a_stale_save(admin_client, alice, beneficiary_a):
    url = reverse("admin:cpas_portal_beneficiary_change", args=[beneficiary_a.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data.update({"cpas": beneficiary_a.cpas_id, "referent": alice.pk, "_save": "Save",
                 **right_decisions_inline(beneficiary_a)})
    assert data["version"] == 1
    services.beneficiary_update(acting_user=alice, beneficiary=beneficiary_a, last_name="Durand")
    refused = admin_client.post(url, {**data, "city": "Liège"})
    assert refused.status_code == 200
    assert "Dubois → Durand" in refused.content.decode()
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.city == "" and beneficiary_a.last_name == "Durand"
    accepted = admin_client.post(url, {**data, "last_name": "Durand", "city": "Liège", "version": 2})
    assert accepted.status_code == 302
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.city == "Liège" and beneficiary_a.version == 3


@pytest.fixture
def placement_a(alice, cpas_a, beneficiary_a):
    return placement(alice, cpas=cpas_a, beneficiary=beneficiary_a)


def test_a_stale_placement_page_save_gets_409(client_for, alice, placement_a):
    url = reverse("placement_edit", args=[placement_a.pk])
    client = client_for(alice)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value in (None, False) else "on" if value is True else value) for key, value in data.items()}
    assert data["version"] == 1
    measures_services.placement_update(acting_user=alice, placement=placement_a, planned_end=date(2019, 11, 30))
    refused = client.post(url, {**data, "regime": "0.5", "counts_as_full_time": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409 and "planned end: 31 Dec 2019 → 30 Nov 2019" in refused.text
    placement_a.refresh_from_db()
    assert placement_a.regime == 1 and placement_a.planned_end == date(2019, 11, 30)


def test_a_status_change_moves_the_placement_version(api_client_for, alice, placement_a):
    api = api_client_for(alice)
    url = f"/api/v1/placements/{placement_a.pk}/"
    assert api.get(url)["ETag"] == '"v1"'
    measures_services.placement_approve(acting_user=alice, placement=placement_a)
    stale = api.patch(url, {"planned_end": "2019-11-30"}, format="json", HTTP_IF_MATCH='"v1"')
    assert stale.status_code == 412
    body = api.patch(url, {"planned_end": "2019-11-30", "version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert body.status_code == 409 and body.json()["status"] == ["Changed by someone else: Draft → Approved."]
    fresh = api.patch(url, {"planned_end": "2019-11-30"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert fresh.status_code == 200 and fresh.json()["version"] == 3


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_version_let_exactly_one_through(alice, cpas_a):
    from tests.factories import BeneficiaryFactory

    person = BeneficiaryFactory(cpas=cpas_a)
    barrier, outcomes = threading.Barrier(2), []

    def edit(city):
        try:
            barrier.wait()
            services.beneficiary_update(acting_user=alice, beneficiary=person, version=1, city=city)
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=edit, args=(city,)) for city in ("Namur", "Liège")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert Beneficiary.objects.get(pk=person.pk).version == 2


def test_bump_version_refuses_a_version_that_moved_under_it(alice, beneficiary_a):
    Beneficiary.objects.filter(pk=beneficiary_a.pk).update(version=5)
    with pytest.raises(StaleVersion):
        bump_version(beneficiary_a, expected=4)
    assert bump_version(beneficiary_a, expected="5") == 6
