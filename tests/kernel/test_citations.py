"""Legal citations are shown in the reader's language and never name a project document."""

import pytest
from django.utils import translation

from conventions import parameters as convention_parameters
from cpas_portal import citations
from cpas_portal.citations import cite
from reimbursements import statement


def test_a_french_citation_stays_as_written_for_french_readers():
    with translation.override("fr"):
        assert cite(convention_parameters.AR_2004) == convention_parameters.AR_2004


@pytest.mark.parametrize("language", ["nl", "de", "en"])
def test_a_french_citation_goes_through_the_catalogue_for_other_readers(language):
    english = citations.FRENCH[convention_parameters.AR_2004]
    with translation.override(language):
        shown = cite(convention_parameters.AR_2004)
        assert shown == translation.gettext(english)
    assert "AR du" not in shown


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_no_citation_names_a_project_document(language):
    stored = ["CPAS Portal interpretation (DOMAIN.md §5), configurable",
              "CPAS Portal interpretation (DOMAIN.md §10), configurable",
              convention_parameters.INTERPRETATION, statement.INTERPRETATION]
    with translation.override(language):
        for source in stored:
            assert "DOMAIN" not in cite(source) and ".md" not in cite(source)


def test_parts_and_quotations_are_translated_one_by_one(monkeypatch):
    translated = {"Law A": "Loi A", "circular B": "circulaire B"}
    monkeypatch.setattr(citations, "gettext", lambda text: translated.get(text, text))
    assert cite("Law A; circular B") == "Loi A; circulaire B"
    assert cite("Law A: « texte cité »") == "Loi A: « texte cité »"
    assert cite("") == "" and cite(None) == ""
    assert cite("Unknown text") == "Unknown text"


def test_every_french_citation_of_the_parameters_has_an_english_wording():
    from measures import parameters as measure_parameters

    written = [convention_parameters.AR_2004, convention_parameters.AR_2012,
               convention_parameters.CIRCULAR_2013_PAYMENT, convention_parameters.SPP_IS_FORM_B,
               measure_parameters.LAW_2002, measure_parameters.AR_PART_TIME, measure_parameters.AR_PRIVATE_FIRM,
               measure_parameters.AR_SOCIAL_ECONOMY, measure_parameters.CIRCULAR_2013, measure_parameters.AR_ART61,
               measure_parameters.AR_UNEMPLOYMENT]
    assert not [text for text in written if text not in citations.FRENCH]
