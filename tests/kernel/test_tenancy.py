"""Charlie (CPAS B) never sees nor reaches anything of CPAS A: pages, API objects, admin pages."""

import pytest
from django.urls import reverse

from cpas_portal.models import Role
from tests.factories import BeneficiaryFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["beneficiary_detail", "beneficiary_edit"])
def test_pages_of_another_cpas_are_404(client_for, charlie, beneficiary_a, name):
    client = client_for(charlie)
    assert client.get(reverse(name, args=[beneficiary_a.pk])).status_code == 404
    assert client.post(reverse(name, args=[beneficiary_a.pk]), {"last_name": "X"}).status_code in (404, 405)


def test_an_edit_posted_to_another_cpas_changes_nothing(client_for, charlie, beneficiary_a):
    response = client_for(charlie).post(reverse("beneficiary_edit", args=[beneficiary_a.pk]), {"last_name": "Hacked"})
    assert response.status_code == 404
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.last_name == "Dubois"


def test_lists_never_show_another_cpas(client_for, charlie, beneficiary_a, beneficiary_b):
    page = client_for(charlie).get(reverse("beneficiary_list")).content.decode()
    assert "JANSSENS" in page and "DUBOIS" not in page
    found = client_for(charlie).get(reverse("beneficiary_list"), {"q": beneficiary_a.niss[:6]}).content.decode()
    assert "DUBOIS" not in found


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_api_objects_of_another_cpas_are_404(api_client_for, charlie, beneficiary_a, method):
    response = getattr(api_client_for(charlie), method)(f"/api/v1/beneficiaries/{beneficiary_a.pk}/", {}, format="json")
    assert response.status_code == 404


def test_api_list_never_shows_another_cpas(api_client_for, charlie, beneficiary_a, beneficiary_b):
    ids = [row["id"] for row in api_client_for(charlie).get("/api/v1/beneficiaries/").json()["results"]]
    assert ids == [beneficiary_b.pk]


@pytest.fixture
def charlie_staff(cpas_b):
    from django.contrib.auth.models import Permission

    user = member(cpas_b, Role.MANAGER, username="charlie-manager", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="cpas_portal"))
    return user


def admin_urls(cpas_a, beneficiary_a, organisation_a, alice):
    membership = alice.membership
    return [
        reverse("admin:cpas_portal_beneficiary_change", args=[beneficiary_a.pk]),
        reverse("admin:cpas_portal_beneficiary_history", args=[beneficiary_a.pk]),
        reverse("admin:cpas_portal_beneficiary_simple_history",
                args=[beneficiary_a.pk, beneficiary_a.history.first().history_id]),
        reverse("admin:cpas_portal_beneficiary_delete", args=[beneficiary_a.pk]),
        reverse("admin:cpas_portal_organisation_change", args=[organisation_a.pk]),
        reverse("admin:cpas_portal_cpas_change", args=[cpas_a.pk]),
        reverse("admin:cpas_portal_membership_change", args=[membership.pk]),
        reverse("admin:auth_user_change", args=[alice.pk]),
    ]


def test_admin_change_pages_of_another_cpas_are_404(client_for, charlie_staff, cpas_a, beneficiary_a, alice):
    organisation_a = OrganisationFactory(cpas=cpas_a)
    client = client_for(charlie_staff)
    for url in admin_urls(cpas_a, beneficiary_a, organisation_a, alice):
        assert client.get(url).status_code == 404, url


def test_admin_lists_are_scoped(client_for, charlie_staff, beneficiary_a, beneficiary_b):
    page = client_for(charlie_staff).get(reverse("admin:cpas_portal_beneficiary_changelist")).content.decode()
    assert "Janssens" in page and "Dubois" not in page
    assert beneficiary_b.niss not in page  # masked in the admin list too


def test_admin_own_cpas_change_page_opens(client_for, charlie_staff, beneficiary_b):
    client = client_for(charlie_staff)
    assert client.get(reverse("admin:cpas_portal_beneficiary_change", args=[beneficiary_b.pk])).status_code == 200


def test_a_superuser_sees_every_cpas_in_the_admin(admin_client, beneficiary_a, beneficiary_b):
    page = admin_client.get(reverse("admin:cpas_portal_beneficiary_changelist")).content.decode()
    assert "Janssens" in page and "Dubois" in page


def test_a_user_without_cpas_is_refused(client_for, db):
    from tests.factories import UserFactory

    assert client_for(UserFactory()).get(reverse("beneficiary_list")).status_code == 403


def test_the_auditor_reads_but_cannot_write(client_for, api_client_for, auditor_a, beneficiary_a):
    client = client_for(auditor_a)
    assert client.get(reverse("beneficiary_detail", args=[beneficiary_a.pk])).status_code == 200
    assert client.get(reverse("beneficiary_create")).status_code == 403
    assert client.post(reverse("beneficiary_edit", args=[beneficiary_a.pk]), {}).status_code == 403
    api = api_client_for(auditor_a)
    assert api.patch(f"/api/v1/beneficiaries/{beneficiary_a.pk}/", {"city": "X"}, format="json").status_code == 403


def test_anonymous_users_are_sent_to_login(client, beneficiary_a):
    response = client.get(reverse("beneficiary_detail", args=[beneficiary_a.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/api/v1/beneficiaries/").status_code in (401, 403)


def test_a_beneficiary_of_the_same_niss_may_exist_in_two_cpas(cpas_a, cpas_b):
    BeneficiaryFactory(cpas=cpas_a, niss="85073003328")
    BeneficiaryFactory(cpas=cpas_b, niss="85073003328")
