"""Sortable columns: only declared columns reach the ORM, other filters survive a re-sort."""

import pytest
from django.test import RequestFactory

from cpas_portal.listing import sort_queryset
from cpas_portal.models import Beneficiary
from cpas_portal.templatetags.cpas import badge_tone, sort_header
from tests.factories import BeneficiaryFactory

COLUMNS = {"name": ("last_name", "first_name", "pk"), "birth": ("birth_date", "pk")}


@pytest.mark.django_db
def test_sorting_follows_the_column_and_direction(cpas_a):
    BeneficiaryFactory(cpas=cpas_a, last_name="Zeller", first_name="Ana")
    BeneficiaryFactory(cpas=cpas_a, last_name="Adam", first_name="Bo")
    request = RequestFactory().get("/beneficiaries/", {"sort": "-name", "q": "x", "page": "3"})
    queryset, sorting = sort_queryset(request, Beneficiary.objects.all(), COLUMNS, default="name")
    assert [b.last_name for b in queryset] == ["Zeller", "Adam"]
    assert sorting.aria("name") == "descending" and sorting.aria("birth") == "none"
    # Clicking the current column again reverses it; filters kept, page reset.
    assert sorting.link("name") == "?sort=name&q=x"
    assert sorting.link("birth") == "?sort=birth&q=x"


@pytest.mark.parametrize("asked", ["password", "-cpas__iban", "name;drop", ""])
def test_an_unknown_column_falls_back_to_the_default(asked):
    request = RequestFactory().get("/", {"sort": asked})
    queryset, sorting = sort_queryset(request, Beneficiary.objects.all(), COLUMNS, default="-birth")
    assert (sorting.key, sorting.descending) == ("birth", True)
    assert queryset.query.order_by == ("-birth_date", "-pk")


def test_header_and_badge_tags():
    request = RequestFactory().get("/", {"sort": "name"})
    _, sorting = sort_queryset(request, Beneficiary.objects.none(), COLUMNS, default="name")
    header = sort_header(sorting, "name", "Name")
    assert 'aria-sort="ascending"' in header and 'href="?sort=-name"' in header
    assert badge_tone("cancelled") == "danger" and badge_tone("signed") == "success"
    assert badge_tone("something-new") == "neutral"
