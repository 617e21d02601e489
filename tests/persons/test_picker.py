"""Choosing a person in a form: by national number or name, without scripts too, never across CPAS."""

import pytest
from django import forms
from django.urls import reverse

from cpas_portal.person_picker import PersonField
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


class PersonForm(forms.Form):
    beneficiary = PersonField()

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].for_cpas(cpas)


@pytest.fixture
def ines(cpas_a):
    return BeneficiaryFactory(cpas=cpas_a, first_name="Inès", last_name="Dupont", niss="85073003328")


@pytest.fixture
def twins(cpas_a):
    return [BeneficiaryFactory(cpas=cpas_a, first_name=name, last_name="Mertens") for name in ("Yves", "Yvette")]


@pytest.mark.parametrize("typed", ["85.07.30-033.28", "85073003328", "85 07 30 033 28", "ines", "dupont ines"])
def test_a_typed_number_or_a_single_match_is_taken_without_scripts(cpas_a, ines, twins, typed):
    form = PersonForm({"beneficiary_query": typed}, cpas=cpas_a)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["beneficiary"] == ines


def test_several_matches_come_back_as_choices(cpas_a, twins):
    form = PersonForm({"beneficiary_query": "mertens"}, cpas=cpas_a)
    assert not form.is_valid()
    assert form.errors.as_data()["beneficiary"][0].code == "several"
    html = str(form["beneficiary"])
    assert html.count('type="radio"') == 2 and "MERTENS Yvette" in html and "-***.**" in html
    chosen = PersonForm({"beneficiary_query": "mertens", "beneficiary": str(twins[1].pk)}, cpas=cpas_a)
    assert chosen.is_valid() and chosen.cleaned_data["beneficiary"] == twins[1]


@pytest.mark.parametrize(("typed", "code"), [
    ("85.07.30-033.29", "invalid_niss"),       # the check digits are wrong
    ("85073003427", "number_not_found"),
    ("zorro", "not_found"),
    ("", "required"),
])
def test_clear_messages(cpas_a, ines, typed, code):
    form = PersonForm({"beneficiary_query": typed}, cpas=cpas_a)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["beneficiary"]] == [code]


def test_another_cpas_person_cannot_be_chosen(cpas_a, beneficiary_b):
    form = PersonForm({"beneficiary": str(beneficiary_b.pk)}, cpas=cpas_a)
    assert not form.is_valid()
    assert not PersonForm({"beneficiary_query": beneficiary_b.niss}, cpas=cpas_a).is_valid()


def test_the_options_endpoint_is_scoped_and_keeps_numbers_out_of_urls(client_for, alice, charlie, ines):
    url = reverse("person_picker_options") + "?field=beneficiary"
    html = client_for(alice).post(url, {"beneficiary_query": "85.07.30-033.28"}).content.decode()
    assert "DUPONT Inès" in html and "85.07.30-***.**" in html and "30/07/1985" not in html or "1985" in html
    assert "DUPONT" not in client_for(charlie).post(url, {"beneficiary_query": "85073003328"}).content.decode()
    assert "DUPONT" not in client_for(alice).get(url + "&beneficiary_query=85073003328").content.decode()
    assert "DUPONT Inès" in client_for(alice).get(url + "&beneficiary_query=ines").content.decode()
    # The person already chosen stays first and checked while the user types something else.
    kept = client_for(alice).post(url, {"beneficiary_query": "zorro", "beneficiary": ines.pk}).content.decode()
    assert "checked" in kept and "DUPONT Inès" in kept
    assert client_for(alice).get(reverse("person_picker_options") + "?field=bad-name").status_code == 404


@pytest.mark.parametrize("url_name", ["placement_create", "piis_create", "firm_employment_create",
                                      "intervention_create", "convention_create"])
def test_every_person_field_is_a_search_not_a_list_of_names(client_for, alice, ines, twins, url_name):
    html = client_for(alice).get(reverse(url_name)).content.decode()
    assert 'name="beneficiary_query"' in html
    assert "MERTENS" not in html  # nobody listed before a search


def test_a_placement_opened_from_a_file_shows_the_person_chosen(client_for, alice, ines):
    html = client_for(alice).get(reverse("placement_create"), {"beneficiary": ines.pk}).content.decode()
    assert "DUPONT Inès" in html and "checked" in html
