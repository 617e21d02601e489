"""The PIIS's legal numbers, each dated and cited (DOMAIN.md §4; seeds 001 §1.2 and 002).

A lookup outside every step raises ``NotInForce``. Where the law sets no requirement for a period,
the step says so explicitly with ``None`` and its source (no silent default).
"""

from datetime import date

from django.utils.translation import gettext_noop

from cpas_portal.dated import Dated

LAW_2002 = date(2002, 10, 1)  # the law of 26 May 2002 on the right to social integration came into force
REFORM_2016 = date(2016, 11, 1)  # the law of 21 July 2016 (generalised PIIS) came into force

LAW_2002_SOURCE = gettext_noop("Law of 26 May 2002, art. 6 §2 and art. 11; circular of 21 Oct 2002, §1.2")
REFORM_2016_SOURCE = gettext_noop("Law of 26 May 2002, art. 11 §1 and §3, as amended by the law of 21 July 2016 "
                         "(in force 1 Nov 2016)")

UNDER_25_AGE = Dated(
    name="piis.under_25_age",
    source=LAW_2002_SOURCE,
    steps=((LAW_2002, 25),),
)
"""Below this age (on the application date) the PIIS terms are negotiated within a set time."""

UNDER_25_NEGOTIATION_MONTHS = Dated(
    name="piis.under_25_negotiation_months",
    source=LAW_2002_SOURCE + ": « dans les trois mois suivant l'introduction de sa demande »",
    steps=((LAW_2002, 3),),
)

NEW_RIS_CONCLUSION_MONTHS = Dated(
    name="piis.new_ris_conclusion_months",
    source=REFORM_2016_SOURCE,
    steps=(
        (LAW_2002, None, LAW_2002_SOURCE + ": before 1 Nov 2016 a PIIS was compulsory only under 25"),
        (REFORM_2016, 3),
    ),
)
"""Months after the decision granting a new integration income within which the PIIS is concluded."""

EVALUATIONS_PER_YEAR = Dated(
    name="piis.evaluations_per_year",
    source=REFORM_2016_SOURCE,
    steps=(
        (LAW_2002, None, LAW_2002_SOURCE + ": no yearly minimum of evaluations before 1 Nov 2016"),
        (REFORM_2016, 3),
    ),
)

FACE_TO_FACE_PER_YEAR = Dated(
    name="piis.face_to_face_per_year",
    source=REFORM_2016_SOURCE,
    steps=(
        (LAW_2002, None, LAW_2002_SOURCE + ": no yearly minimum of face-to-face meetings before 1 Nov 2016"),
        (REFORM_2016, 2),
    ),
)

SOCIAL_ACTIVATION_MONTHS = Dated(
    name="piis.social_activation_months",
    source="Social activation working group, slides of 2 Apr 2015: « Durée PIIS? Min 6 mois, Max 1 an »; "
           "royal decree on participation and social activation, 2015 (« idem 2014 »)",
    steps=((date(2014, 1, 1), (6, 12)),),
)
"""A PIIS of this length (minimum, maximum months) counts in the social-activation report."""

PLACEMENT_EVALUATION_MONTHS = Dated(
    name="piis.placement_evaluation_months",
    source="CPAS Portal interpretation, configurable: the CPAS follows an art. 60 §7 placement with an "
           "evaluation meeting every 3 months of its running time",
    steps=((LAW_2002, 3),),
)
