"""Every item a measure's rules accept can be claimed: its legal basis is in force every day after."""

from datetime import date, timedelta

import pytest

from conventions import parameters as conventions
from measures import parameters as measures
from measures.activation import parameters as activation
from measures.interventions import parameters as interventions
from reimbursements import parameters
from reimbursements.models import Measure

FAR = date(2040, 12, 31)

# The first day each measure's own rules accept an item, read from those rules.
FIRST_ACCEPTED = {
    Measure.CONVENTION: conventions.RULE_VERSION.steps[0].start,
    Measure.ART60: min(rule_set.steps[0].start for rule_set in measures.RULE_SETS.values()),
    Measure.SOCIAL_ECONOMY: measures.SOCIAL_ECONOMY_PART_TIME_MONTHS.steps[0].start,
    Measure.ART61: measures.ART61_MONTHLY_CAP.steps[0].start,
    Measure.INTERVENTION: interventions.LAW_IN_FORCE,
    # The first subsidy year the activation parameters know (seed 002: 2015).
    Measure.ACTIVATION: activation.ADVANCE_RATE.steps[0].start,
}


def test_every_measure_has_its_first_accepted_day():
    assert set(FIRST_ACCEPTED) == set(Measure.values) == set(parameters.LEGAL_BASIS)


@pytest.mark.parametrize("measure", Measure.values)
def test_the_legal_basis_is_in_force_every_day_the_rules_accept(measure):
    day, basis, missing = FIRST_ACCEPTED[measure], parameters.LEGAL_BASIS[measure], []
    while day <= FAR:
        try:
            assert basis.at(day)
        except LookupError:
            missing.append(day)
        day += timedelta(days=1)
    assert missing == []


@pytest.mark.parametrize("kind", sorted(activation.LEGAL_BASIS))
def test_each_kind_of_activation_subsidy_has_its_legal_basis_from_the_first_year(kind):
    """The lines of the advance and the balance carry the decree of their kind (large city, cluster)."""
    basis = activation.LEGAL_BASIS[kind]
    assert basis.steps[0].start == FIRST_ACCEPTED[Measure.ACTIVATION] == date(2015, 1, 1)
    assert "AR/KB 2015" in basis.at(date(2015, 1, 1)) and basis.at(FAR)


@pytest.mark.parametrize(("measure", "day", "expected"), [
    # A convention concluded in the last week of September 2004 (the decree of 23/09/2004).
    (Measure.CONVENTION, date(2004, 9, 23), "AR/KB 23/09/2004; L. 26/05/2002; L. 02/04/1965"),
    (Measure.CONVENTION, date(2012, 11, 3), "AR/KB 23/09/2004; L. 26/05/2002; L. 02/04/1965"),
    (Measure.CONVENTION, date(2012, 11, 4), "AR/KB 23/09/2004, mod. AR/KB 08/10/2012; L. 26/05/2002; L. 02/04/1965"),
    # The increased subsidy before the per-CPAS budgets of 15/03/2013, and from them.
    (Measure.SOCIAL_ECONOMY, date(2002, 10, 1), "L. 26/05/2002 art. 39; AR/KB 11/07/2002 (subvention majorée/"
                                                "verhoogde staatstoelage)"),
    (Measure.SOCIAL_ECONOMY, date(2013, 3, 14), "L. 26/05/2002 art. 39; AR/KB 11/07/2002 (subvention majorée/"
                                                "verhoogde staatstoelage)"),
    (Measure.SOCIAL_ECONOMY, date(2013, 3, 15), "L. 26/05/2002 art. 39; circ. 15/03/2013 (subvention majorée/"
                                                "verhoogde staatstoelage)"),
])
def test_legal_basis_on_the_day_before_and_of_each_change(measure, day, expected):
    assert parameters.LEGAL_BASIS[measure].at(day) == expected


def test_the_day_before_the_first_accepted_day_has_no_basis():
    with pytest.raises(LookupError):
        parameters.LEGAL_BASIS[Measure.CONVENTION].at(conventions.V2004_START - timedelta(days=1))
