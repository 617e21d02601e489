"""One search for people: accents and case ignored, names in either order and partial, national numbers in any
typed form — on the database the suite runs on (SQLite locally, PostgreSQL in CI)."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from cpas_portal import person_search, selectors
from cpas_portal.demo import national_number
from cpas_portal.models import Beneficiary, BeneficiaryNameWord
from cpas_portal.pagination import CappedPaginator
from tests.factories import BeneficiaryFactory

NORMALISED = [
    ("Inès", "ines"),
    ("  DUPONT-Lambert ", "dupont lambert"),
    ("Lefèvre", "lefevre"),
    ("Müller", "muller"),
    ("Çelik", "celik"),
    ("Łukasz", "lukasz"),
    ("Søren", "soren"),
    ("Strauß", "strauss"),
    ("O'Brien", "o brien"),
    ("Van den Berg", "van den berg"),
    ("Œdipe", "oedipe"),
]


@pytest.mark.parametrize(("typed", "normalised"), NORMALISED)
def test_normalise(typed, normalised):
    assert person_search.normalise(typed) == normalised


@pytest.fixture
def people(cpas_a, cpas_b):
    return {
        "ines": BeneficiaryFactory(cpas=cpas_a, first_name="Inès", last_name="Dupont-Lambert",
                                   niss="85073003328"),
        "celik": BeneficiaryFactory(cpas=cpas_a, first_name="Ayşe", last_name="Çelik", niss="01010100225"),
        "berg": BeneficiaryFactory(cpas=cpas_a, first_name="Jan", last_name="Van den Berg", niss="98472899765"),
        "other": BeneficiaryFactory(cpas=cpas_b, first_name="Inès", last_name="Dupont", niss="85073003427"),
    }


def found(cpas, typed):
    return {str(person) for person in selectors.beneficiary_list(cpas=cpas, search=typed)}


EVERY_DATABASE = [
    ("ines", {"DUPONT-LAMBERT Inès"}),
    ("INES", {"DUPONT-LAMBERT Inès"}),
    ("Inès", {"DUPONT-LAMBERT Inès"}),
    ("dupont", {"DUPONT-LAMBERT Inès"}),
    ("dup", {"DUPONT-LAMBERT Inès"}),
    ("dupont ines", {"DUPONT-LAMBERT Inès"}),
    ("ines dupont", {"DUPONT-LAMBERT Inès"}),
    ("Dupont-Lambert", {"DUPONT-LAMBERT Inès"}),
    ("celik", {"ÇELIK Ayşe"}),
    ("ayse", {"ÇELIK Ayşe"}),
    ("van den", {"VAN DEN BERG Jan"}),
    ("jan van", {"VAN DEN BERG Jan"}),
    ("zorro", set()),
    ("--", set()),
    # National numbers in any typed form, and their start.
    ("85.07.30-033.28", {"DUPONT-LAMBERT Inès"}),
    ("85073003328", {"DUPONT-LAMBERT Inès"}),
    ("85 07 30 033 28", {"DUPONT-LAMBERT Inès"}),
    ("850730", {"DUPONT-LAMBERT Inès"}),
    ("85.07", {"DUPONT-LAMBERT Inès"}),
    ("98.47.28-997.65", {"VAN DEN BERG Jan"}),   # a BIS number
    ("0101", {"ÇELIK Ayşe"}),
    ("85073003427", set()),                       # another CPAS's person
    ("99", set()),
    # Each typed word starts a word of the name, in any order, on every database.
    ("lambert ines", {"DUPONT-LAMBERT Inès"}),
    ("ines lamb", {"DUPONT-LAMBERT Inès"}),
    ("IN DUP", {"DUPONT-LAMBERT Inès"}),
    ("berg", {"VAN DEN BERG Jan"}),
    ("den", {"VAN DEN BERG Jan"}),
    ("jan berg van", {"VAN DEN BERG Jan"}),
    ("Çelik, Ayşe", {"ÇELIK Ayşe"}),
    ("ines zorro", set()),
    # Inside a word is not a match: a caseworker types the start of a name.
    ("upont", set()),
    ("nes", set()),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "expected"), EVERY_DATABASE)
def test_search_on_the_current_database(people, cpas_a, typed, expected):
    assert found(cpas_a, typed) == expected


@pytest.mark.django_db
def test_a_renamed_person_is_found_by_the_new_name(people, cpas_a, alice):
    from cpas_portal import services

    services.beneficiary_update(acting_user=alice, beneficiary=people["celik"], last_name="Öztürk")
    assert found(cpas_a, "ozturk") == {"ÖZTÜRK Ayşe"}
    assert found(cpas_a, "celik") == set()


@pytest.mark.django_db
def test_a_number_prefix_ending_in_nine_carries(cpas_a):
    BeneficiaryFactory(cpas=cpas_a, last_name="Nine", first_name="Nina", niss="85073003328")
    # "8507299" → [8507299, 8507300): the upper bound carries.
    assert found(cpas_a, "8507299") == set()
    assert found(cpas_a, "8507") == {"NINE Nina"}


@pytest.mark.django_db
def test_every_word_of_a_name_is_found_on_every_database(people, cpas_a):
    assert found(cpas_a, "berg") == {"VAN DEN BERG Jan"}
    assert found(cpas_a, "lambert ines") == {"DUPONT-LAMBERT Inès"}


@pytest.mark.django_db
def test_the_search_is_served_by_indexes(people, cpas_a):
    def plan(typed):
        return selectors.person_matches(cpas=cpas_a, search=typed).explain()

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Four rows would be scanned anyway: forbid the scan to see the index the planner can use.
            cursor.execute("SET enable_seqscan = off")
            try:
                for typed in ("du", "ines", "dupont ines"):
                    # The name words are read from an index; the page's few people may be joined any way. With four
                    # rows the planner may pick either index of the words (both lead to the word's prefix range).
                    assert "Seq Scan on cpas_portal_beneficiarynameword" not in plan(typed)
                    assert re.search(r"Index (Only )?Scan using beneficiary_word_(person_)?idx", plan(typed))
                assert "'du%'" in plan("du")
                assert "Seq Scan" not in plan("850730")
            finally:
                cursor.execute("SET enable_seqscan = on")
    else:
        for typed in ("ines", "dupont ines"):
            assert "SCAN" not in plan(typed) and "COVERING INDEX beneficiary_word_idx" in plan(typed)
        # The unique (cpas, niss) constraint is SQLite's own index.
        assert "(cpas_id=? AND niss>? AND niss<?)" in plan("8507")


def words_of(person):
    return sorted(BeneficiaryNameWord.objects.filter(beneficiary=person).values_list("word", flat=True))


@pytest.mark.django_db
def test_the_name_words_follow_the_person(people, alice):
    from cpas_portal import services

    person = people["berg"]
    assert words_of(person) == ["berg", "den", "jan", "van"]
    assert set(BeneficiaryNameWord.objects.filter(beneficiary=person).values_list("search_name", "cpas_id")) == {
        ("van den berg jan", person.cpas_id)}
    services.beneficiary_update(acting_user=alice, beneficiary=person, first_name="Jan-Willem")
    assert words_of(person) == ["berg", "den", "jan", "van", "willem"]
    # A change that leaves the name alone leaves its words alone.
    before = set(BeneficiaryNameWord.objects.filter(beneficiary=person).values_list("id", flat=True))
    services.beneficiary_update(acting_user=alice, beneficiary=Beneficiary.objects.get(pk=person.pk), city="Namur")
    assert set(BeneficiaryNameWord.objects.filter(beneficiary=person).values_list("id", flat=True)) == before
    person_id = person.pk
    Beneficiary.objects.filter(pk=person_id).delete()
    assert not BeneficiaryNameWord.objects.filter(beneficiary_id=person_id).exists()


@pytest.mark.django_db
def test_a_bulk_insert_writes_the_name_words_through_the_helper(cpas_a):
    rows = Beneficiary.objects.bulk_create([
        Beneficiary(cpas=cpas_a, niss=national_number(date(1960, 1, 1) + timedelta(days=index), 1),
                    first_name="Zoë", last_name=f"Bulk{index}", birth_date=date(1960, 1, 1) + timedelta(days=index),
                    sex="F", **person_search.search_columns(first_name="Zoë", last_name=f"Bulk{index}"))
        for index in range(3)])
    assert found(cpas_a, "zoe") == set()
    person_search.save_name_words(rows)
    assert found(cpas_a, "zoe") == {"BULK0 Zoë", "BULK1 Zoë", "BULK2 Zoë"}
    assert found(cpas_a, "bulk1 zo") == {"BULK1 Zoë"}


@pytest.mark.django_db
def test_generated_and_demo_people_are_searchable():
    from cpas_portal.demo import load_demo
    from cpas_portal.generator import generate

    cpas, _counts = generate(seed=7, scale=0.001, on=date(2026, 3, 15), others=1)
    for person in Beneficiary.objects.filter(cpas=cpas)[:20]:
        assert words_of(person) == person_search.name_words(person.search_name)
        assert person in selectors.person_choices(cpas=cpas, search=f"{person.first_name} {person.last_name}",
                                                  limit=1000)
    load_demo(beneficiaries_per_cpas=14)
    assert not Beneficiary.objects.filter(name_words__isnull=True).exists()


@pytest.mark.django_db
def test_a_person_with_two_matching_words_is_listed_once(cpas_a):
    marie = BeneficiaryFactory(cpas=cpas_a, first_name="Marie", last_name="Martin", niss="85073003328")
    BeneficiaryFactory(cpas=cpas_a, first_name="Mathis", last_name="Aubry", niss="01010100225")
    matches = selectors.beneficiary_search_results(cpas=cpas_a, search="ma")
    assert [str(person) for person in matches[0:25]] == ["AUBRY Mathis", "MARTIN Marie"]
    assert matches.count() == 2 and matches.capped_count(1000) == 2
    assert [person.first_name for person in selectors.person_choices(cpas=cpas_a, search="ma", limit=1)] == ["Mathis"]
    assert marie in selectors.person_choices(cpas=cpas_a, search="mar mar", limit=5)


@pytest.mark.django_db
def test_a_search_counts_up_to_a_cap(cpas_a):
    for index in range(5):
        BeneficiaryFactory(cpas=cpas_a, first_name="Inès", last_name=f"Capped{index}",
                           niss=national_number(date(1970, 1, 1) + timedelta(days=index), 1))
    paginator = CappedPaginator(selectors.beneficiary_search_results(cpas=cpas_a, search="ines"), 2, cap=3)
    assert paginator.count == 4 and paginator.more and paginator.shown_count == "3+"
    # Asking for a later page counts up to it: the last page ends the list.
    last = CappedPaginator(selectors.beneficiary_search_results(cpas=cpas_a, search="ines"), 2, cap=3).get_page(3)
    assert [str(person) for person in last] == ["CAPPED4 Inès"] and not last.paginator.more
    exact = CappedPaginator(selectors.beneficiary_search_results(cpas=cpas_a, search="ines"), 2, cap=5)
    assert not exact.more and exact.count == 5 and exact.num_pages == 3


@pytest.mark.django_db
def test_the_list_says_more_than_the_cap(client_for, alice, cpas_a, monkeypatch):
    from cpas_portal import pagination, views

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for index in range(5):
        BeneficiaryFactory(cpas=cpas_a, first_name="Inès", last_name=f"Capped{index}",
                           niss=national_number(date(1970, 1, 1) + timedelta(days=index), 1))
    html = client_for(alice).get(reverse("beneficiary_list"), {"q": "ines"}).content.decode()
    from django.utils import translation

    narrow = set()
    for language in ("en", "fr", "nl", "de"):
        with translation.override(language):
            narrow.add(translation.gettext("Type more of the name to narrow the search."))
    assert "(3+ " in html and any(text in html for text in narrow) and "CAPPED0" in html
    html = client_for(alice).get(reverse("beneficiary_list"), {"q": "capped4"}).content.decode()
    assert not any(text in html for text in narrow) and "CAPPED4" in html and "CAPPED0" not in html


@pytest.mark.django_db
def test_the_api_searches_the_same_way_with_or_without_other_parameters(people, api_client_for, alice):
    api = api_client_for(alice)

    def names(response):
        assert response.status_code == 200, response.content
        return [row["last_name"] for row in response.json()["results"]]

    assert names(api.get("/api/v1/beneficiaries/", {"search": "ines lamb"})) == ["Dupont-Lambert"]
    assert names(api.get("/api/v1/beneficiaries/", {"search": "berg", "ordering": "last_name"})) == ["Van den Berg"]
    assert names(api.post("/api/v1/beneficiaries/search/", {"q": "DUP Inès"}, format="json")) == ["Dupont-Lambert"]
    assert api.get("/api/v1/beneficiaries/", {"search": "ines"}).json()["count"] == 1
