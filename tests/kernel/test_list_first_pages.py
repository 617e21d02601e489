"""The first page of the beneficiary, convention, placement and PIIS lists, as they open (no filter), is read by a
query compiled once per process (``pagination.list_page``, ``cpas_portal.compiled``): it must show exactly what
the whole list's first page shows, for every sort, in every CPAS, and the compiled plans must really serve."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions import selectors as convention_selectors
from conventions import views as convention_views
from conventions.models import Convention
from cpas_portal import selectors as kernel_selectors
from cpas_portal import views as kernel_views
from cpas_portal.generator import fill_lists
from cpas_portal.models import Role
from cpas_portal.pagination import CappedPaginator
from measures import selectors as measure_selectors
from measures import views as measure_views
from measures.piis import selectors as piis_selectors

from ..factories import CpasFactory

ON = date(2026, 3, 15)
LISTS = {
    "beneficiary_list": kernel_views.BENEFICIARY_COLUMNS,
    "convention_list": convention_views.SORT_COLUMNS,
    "placement_list": measure_views.PLACEMENT_SORTS,
    "piis_list": {"": ()},
}
FIRST_PAGES = [kernel_selectors.beneficiary_first_page, convention_selectors.convention_first_page,
               measure_selectors.placement_first_page, piis_selectors.piis_first_page]


@pytest.fixture
def two_cpas(db):
    return (fill_lists(cpas=CpasFactory(nis_code="93010"), rows=40, on=ON),
            fill_lists(cpas=CpasFactory(nis_code="93011"), rows=30, on=ON, seed=2))


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    html = re.sub(r'(csrfmiddlewaretoken" value="|nonce="|csrf-token" content=")[^"]+', r"\1", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_the_compiled_first_page_shows_what_the_whole_list_shows(two_cpas, client_for, monkeypatch):
    for staff in two_cpas:
        client = client_for(staff[Role.CASEWORKER][0])
        for name, columns in LISTS.items():
            for key in columns:
                for sort in ({key, f"-{key}"} if key else {""}):
                    url = reverse(name) + (f"?sort={sort}" if sort else "")
                    compiled_page = page_of(client, url)
                    with monkeypatch.context() as patched:
                        patched.setattr(CappedPaginator, "opens_first_page", staticmethod(lambda number: False))
                        whole_page = page_of(client, url)
                    assert compiled_page == whole_page, url
                    assert "page=2" in compiled_page, url  # more than one page
    for query in FIRST_PAGES:
        assert query._plans and all(plan is not None for plan in query._plans.values()), query.__name__


def test_page_numbers_that_are_not_the_first_page(two_cpas, client_for):
    client = client_for(two_cpas[0][Role.CASEWORKER][0])
    url = reverse("beneficiary_list")

    def rows(query):
        return re.search(r"<tbody.*?</tbody>", page_of(client, url + query), re.DOTALL).group(0)

    # As Django's ``get_page``: 0 is past the range (the last page), a word is the first page.
    assert rows("?page=0") == rows("?page=2") != rows("")
    assert rows("?page=x") == rows("?page=1") == rows("")


def test_partners_read_for_a_page_are_those_prefetch_related_reads(two_cpas):
    conventions = Convention.objects.filter(cpas__nis_code="93010").order_by("id")
    expected = [(convention.pk, [(partner.pk, partner.name, partner.share, partner.convention is convention)
                                 for partner in convention.partners.all()])
                for convention in conventions.prefetch_related("partners__organisation")]
    rows = list(conventions)
    with CaptureQueriesContext(connection) as queries:
        rows = convention_selectors.with_partners(rows)
        found = [(convention.pk, [(partner.pk, partner.name, partner.share, partner.convention is convention)
                                  for partner in convention.partners.all()]) for convention in rows]
    assert found == expected
    assert any(partners for _pk, partners in found)
    assert len(queries) == 1


def test_every_compiled_page_shows_what_plain_queries_show(two_cpas, client_for, monkeypatch):
    """With no plan at all (every query built and compiled the usual way), the lists, searches, later pages and
    people's files show exactly the same."""
    from cpas_portal import compiled
    from cpas_portal.models import Beneficiary
    from measures.models import Placement
    from measures.piis.models import Piis
    from reimbursements.models import Claim

    staff = two_cpas[0]
    people = list(Beneficiary.objects.filter(cpas__nis_code="93010").order_by("id").values_list("pk", flat=True))
    urls = [reverse("beneficiary_list") + query for query in (
        "", "?page=2", "?sort=-birth_date&page=2", "?q=a", "?q=a&page=2", "?status=active&page=2")]
    urls += [reverse(name) + query for name in ("convention_list", "placement_list", "piis_list")
             for query in ("", "?page=2")]
    urls += [reverse("beneficiary_detail", args=[pk]) + query for pk in people[:5] for query in ("", "?all=1")]
    for model, name in ((Claim, "claim_detail"), (Convention, "convention_detail"), (Placement, "placement_detail"),
                        (Piis, "piis_detail")):
        urls += [reverse(name, args=[pk]) for pk in model.objects.filter(cpas__nis_code="93010").order_by("id")
                 .values_list("pk", flat=True)[:3]]
    for role in (Role.CASEWORKER, Role.MANAGER, Role.FINANCE):
        client = client_for(staff[role][0])
        compiled.forget_plans()  # of other tests' builders too, some of which no plan serves on purpose
        planned = {url: page_of(client, url) for url in urls}
        used = [query for query in compiled._every if query._plans]
        assert len(used) >= 10 and all(plan is not None for query in used for plan in query._plans.values())
        with monkeypatch.context() as patched:
            compiled.forget_plans()
            patched.setattr(compiled, "_plan", lambda *args: None)
            plain = {url: page_of(client, url) for url in urls}
        compiled.forget_plans()
        assert plain == planned
    assert "page=2" in planned[urls[0]]
