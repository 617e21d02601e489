"""Organisations (partners and employers) through the API: scoped to the CPAS, written by caseworkers and
managers, 404 for another CPAS's, 403 for a read-only role."""

import pytest

from cpas_portal.models import Organisation, Role
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_a(cpas_a):
    return OrganisationFactory(cpas=cpas_a, name="Atelier A", kind="coaching_partner", enterprise_number="")


def test_list_shows_only_the_cpas_directory(api_client_for, alice, cpas_b, organisation_a):
    OrganisationFactory(cpas=cpas_b, name="Werkplaats B")
    names = [row["name"] for row in api_client_for(alice).get("/api/v1/organisations/").json()["results"]]
    assert names == ["Atelier A"]


def test_create_and_edit(api_client_for, alice, cpas_a, organisation_a):
    api = api_client_for(alice)
    created = api.post("/api/v1/organisations/", {"name": "Firme C", "kind": "private_firm",
                                                  "enterprise_number": "0203.201.340"}, format="json")
    assert created.status_code == 201, created.json()
    organisation = Organisation.objects.get(pk=created.json()["id"])
    assert organisation.cpas == cpas_a and organisation.enterprise_number == "0203201340"
    assert organisation.history.latest().history_user == alice
    duplicate = api.post("/api/v1/organisations/", {"name": "Autre", "kind": "private_firm",
                                                    "enterprise_number": "0203201340"}, format="json")
    assert duplicate.status_code == 400 and "enterprise_number" in duplicate.json()
    changed = api.patch(f"/api/v1/organisations/{organisation_a.pk}/", {"name": "Atelier A bis"}, format="json")
    assert changed.status_code == 200 and changed.json()["name"] == "Atelier A bis"
    bad = api.post("/api/v1/organisations/", {"name": "", "kind": "nothing"}, format="json")
    assert bad.status_code == 400 and {"name", "kind"} <= bad.json().keys()


def test_kind_stays_once_a_measure_uses_it(api_client_for, alice, cpas_a):
    from tests.measures.factories import placement, private_firm

    firm = private_firm(cpas_a)
    from datetime import date

    placement(alice, cpas=cpas_a, workplace="private_firm", organisation=firm,
              cooperation_convention_date=date(2019, 6, 1))
    response = api_client_for(alice).patch(f"/api/v1/organisations/{firm.pk}/", {"kind": "non_profit"},
                                           format="json")
    assert response.status_code == 400 and "kind" in response.json()
    firm.refresh_from_db()
    assert firm.kind == "private_firm"


def test_tenancy_404_and_role_403(api_client_for, charlie, auditor_a, cpas_a, organisation_a):
    url = f"/api/v1/organisations/{organisation_a.pk}/"
    charlie_api = api_client_for(charlie)
    assert charlie_api.get(url).status_code == 404
    assert charlie_api.patch(url, {"name": "x"}, format="json").status_code == 404
    assert charlie_api.put(url, {"name": "x", "kind": "private_firm"}, format="json").status_code == 404
    auditor = api_client_for(auditor_a)
    assert auditor.get(url).status_code == 200
    assert auditor.patch(url, {"name": "x"}, format="json").status_code == 403
    assert auditor.post("/api/v1/organisations/", {"name": "x", "kind": "private_firm"},
                        format="json").status_code == 403
    finance = api_client_for(member(cpas_a, Role.FINANCE, username="finance-a2"))
    assert finance.post("/api/v1/organisations/", {"name": "x", "kind": "private_firm"},
                        format="json").status_code == 403
    organisation_a.refresh_from_db()
    assert organisation_a.name == "Atelier A"


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries(api_client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    for index in range(rows):
        OrganisationFactory(cpas=cpas_a, name=f"Org {index}", enterprise_number="")
    api = api_client_for(alice)
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/organisations/").status_code == 200
