"""A German-speaking person's PIIS contract is printed in German (issue 12, item 14)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import BeneficiaryFactory, CpasFactory, member

from .factories import make_piis
from .test_pages import pdf_text

pytestmark = pytest.mark.django_db


def test_a_german_speaking_persons_piis_is_in_german(client_for, tmp_path):
    from cpas_portal.models import Role

    eupen = CpasFactory(nis_code="63023", name_fr="Eupen", name_nl="Eupen", language="de")
    caseworker = member(eupen, Role.CASEWORKER)
    person = BeneficiaryFactory(right_type=None, cpas=eupen, last_name="Schmitz", first_name="Jana", language="de")
    piis = make_piis(caseworker, beneficiary=person, sign=True)
    response = client_for(caseworker).get(reverse("piis_pdf", args=[piis.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    with translation.override("de"):
        parties = translation.gettext("The parties")
    assert parties != "The parties" and parties in text
    assert "SCHMITZ Jana" in text and "Eupen" in text
