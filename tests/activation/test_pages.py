"""Pages, API, tenancy, due items and allocation of the social-activation subsidies."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cpas_portal.due import MANAGER, due_items
from measures.activation.models import ActivationYear
from tests.factories import CpasFactory, UserFactory


@pytest.fixture
def activation(manager_a, cpas_a, make_activation):
    return make_activation(manager_a, cpas_a, year=2024)


def test_a_manager_records_a_year_and_sees_it(client_for, manager_a):
    client = client_for(manager_a)
    response = client.post(reverse("activation_create"), {
        "year": "2024", "kind": "cluster", "granted_amount": "9500,00", "opened_on": "2024-03-01",
        "objective_social_assessments": "5", "objective_piis_total": "4", "objective_piis_socio_professional": "1",
        "objective_piis_social_participation": "2", "objective_piis_community_service": "1",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ActivationYear.objects.get()
    assert (saved.granted_amount, saved.filing_due) == (Decimal("9500.00"), date(2024, 4, 1))
    assert saved.history.first().history_user == manager_a
    page = client.get(reverse("activation_detail", args=[saved.pk]))
    assert page.status_code == 200
    assert "4.750,00" in page.content.decode()  # the advance expected (French format)


def test_bad_input_is_a_400_with_the_input_kept(client_for, manager_a):
    response = client_for(manager_a).post(reverse("activation_create"), {
        "year": "2024", "kind": "large_city", "opened_on": "2024-05-01", "filed_on": "2024-04-01",
        "objective_social_assessments": "-3", "objective_piis_total": "1", "objective_piis_socio_professional": "0",
        "objective_piis_social_participation": "0", "objective_piis_community_service": "0",
    })
    assert response.status_code == 400
    assert not ActivationYear.objects.exists()


def test_steps_out_of_order_are_refused(client_for, manager_a, activation):
    response = client_for(manager_a).post(reverse("activation_edit", args=[activation.pk]), {
        "kind": "large_city", "opened_on": "2024-03-02", "filed_on": "2024-03-10", "decided_on": "2024-06-01",
        "signed_on": "2024-05-01", "objective_social_assessments": "1", "objective_piis_total": "1",
        "objective_piis_socio_professional": "0", "objective_piis_social_participation": "0",
        "objective_piis_community_service": "0", "version": str(activation.version),
    })
    assert response.status_code == 400
    activation.refresh_from_db()
    assert activation.signed_on is None


def test_caseworker_and_auditor_read_but_may_not_write(client_for, alice, activation):
    client = client_for(alice)
    assert client.get(reverse("activation_detail", args=[activation.pk])).status_code == 200
    assert client.get(reverse("activation_create")).status_code == 403
    assert client.post(reverse("activation_edit", args=[activation.pk]), {}).status_code == 403
    assert client.post(reverse("activation_report_request", args=[activation.pk])).status_code == 403


def test_another_cpas_gets_404_everywhere(client_for, charlie, manager_b, activation):
    assert client_for(charlie).get(reverse("activation_detail", args=[activation.pk])).status_code == 404
    client = client_for(manager_b)
    for name in ("activation_detail", "activation_edit"):
        assert client.get(reverse(name, args=[activation.pk])).status_code == 404
    assert client.post(reverse("activation_report_request", args=[activation.pk])).status_code == 404


def test_list_query_count_does_not_grow(client_for, manager_a, cpas_a, make_activation, django_assert_max_num_queries):
    for year in (2020, 2021, 2022, 2023):
        make_activation(manager_a, cpas_a, year=year)
    client = client_for(manager_a)
    # session, user, membership+CPAS, the years with their member counts: the same for 4 or 40 rows.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("activation_list"))
    assert response.content.decode().count('href="/activation/') >= 4


def test_due_items_for_the_manager(manager_a, activation):
    from measures.activation import services

    services.activation_update(acting_user=manager_a, activation=activation, decided_on=date(2024, 6, 3))
    items = due_items(cpas=activation.cpas, on=date(2024, 6, 5), until=date(2025, 3, 1), audiences={MANAGER})
    kinds = {item.kind: item.due for item in items if item.source == "activation"}
    assert kinds == {"activation.file": date(2024, 4, 2), "activation.sign": date(2024, 6, 10),
                     "activation.report": date(2025, 2, 28)}


def test_the_due_provider_runs_one_query(manager_a, cpas_a, make_activation, django_assert_num_queries):
    from measures.activation.due import activation_due

    for year in (2023, 2024, 2025):
        make_activation(manager_a, cpas_a, year=year)
    with django_assert_num_queries(1):
        items = list(activation_due(cpas=cpas_a, on=date(2025, 1, 10), until=date(2026, 3, 1)))
    assert len(items) == 6  # filing and report of each year


# API -----------------------------------------------------------------------------------------

def test_api_create_read_and_realised(api_client_for, manager_a, alice):
    api = api_client_for(manager_a)
    response = api.post("/api/v1/activation-years/", {"year": 2024, "kind": "large_city",
                                                      "granted_amount": "1000.01"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["advance_expected"], body["balance_expected"]) == ("500.01", "500.00")
    assert body["report_due"] == "2025-02-28"
    realised = api_client_for(alice).get(f"/api/v1/activation-years/{body['id']}/realised/")
    assert realised.status_code == 200
    assert [row["number"] for row in realised.json()][:5] == ["1.", "2.", "2.1.", "2.2.", "2.3."]


@pytest.mark.parametrize("payload", [
    {"year": 2014, "kind": "large_city"},
    {"year": 2024, "kind": "nothing"},
    {"year": 2024, "kind": "large_city", "granted_amount": "-1"},
    {"year": 2024, "kind": "large_city", "cluster_members": ["00000"]},
    {"year": 2024, "kind": "large_city", "opened_on": "2024-05-01", "filed_on": "2024-01-01"},
    {"year": 2024, "kind": "large_city", "advance_received_on": "2024-05-01"},
    {"year": 2024, "kind": "cluster", "granted_amount": "10000.01"},
    {"year": 2024, "kind": "large_city", "objective_piis_total": -1},
    {"year": 2024, "kind": "large_city", "description": "x" * 501},
])
def test_api_bad_input_is_a_400(api_client_for, manager_a, payload):
    response = api_client_for(manager_a).post("/api/v1/activation-years/", payload, format="json")
    assert response.status_code == 400, response.content


def test_api_duplicate_year_is_a_400(api_client_for, manager_a, activation):
    response = api_client_for(manager_a).post("/api/v1/activation-years/", {"year": 2024, "kind": "large_city"},
                                              format="json")
    assert response.status_code == 400
    assert "year" in response.json()


def test_api_tenancy_and_roles(api_client_for, charlie, alice, activation):
    assert api_client_for(charlie).get(f"/api/v1/activation-years/{activation.pk}/").status_code == 404
    assert api_client_for(charlie).get(f"/api/v1/activation-years/{activation.pk}/realised/").status_code == 404
    assert api_client_for(alice).patch(f"/api/v1/activation-years/{activation.pk}/", {"granted_amount": "1"},
                                       format="json").status_code == 403
    assert api_client_for(alice).post(f"/api/v1/activation-years/{activation.pk}/report/").status_code == 403


def test_api_stale_patch_is_a_409(api_client_for, manager_a, activation):
    api = api_client_for(manager_a)
    assert api.patch(f"/api/v1/activation-years/{activation.pk}/", {"granted_amount": "2.00", "version": 1},
                     format="json").status_code == 200
    assert api.patch(f"/api/v1/activation-years/{activation.pk}/", {"granted_amount": "3.00", "version": 1},
                     format="json").status_code == 409


def test_api_list_query_count(api_client_for, manager_a, cpas_a, cpas_b, make_activation,
                              django_assert_max_num_queries):
    for year in (2020, 2021, 2022):
        make_activation(manager_a, cpas_a, year=year, kind="cluster", granted_amount=Decimal("9000.00"))
    for activation in ActivationYear.objects.all():
        activation.cluster_members.set([cpas_b])
    # membership, count, rows, prefetched cluster members.
    with django_assert_max_num_queries(5):
        response = api_client_for(manager_a).get("/api/v1/activation-years/")
    assert response.status_code == 200
    assert response.json()["results"][0]["cluster_members"] == ["44021"]


# Allocation (administrators) -------------------------------------------------------------------

def test_allocation_preview_then_apply(client_for, cpas_a, cpas_b):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(root)
    data = {"kind": "large_city", "large-year": "2015", "large-envelope": "6534763,86",
            "large-workers_csv": "92094;1500\n44021;1501"}
    preview = client.post(reverse("activation_allocation"), {**data, "preview": "1"})
    assert preview.status_code == 200
    assert "6.534.763,86" in preview.content.decode()
    assert not ActivationYear.objects.exists()
    assert client.post(reverse("activation_allocation"), {**data, "apply": "1"}).status_code == 302
    grants = dict(ActivationYear.objects.values_list("cpas__nis_code", "granted_amount"))
    assert sum(grants.values()) == Decimal("6534763.86")
    assert grants["92094"] == Decimal("3266293.17")


def test_cluster_allocation_caps_and_refuses_bad_lines(client_for, cpas_a, cpas_b):
    client = client_for(UserFactory(username="root", is_staff=True, is_superuser=True))
    bad = client.post(reverse("activation_allocation"), {"kind": "cluster", "cluster-year": "2015",
                                                         "cluster-requests_csv": "99999;100\n92094;abc", "apply": "1"})
    assert bad.status_code == 400
    assert client.post(reverse("activation_allocation"), {
        "kind": "cluster", "cluster-year": "2015", "cluster-requests_csv": "92094;12.500,00\n44021;7000",
        "apply": "1"}).status_code == 302
    grants = dict(ActivationYear.objects.values_list("cpas__nis_code", "granted_amount"))
    assert grants == {"92094": Decimal("10000.00"), "44021": Decimal("7000.00")}


def test_allocation_is_for_administrators_only(client_for, manager_a):
    assert client_for(manager_a).get(reverse("activation_allocation")).status_code == 403
    CpasFactory(nis_code="11002")
