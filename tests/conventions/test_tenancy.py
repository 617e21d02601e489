"""Charlie (CPAS B) reaches nothing of CPAS A's conventions: pages, API objects, admin pages."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from conventions import services
from conventions.models import Convention, PartnerClaim
from cpas_portal.models import Role
from tests.factories import member

from .factories import coaching_partner, employment_office, make_convention, partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def convention_a(alice, bob, beneficiary_a, cpas_a):
    forem = employment_office(cpas_a)
    convention = make_convention(user=alice, beneficiary=beneficiary_a,
                                 partners=[partner(forem, "70"), partner(None, "30")], sign=True)
    services.coaching_hours_record(acting_user=alice, convention=convention, partner=convention.partners.first(),
                                   day=date(2024, 3, 5), hours=2)
    convention = services.convention_close(acting_user=alice, convention=convention, outcome="employed_early",
                                           end_date=date(2024, 4, 1))
    services.partner_claim_register(acting_user=bob, partner=convention.partners.get(organisation=forem),
                                    received_date=date(2024, 4, 5), reference="F-1", amount_claimed=175)
    return convention


def page_urls(convention):
    forem_row = convention.partners.get(is_cpas=False)
    payment = convention.payments.filter(status="due").first()
    return [
        reverse("convention_detail", args=[convention.pk]),
        reverse("convention_sign", args=[convention.pk]),
        reverse("convention_hours", args=[convention.pk]),
        reverse("convention_close", args=[convention.pk]),
        reverse("convention_partner_claim", args=[convention.pk, forem_row.pk]),
        reverse("convention_payment_paid", args=[convention.pk, payment.pk]),
    ]


def test_pages_of_another_cpas_are_404(client_for, charlie, convention_a):
    client = client_for(charlie)
    for url in page_urls(convention_a):
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code == 404, url


def test_charlie_as_finance_gets_404_too(client, cpas_b, convention_a):
    client.force_login(member(cpas_b, Role.FINANCE, username="carla"))
    for url in page_urls(convention_a):
        assert client.post(url, {"paid_date": "2024-05-01"}).status_code == 404, url


def test_a_partner_of_another_convention_is_404(client_for, alice, bob, beneficiary_a, cpas_a, convention_a):
    other = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(coaching_partner(cpas_a))])
    foreign_partner = convention_a.partners.get(is_cpas=False)
    foreign_payment = convention_a.payments.filter(status="due").first()
    client = client_for(bob)
    assert client.get(reverse("convention_partner_claim", args=[other.pk, foreign_partner.pk])).status_code == 404
    assert client.post(reverse("convention_payment_paid", args=[other.pk, foreign_payment.pk]),
                       {"paid_date": "2024-05-01"}).status_code == 404


def test_lists_never_show_another_cpas(client_for, api_client_for, charlie, convention_a):
    assert "DUBOIS" not in client_for(charlie).get(reverse("convention_list")).content.decode()
    api = api_client_for(charlie)
    assert api.get("/api/v1/conventions/").json()["count"] == 0
    assert api.get("/api/v1/conventions/payments/").json()["count"] == 0


def test_api_objects_of_another_cpas_are_404(api_client_for, charlie, convention_a):
    api = api_client_for(charlie)
    pk = convention_a.pk
    payment = convention_a.payments.first()
    for method, url in [
        ("get", f"/api/v1/conventions/{pk}/"), ("post", f"/api/v1/conventions/{pk}/sign/"),
        ("get", f"/api/v1/conventions/{pk}/hours/"), ("post", f"/api/v1/conventions/{pk}/hours/"),
        ("post", f"/api/v1/conventions/{pk}/close/"), ("get", f"/api/v1/conventions/payments/{payment.pk}/"),
    ]:
        assert getattr(api, method)(url, {}, format="json").status_code == 404, url


def test_api_claims_of_another_cpas_are_404(api_client_for, cpas_b, convention_a):
    api = api_client_for(member(cpas_b, Role.FINANCE, username="carla"))
    assert api.post(f"/api/v1/conventions/{convention_a.pk}/claims/", {}, format="json").status_code == 404
    payment = convention_a.payments.filter(status="due").first()
    assert api.post(f"/api/v1/conventions/payments/{payment.pk}/pay/", {}, format="json").status_code == 404


def test_a_beneficiary_of_another_cpas_cannot_be_used(api_client_for, charlie, beneficiary_a, cpas_b):
    response = api_client_for(charlie).post("/api/v1/conventions/", {"beneficiary": beneficiary_a.pk},
                                            format="json")
    assert response.status_code == 400 and "beneficiary" in response.json()


@pytest.fixture
def charlie_staff(cpas_b):
    user = member(cpas_b, Role.MANAGER, username="charlie-manager", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="conventions"))
    return user


def admin_urls(convention):
    claim = PartnerClaim.objects.get(convention=convention)
    return [
        reverse("admin:conventions_convention_change", args=[convention.pk]),
        reverse("admin:conventions_convention_history", args=[convention.pk]),
        reverse("admin:conventions_convention_simple_history",
                args=[convention.pk, convention.history.first().history_id]),
        reverse("admin:conventions_conventionpartner_change", args=[convention.partners.first().pk]),
        reverse("admin:conventions_coachinghours_change", args=[convention.hours_log.first().pk]),
        reverse("admin:conventions_payment_change", args=[convention.payments.first().pk]),
        reverse("admin:conventions_partnerclaim_change", args=[claim.pk]),
    ]


def test_admin_change_pages_of_another_cpas_are_404(client_for, charlie_staff, convention_a):
    client = client_for(charlie_staff)
    for url in admin_urls(convention_a):
        assert client.get(url).status_code == 404, url
    for name in ("convention", "payment", "partnerclaim", "conventionpartner"):
        page = client.get(reverse(f"admin:conventions_{name}_changelist"))
        assert page.status_code == 200
        assert "dubois" not in page.content.decode().lower()


def test_admin_pages_of_the_own_cpas_open_with_history(client, cpas_a, convention_a):
    staff = member(cpas_a, Role.MANAGER, username="anne-manager", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="conventions"))
    client.force_login(staff)
    for url in admin_urls(convention_a):
        assert client.get(url).status_code == 200, url
    history = client.get(reverse("admin:conventions_convention_history", args=[convention_a.pk])).content.decode()
    assert "alice" in history
    assert Convention.objects.count() == 1
