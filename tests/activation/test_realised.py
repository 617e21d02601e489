"""Realised figures counted from the PIIS, evaluations and placements of a fixture year."""

import subprocess
from datetime import date
from decimal import Decimal

import pytest

from measures import services as measure_services
from measures.activation import report, selectors
from measures.piis.models import Evaluation, Piis
from tests.factories import BeneficiaryFactory
from tests.measures.factories import placement


def piis(cpas, person, kind, start, end, status="signed", outcome=""):
    return Piis.objects.create(cpas=cpas, beneficiary=person, kind=kind, status=status, start=start, end=end,
                               outcome=outcome, signed_on=start)


@pytest.fixture
def year_2024(cpas_a, cpas_b, alice, manager_a, make_activation):
    """Five people of CPAS A, one of CPAS B, with known PIIS, evaluations and a placement in 2024."""
    ann, ben, cal, dora, eve = (BeneficiaryFactory(right_type=None, cpas=cpas_a) for _ in range(5))
    first = piis(cpas_a, ann, "socio_professional", date(2024, 1, 1), date(2024, 9, 30),
                 outcome="socio_professional_path")
    piis(cpas_a, ann, "social_participation", date(2023, 10, 1), date(2024, 6, 30), status="ended",
         outcome="stronger_autonomy")
    cal_piis = piis(cpas_a, cal, "social_participation", date(2024, 2, 1), date(2024, 11, 30))
    piis(cpas_a, dora, "community_service", date(2024, 3, 1), date(2025, 2, 28), outcome="community_service")
    piis(cpas_a, eve, "community_service", date(2024, 5, 1), date(2024, 7, 31))                  # 3 months
    piis(cpas_a, ben, "socio_professional", date(2024, 1, 1), date(2024, 12, 31), status="draft")  # not signed
    piis(cpas_a, ben, "socio_professional", date(2024, 1, 1), date(2024, 12, 31), status="cancelled")
    piis(cpas_a, ben, "social_participation", date(2022, 1, 1), date(2022, 12, 31))               # another year
    piis(cpas_b, BeneficiaryFactory(right_type=None, cpas=cpas_b), "socio_professional",
         date(2024, 1, 1), date(2024, 12, 31))
    # Cal starts an art. 60 §7 placement after the PIIS's start: the path led to a job.
    placed = placement(alice, cpas=cpas_a, beneficiary=cal, start=date(2024, 9, 1), planned_end=date(2025, 8, 31))
    measure_services.placement_approve(acting_user=alice, placement=placed)
    # Evaluations held in 2024 of Ann (twice) and Cal; one planned only; one held in 2023.
    for person, held, planned in ((ann, date(2024, 3, 1), None), (ann, date(2024, 6, 1), None),
                                  (cal, date(2024, 5, 5), None), (dora, None, date(2024, 12, 1)),
                                  (eve, date(2023, 12, 20), None)):
        Evaluation.objects.create(cpas=cpas_a, beneficiary=person, piis=cal_piis if person == cal else first,
                                  held_on=held, planned_on=planned)
    return make_activation(manager_a, cpas_a, year=2024)


def test_the_fixture_year_gives_the_expected_realised_table(year_2024):
    realised = selectors.realised(year_2024)
    assert realised.as_dict() == {
        "social_assessments": 2,             # Ann and Cal (Dora's is only planned, Eve's in 2023)
        "piis_total": 3,                     # Ann, Cal, Dora
        "piis_socio_professional": 1,        # Ann
        "piis_social_participation": 2,      # Ann (ended 2024) and Cal
        "piis_community_service": 1,         # Dora (Eve's lasts 3 months)
        "outcome_stronger_autonomy": 1,
        "outcome_socio_professional_path": 1,
        "outcome_job": 1,                    # Cal, followed by a placement
        "outcome_community_service": 1,
        "paths_counted": 4,
    }
    table = report.table(year_2024, realised.as_dict())
    assert [(number, objective, count) for number, _label, objective, count in table] == [
        ("1.", 40, 2), ("2.", 30, 3), ("2.1.", 12, 1), ("2.2.", 10, 2), ("2.3.", 8, 1)]


def test_a_cluster_counts_its_member_cpas_too(year_2024, cpas_b, manager_a):
    from measures.activation import services

    activation = services.activation_update(acting_user=manager_a, activation=year_2024, kind="cluster",
                                            granted_amount=Decimal("9000.00"), cluster_members=[cpas_b])
    assert selectors.realised(activation).piis_by_kind["socio_professional"] == 2


def test_counting_takes_a_fixed_number_of_queries(year_2024, cpas_a, django_assert_num_queries):
    for _ in range(10):
        person = BeneficiaryFactory(right_type=None, cpas=cpas_a)
        piis(cpas_a, person, "community_service", date(2024, 1, 1), date(2024, 8, 31))
    # The cluster members (1, only for a cluster: none here), the PIIS rows (1), the assessments (1).
    with django_assert_num_queries(2):
        realised = selectors.realised(year_2024)
    assert realised.piis_by_kind["community_service"] == 11


def test_the_report_pdf_shows_each_row(year_2024, tmp_path):
    realised = selectors.realised(year_2024).as_dict()
    rendered = report.render(year_2024, realised, made_on=date(2025, 2, 10))
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert rendered.language == "fr"
    assert "Namur" in text and "2024" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for number, objective, count in (("1.", 40, 2), ("2.", 30, 3), ("2.1.", 12, 1), ("2.2.", 10, 2), ("2.3.", 8, 1)):
        assert any(line.startswith(number + " ") and line.endswith(f"{objective} {count}") for line in lines), number
    assert "28/02/2025" in text                       # due date
    assert "60.000,00 €" in text and "120.000,00 €" in text  # advance and granted amount, in French format


def test_the_report_of_a_dutch_speaking_cpas_is_in_dutch(cpas_b, manager_b, make_activation):
    activation = make_activation(manager_b, cpas_b, year=2024)
    rendered = report.render(activation, selectors.realised(activation).as_dict(), made_on=date(2025, 2, 1))
    assert rendered.language == "nl"
    assert rendered.content[:4] == b"%PDF"
