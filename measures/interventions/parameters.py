"""Dated, cited numbers and citations of the CPAS financial interventions (DOMAIN.md §8, seed 001 §4.3).

The monthly amounts are not here: the seeds give none. They are the admin-edited table
:class:`~measures.interventions.models.InterventionRate`, one row per programme and date.
"""

from datetime import date

from django.utils.translation import gettext_noop

from cpas_portal.dated import Dated

# The law of 26 May 2002 and its four royal decrees of 11 July 2002 (Moniteur belge of 31 July
# 2002), one per programme, apply from 1 October 2002 (circular of 21 October 2002).
LAW_IN_FORCE = date(2002, 10, 1)

CIRCULAR = gettext_noop("Circular of 21 October 2002, §4.3")

# The specific regulation of each programme, as the circular names it (seed 001 §4.3.1–4.3.4).
PROGRAMME_DECREES = {
    "activa": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le coût salarial d'un ayant "
              "droit à l'intégration sociale qui est engagé dans le cadre du plan Activa (MB 31/07/2002)",
    "interim": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le cadre de l'intérim "
               "d'insertion (MB 31/07/2002)",
    "ptp": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le coût salarial d'un ayant droit "
           "à l'intégration sociale mis au travail dans un programme de transition professionnelle (MB 31/07/2002)",
    "sine": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le coût salarial d'un ayant droit "
            "à l'intégration sociale mis au travail dans une initiative d'insertion sociale (MB 31/07/2002)",
}

# An intérim d'insertion gives a financial intervention for at most 24 months, never extended by an
# interruption of the contract for which no pay is due (sickness, accident at work, unpaid leave).
INTERIM_MAX_MONTHS = Dated(
    name="Months of financial intervention for an intérim d'insertion",
    source=f"{PROGRAMME_DECREES['interim']}; {CIRCULAR}.2",
    steps=((LAW_IN_FORCE, 24),),
)

# Citations on the claim lines, in the abbreviations both languages read.
LEGAL_BASIS = {
    "activa": Dated(name="Legal basis of an Activa intervention", source=f"{CIRCULAR}.1",
                    steps=((LAW_IN_FORCE, "L. 26/05/2002; AR/KB 11/07/2002 (Activa)"),)),
    "interim": Dated(name="Legal basis of an intérim d'insertion intervention", source=f"{CIRCULAR}.2",
                     steps=((LAW_IN_FORCE, "L. 26/05/2002; AR/KB 11/07/2002 (intérim d'insertion/invoeginterim)"),)),
    "ptp": Dated(name="Legal basis of a transition-programme intervention", source=f"{CIRCULAR}.3",
                 steps=((LAW_IN_FORCE, "L. 26/05/2002; AR/KB 11/07/2002 (PTP/DOP)"),)),
    "sine": Dated(name="Legal basis of a SINE intervention", source=f"{CIRCULAR}.4",
                  steps=((LAW_IN_FORCE, "L. 26/05/2002; AR/KB 11/07/2002 (SINE)"),)),
}

# Project setting, not a legal number: how early a caseworker sees an intérim reaching its limit or a
# hire ending on their home page.
DUE_NOTICE_DAYS = 30
