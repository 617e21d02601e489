"""Numbers of the law for partnership conventions ("500 € measure"), dated, with their source.

Two rule versions exist; the convention's conclusion date decides which applies (DOMAIN.md §5):
- v2004: AR of 23/09/2004 (seed 003, Council of Ministers of 9 July 2004);
- v2012: AR of 08/10/2012 amending it, in force from 4 November 2012 (seed 000, circular of 31/01/2013).
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cpas_portal import citations
from cpas_portal.dated import Dated

AR_2004 = "AR du 23/09/2004 (guidance et accompagnement vers l'emploi en entreprise)"
AR_2012 = "AR du 08/10/2012 modifiant l'AR du 23/09/2004, circulaire du 31/01/2013 §2"
CIRCULAR_2013_PAYMENT = "Circulaire du 31/01/2013 §3 (avance de la moitié, solde sur déclaration de créance)"
SPP_IS_FORM_B = "SPP IS, formulaire B, zone « convention de partenariat » (0 / 1 / 2)"
# The project's reading where the texts are silent; shown to users in their language (cpas_portal/citations.py).
INTERPRETATION = citations.INTERPRETATION

V2004 = "v2004"
V2012 = "v2012"

# The seeds do not state the first day of the 2004 decree; the date of the decree is used [interp].
V2004_START = date(2004, 9, 23)
V2012_START = date(2012, 11, 4)

RULE_VERSION = Dated(
    name="rule_version",
    source=AR_2004,
    steps=((V2004_START, V2004, AR_2004), (V2012_START, V2012, AR_2012)),
)

# The plan fixes the number of coaching hours; the balance is due once they are done (the recorded total
# never goes above them).
PLANNED_HOURS_SOURCE = ("AR du 23/09/2004 art. 3 (plan de 50 ou 100 heures), circulaire du 31/01/2013 §3 "
                        "(le nombre d'heures d'accompagnement fixé dans la convention)")
# The minimum content of the individual coaching plan (seed 003).
PLAN_CONTENT_SOURCE = "AR du 23/09/2004 (contenu minimal du plan d'accompagnement individualisé)"

# Tiers of planned coaching hours and the financial intervention of each.
TIER_1_HOURS = Dated(name="tier_1_hours", source=AR_2004, steps=((V2004_START, 50), (V2012_START, 50, AR_2012)))
TIER_2_HOURS = Dated(name="tier_2_hours", source=AR_2004, steps=((V2004_START, 100), (V2012_START, 100, AR_2012)))
TIER_1_AMOUNT = Dated(
    name="tier_1_amount", source=AR_2004,
    steps=((V2004_START, Decimal("250.00")), (V2012_START, Decimal("250.00"), AR_2012)),
)
TIER_2_AMOUNT = Dated(
    name="tier_2_amount", source=AR_2004,
    steps=((V2004_START, Decimal("500.00")), (V2012_START, Decimal("500.00"), AR_2012)),
)
# Only from the 2012 version: 500 € whenever the person gets an employment contract before the plan ends.
EARLY_EMPLOYMENT_AMOUNT = Dated(
    name="early_employment_amount", source=AR_2012, steps=((V2012_START, Decimal("500.00")),),
)

# At conclusion the CPAS pays half of the agreed amount; the balance on the partner's claim.
ADVANCE_RATE = Dated(name="advance_rate", source=CIRCULAR_2013_PAYMENT, steps=((V2004_START, Decimal("0.50")),))

# Highest share of the coaching hours the CPAS itself may carry, in percent. 2004: at most half
# [interp from the circular's wording "may now carry more than 50 %"]; 2012: any share.
CPAS_MAX_SHARE = Dated(
    name="cpas_max_share", source=INTERPRETATION,
    steps=((V2004_START, Decimal("50.00")), (V2012_START, Decimal("100.00"), AR_2012)),
)
# Under both versions the CPAS works with at least one other partner (circular of 31/01/2013 §2).
MIN_OTHER_PARTNERS = Dated(
    name="min_other_partners", source=AR_2004, steps=((V2004_START, 1), (V2012_START, 1, AR_2012)),
)

# Eligibility: RIS or equivalent aid in force, or the last months of an insertion measure (seed 003).
INSERTION_MEASURE_LAST_MONTHS = Dated(name="insertion_measure_last_months", source=AR_2004, steps=((V2004_START, 3),))

# Under the 2004 decree the partners are the regional employment service or partners it approved;
# from 2012 the CPAS validates the methodology and chooses its partners (circular of 31/01/2013 §2).
PARTNERS_APPROVED_BY_EMPLOYMENT_SERVICE = Dated(
    name="partners_approved_by_employment_service", source=AR_2004,
    steps=((V2004_START, True), (V2012_START, False, AR_2012)),
)

# Who validates the methodology (active job search and/or job coaching).
METHODOLOGY_VALIDATOR = Dated(
    name="methodology_validator", source=AR_2004,
    steps=((V2004_START, "regional_employment_service"), (V2012_START, "cpas", AR_2012)),
)

# Payment terms of this project [interp, configurable]: the partner's claim is expected within
# 60 days of the end of the convention; the CPAS pays a received claim within 30 days.
CLAIM_EXPECTED_DAYS = Dated(name="claim_expected_days", source=INTERPRETATION, steps=((V2004_START, 60),))
CLAIM_PAYMENT_DAYS = Dated(name="claim_payment_days", source=INTERPRETATION, steps=((V2004_START, 30),))

# Labels of the parameters in "how was this computed" (the stored explanation keeps the names).
LABELS = {
    "rule_version": _("Rule version"),
    "tier_1_hours": _("Hours for the lower tier"),
    "tier_2_hours": _("Hours for the upper tier"),
    "tier_1_amount": _("Amount of the lower tier"),
    "tier_2_amount": _("Amount of the upper tier"),
    "early_employment_amount": _("Amount when employed before the plan ends"),
    "advance_rate": _("Advance rate"),
    "cpas_max_share": _("Highest share of the hours carried by the CPAS (%)"),
    "min_other_partners": _("Other partners required besides the CPAS"),
    "rounding": _("Rounding of a split between partners"),
    "stopped": _("Convention stopped without a job"),
    "methodology_validator": _("Methodology validated by"),
    "partners_approved_by_employment_service": _("Partners must be the regional employment service or approved by it"),
    "eligibility": _("Eligibility"),
}
# Values of "how computed" lines that are words, not numbers.
VALUE_LABELS = {
    "half_up_largest_share": _("to the cent, half-up; a cent left over goes to the largest share"),
    "advance_only": _("the advance only, no balance"),
    "regional_employment_service": _("the regional employment service"),
    "cpas": _("the CPAS"),
    "True": _("yes"),
    "False": _("no"),
    "right": _("integration income or equivalent aid on the conclusion date"),
    "recorded_insertion_measure": _("last months of an insertion measure recorded in the application"),
    "declared_insertion_measure": _("last months of an insertion measure declared (not recorded in the application)"),
}
VERSION_LABELS = {
    V2004: _("AR of 23/09/2004"),
    V2012: _("AR of 08/10/2012 (from 4 November 2012)"),
}
VALUE_LABELS.update(VERSION_LABELS)
