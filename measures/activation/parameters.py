"""Numbers of the social-activation subsidies (DOMAIN.md §9), each dated and with its source.

Source: SPP IS, social-activation working group, slides of 2 April 2015 (seed 002), which present the
royal decrees granting for 2015 a subsidy to the CPAS of certain cities and municipalities and to the
CPAS taking part in the "Plan clusters pour petits CPAS". The subsidised year is the calendar year
(1 January–31 December 2015); later years need their own decrees: an administrator adds a step.
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_noop

from cpas_portal.dated import Dated

SLIDES_2015 = gettext_noop("SPP IS, social-activation working group, 2 April 2015 "
                           "(AR 2015 large cities / Plan clusters)")
YEAR_2015 = date(2015, 1, 1)

LARGE_CITY_ENVELOPE = Dated(
    name=gettext_noop("social activation: envelope of the large-city CPAS"),
    source=SLIDES_2015 + ", \"Montant total: 6.534.763,86 €\"",
    steps=((YEAR_2015, Decimal("6534763.86")),),
)

LARGE_CITY_REFERENCE_DAY = Dated(
    name=gettext_noop("social activation: day on which the art. 60 §7 workers are counted"),
    source=SLIDES_2015 + ", \"réparti en fonction du nombre d'art.60 en vigueur au 1er janvier 2013\"",
    steps=((YEAR_2015, date(2013, 1, 1)),),
)

CLUSTER_CAP = Dated(
    name=gettext_noop("social activation: maximum grant of one cluster"),
    source=SLIDES_2015 + ", \"Par cluster max. 10.000€\"",
    steps=((YEAR_2015, Decimal("10000.00")),),
)

CLUSTER_ENVELOPE = Dated(
    name=gettext_noop("social activation: total of the cluster grants"),
    source=SLIDES_2015 + ", \"Montant total 2015: 200.000€\"",
    steps=((YEAR_2015, Decimal("200000.00")),),
)

MAX_CLUSTERS = Dated(
    name=gettext_noop("social activation: number of clusters"),
    source=SLIDES_2015 + ", \"Si le nombre de clusters est < 20 le Ministre peut compléter la liste\"",
    steps=((YEAR_2015, 20),),
)

FILING_MONTHS = Dated(
    name=gettext_noop("social activation: months to file the convention once the e-convention application opens"),
    source=SLIDES_2015 + ", \"délais d'1 mois pour introduire les formulaires\"",
    steps=((YEAR_2015, 1),),
)

SIGNATURE_DAYS = Dated(
    name=gettext_noop("social activation: days to sign the convention after the Minister's decision"),
    source=SLIDES_2015 + ", \"invités à signer la convention (délais d'1 semaine prévu)\"",
    steps=((YEAR_2015, 7),),
)

ADVANCE_RATE = Dated(
    name=gettext_noop("social activation: advance paid after signature"),
    source=SLIDES_2015 + ", \"Après signature du Ministre => versement de l'avance: 50%\"",
    steps=((YEAR_2015, Decimal("0.50")),),
)

REPORT_DUE = Dated(
    name=gettext_noop("social activation: final report due (month, day of the next year)"),
    source=SLIDES_2015 + ", \"Rapport final (financier + contenu) pour le 28 février 2016\"",
    steps=((YEAR_2015, (2, 28)),),
)

PIIS_MONTHS = Dated(
    name=gettext_noop("social activation: duration of a PIIS counted in the report (months, min–max)"),
    source=SLIDES_2015 + ", \"Durée PIIS? Max 1 an, Min 6 mois\"",
    steps=((YEAR_2015, (6, 12)),),
)

DESCRIPTION_LENGTH = 500
"""The qualitative description of the initiatives holds at most 500 characters (seed 002, e-convention form)."""

# The legal basis written on a claim line of the advance or the balance, by kind of subsidy: the two
# royal decrees the slides name for 2015 (seed 002); later years need their own decrees.
LEGAL_BASIS = {
    "large_city": Dated(
        name=gettext_noop("social activation: legal basis of the large-city subsidy"),
        source=SLIDES_2015 + ", \"Arrêté royal portant octroi d'un subside aux CPAS de certaines villes et communes "
                             "pour des initiatives spécifiques d'activation sociale pour l'année 2015\"",
        steps=((YEAR_2015, "AR/KB 2015 subside activation sociale CPAS de certaines villes et communes; "
                           "convention e-convention; L. 26/05/2002"),),
    ),
    "cluster": Dated(
        name=gettext_noop("social activation: legal basis of the cluster subsidy"),
        source=SLIDES_2015 + ", \"Arrêté royal portant octroi d'un subside aux centres publics d'action sociale qui "
                             "participent au « Plan clusters pour petits C.P.A.S. » pour l'année 2015\"",
        steps=((YEAR_2015, "AR/KB 2015 subside CPAS du Plan clusters pour petits CPAS (activation sociale); "
                           "convention e-convention; L. 26/05/2002"),),
    ),
}
