"""The activation report of a German-speaking CPAS is in German (issue 12, item 14)."""

import subprocess
from datetime import date

import pytest

from cpas_portal.models import Role
from measures.activation import report, selectors
from tests.factories import CpasFactory, member

pytestmark = pytest.mark.django_db


def test_the_report_of_a_german_speaking_cpas_is_in_german(make_activation, tmp_path):
    eupen = CpasFactory(nis_code="63023", name_fr="Eupen", name_nl="Eupen", language="de")
    manager = member(eupen, Role.MANAGER)
    activation = make_activation(manager, eupen, year=2024)
    rendered = report.render(activation, selectors.realised(activation).as_dict(), made_on=date(2025, 2, 1))
    assert rendered.language == "de"
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Eupen" in text and "120.000,00 €" in text
    assert "28/02/2025" in text or "28. Februar 2025" in text
    from django.utils import translation

    with translation.override("de"):
        kind_label = translation.gettext("Kind of subsidy")
    assert kind_label != "Kind of subsidy" and kind_label in text
