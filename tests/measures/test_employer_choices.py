"""The employer filter of the placement and firm-employment lists: the CPAS's employers, kept between requests
until the next write in the CPAS (``selectors.employer_choices``, the home pages' cache ``due_cache``)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpas_portal import due_cache
from measures import services
from tests.factories import BeneficiaryFactory

from .factories import placement, private_firm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def employers(client, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("placement_list"), query)
    assert response.status_code == 200
    offered = [label for value, label in response.context["filters"].fields["organisation"].choices if value]
    read = sum('FROM "cpas_portal_organisation"' in q["sql"] and "DISTINCT" in q["sql"] for q in queries)
    return offered, read, response


def listed(page):
    """The people of the list's rows (not a search of the whole page, whose CSRF token is random text)."""
    return {name.split()[0] for name in re.findall(r'<td><a href="/placements/\d+/">([^<]+)</a></td>', page.text)}


def at_firm(alice, cpas, firm, last_name):
    return placement(alice, cpas=cpas, beneficiary=BeneficiaryFactory(cpas=cpas, last_name=last_name),
                     workplace="private_firm", organisation=firm, cooperation_convention_date=date(2019, 6, 1),
                     start=date(2020, 1, 1), planned_end=date(2020, 6, 30))


def test_the_employers_are_read_once_until_a_write(client_for, alice, charlie, cpas_a, cpas_b):
    zeta = private_firm(cpas_a, name="Zeta SA")
    at_firm(alice, cpas_a, zeta, "Mu")
    private_firm(cpas_a, name="No placement SPRL")
    at_firm(charlie, cpas_b, private_firm(cpas_b, name="Other CPAS NV"), "Nu")
    client = client_for(alice)
    assert employers(client)[:2] == (["Zeta SA"], 1)
    assert employers(client)[:2] == (["Zeta SA"], 0)

    # A placement at a new employer, written outside a request: offered once the CPAS is marked as written.
    at_firm(alice, cpas_a, private_firm(cpas_a, name="Alpha SA"), "Xi")
    assert employers(client)[0] == ["Zeta SA"]
    due_cache.written(cpas_a.pk)
    assert employers(client)[:2] == (["Alpha SA", "Zeta SA"], 1)

    # Filtering by a remembered employer; another CPAS's or an unknown one is refused with a message.
    offered, _read, page = employers(client, organisation=zeta.pk)
    assert listed(page) == {"MU"}
    other = private_firm(cpas_b, name="Hidden BV")
    _offered, _read, refused = employers(client, organisation=other.pk)
    assert refused.context["filters"].errors["organisation"] and "Hidden BV" not in refused.text
    assert listed(refused) == {"MU", "XI"}  # an invalid filter is dropped, not applied


def test_the_firm_employment_list_offers_its_own_employers(client_for, alice, cpas_a):
    def offered():
        response = client_for(alice).get(reverse("firm_employment_list"))
        return [label for value, label in response.context["filters"].fields["organisation"].choices if value]

    zeta = private_firm(cpas_a, name="Zeta SA")
    at_firm(alice, cpas_a, zeta, "Mu")
    # A placement's employer is not a firm employment's: not offered here.
    assert offered() == []
    services.firm_employment_create(acting_user=alice, cpas=cpas_a, beneficiary=BeneficiaryFactory(cpas=cpas_a),
                                    organisation=private_firm(cpas_a, name="Omega NV"),
                                    cooperation_convention_date=date(2019, 1, 1), start=date(2020, 1, 1), end=None,
                                    regime=Decimal("1"))
    due_cache.written(cpas_a.pk)
    assert offered() == ["Omega NV"]
