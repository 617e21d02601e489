"""Numbers of the law for art. 60 §7 placements, the social-economy budget and the art. 61 premium.

Each value appears once, dated, with its source (seeds 001 §4.1–§4.2 and 004; DOMAIN.md §6–§7).
The RIS amounts and the guaranteed average minimum monthly wage (RMMMG/GGMMI) change often and are
edited by administrators: they live in tables (``RisAmount``, ``MinimumWage``), not here.
"""

from datetime import date
from decimal import Decimal

from cpas_portal.dated import Dated
from cpas_portal.models import Region

LAW_2002 = "Loi du 26/05/2002 concernant le droit à l'intégration sociale, art. 36 §1 et 37"
AR_PART_TIME = "AR du 11/07/2002 (occupation à temps partiel, art. 60 §7), circulaire du 21/10/2002 §4.1.2"
AR_PRIVATE_FIRM = "AR du 04/09/2002 (mise à disposition d'une entreprise privée), circulaire du 21/10/2002 §4.1.3"
AR_SOCIAL_ECONOMY = "AR du 11/07/2002 (subvention majorée, économie sociale), circulaire du 21/10/2002 §4.1.4"
CIRCULAR_2013 = "Circulaire du 15/03/2013, art. 60 §7 subvention majorée de l'État 2013"
AR_ART61 = "AR du 11/07/2002 (encadrement et formation, art. 61), circulaire du 21/10/2002 §4.2"

# The law of 26 May 2002 entered into force on 1 October 2002.
LAW_IN_FORCE = date(2002, 10, 1)

FEDERAL_2002 = "federal-2002"
"""The rule set of the seeds (federal rules of 2002 and the circular of 2013), the one implemented."""

# Since the 6th State Reform the Regions own these rules; the federal set applies in each Region
# until a successor is added here with its date and source (DOMAIN.md §6).
RULE_SETS = {
    region: Dated(name=f"art. 60 §7 rule set ({region})", source=LAW_2002, steps=((LAW_IN_FORCE, FEDERAL_2002),))
    for region in Region.values
}

# Full-time: the highest RIS amount (category 3, person with a dependent family).
FULL_TIME_RIS_CATEGORY = Dated(name="RIS category of the full-time subsidy", source=LAW_2002,
                               steps=((LAW_IN_FORCE, 3),))
UNDER_25_AGE = Dated(name="age limit of the under-25 increase", source=LAW_2002, steps=((LAW_IN_FORCE, 25),))
UNDER_25_INCREASE = Dated(name="under-25 increase", source=LAW_2002, steps=((LAW_IN_FORCE, Decimal("0.25")),))

# Part-time: flat, non-indexed amounts, and a credit of months per (CPAS, person).
PART_TIME_MONTHLY = Dated(name="part-time monthly subsidy", source=AR_PART_TIME,
                          steps=((LAW_IN_FORCE, Decimal("500.00")),))
PART_TIME_MONTHLY_UNDER_25 = Dated(name="part-time monthly subsidy under 25", source=AR_PART_TIME,
                                   steps=((LAW_IN_FORCE, Decimal("625.00")),))
PART_TIME_CREDIT_MONTHS = Dated(name="part-time subsidy credit (months)", source=AR_PART_TIME,
                                steps=((LAW_IN_FORCE, 6),))

# Private firm used as a trial period: between one and six months.
TRIAL_MIN_MONTHS = Dated(name="minimum trial at a private firm (months)", source=AR_PRIVATE_FIRM,
                         steps=((LAW_IN_FORCE, 1),))
TRIAL_MAX_MONTHS = Dated(name="maximum trial at a private firm (months)", source=AR_PRIVATE_FIRM,
                         steps=((LAW_IN_FORCE, 6),))

# Social economy: gross pay up to the RMMMG; part-time proportional and at most six months.
SOCIAL_ECONOMY_PART_TIME_MONTHS = Dated(name="part-time increased subsidy (months)", source=AR_SOCIAL_ECONOMY,
                                        steps=((LAW_IN_FORCE, 6),))
# From this day the increased subsidy is paid within a per-CPAS annual budget; contracts concluded
# before it keep the increased subsidy to their end, outside the budget.
BUDGET_REGIME_START = date(2013, 3, 15)
# The circular grants budgets "pour 2013": its budget rules govern budget years from 2013, looked up
# on a day of the budget year.
FIRST_BUDGET_YEAR = date(2013, 1, 1)
CPAS_CREATED_INITIATIVES_SHARE = Dated(name="share of the budget for initiatives created by the CPAS",
                                       source=CIRCULAR_2013, steps=((FIRST_BUDGET_YEAR, Decimal("0.25")),))
BUDGET_REFERENCE_YEARS = Dated(name="years averaged to weigh each CPAS", source=CIRCULAR_2013,
                               steps=((FIRST_BUDGET_YEAR, 3),))

# Art. 61 tutoring premium.
ART61_MONTHLY_CAP = Dated(name="art. 61 premium per calendar month of full-time work", source=AR_ART61,
                          steps=((LAW_IN_FORCE, Decimal("250.00")),))
ART61_MAX_GRANTS = Dated(name="art. 61 premium: maximum number of grants", source=AR_ART61,
                         steps=((LAW_IN_FORCE, 12),))
ART61_WINDOW_MONTHS = Dated(name="art. 61 premium: calendar months of employment", source=AR_ART61,
                            steps=((LAW_IN_FORCE, 24),))
