"""Demo PIIS of one CPAS, made through the services: one of each type (one still being negotiated for a
person under 25, two signed with their evaluation meetings, one of them with a meeting held), then the
meetings of the approved placements are planned. Skipped when the CPAS already has PIIS. For demonstration only.
"""

from datetime import date

from cpas_portal.models import Beneficiary, Role

from . import services
from .models import Piis, PiisKind

DEMO_DAY = date(2026, 3, 1)


# What a caseworker writes is in the CPAS's language.
DEMO_TEXTS = {
    "fr": ("Démo : objectifs convenus avec la personne.", "Démo : première évaluation tenue."),
    "nl": ("Demo: doelstellingen afgesproken met de persoon.", "Demo: eerste evaluatie gehouden."),
    "de": ("Demo: mit der Person vereinbarte Ziele.", "Demo: erste Auswertung durchgeführt."),
}


def load_demo(cpas, members):
    if Piis.objects.filter(cpas=cpas).exists():
        return
    caseworker = members[Role.CASEWORKER]
    objectives, notes = DEMO_TEXTS.get(cpas.language, DEMO_TEXTS["fr"])
    people = list(Beneficiary.objects.filter(cpas=cpas).order_by("last_name", "first_name", "id")[:3])
    partners = list(cpas.organisations.order_by("id")[:1])
    if len(people) < 3:
        return
    kinds = [PiisKind.SOCIO_PROFESSIONAL, PiisKind.SOCIAL_PARTICIPATION, PiisKind.COMMUNITY_SERVICE]
    for index, (person, kind) in enumerate(zip(people, kinds, strict=True)):
        piis = services.piis_create(
            acting_user=caseworker, cpas=cpas, beneficiary=person, kind=kind, applied_on=date(2026, 1, 5),
            objectives=objectives, third_parties=partners if index == 0 else [])
        if index < 2:
            piis = services.piis_sign(acting_user=caseworker, piis=piis, signed_on=date(2026, 1, 20),
                                      start=date(2026, 2, 1), end=date(2027, 1, 31))
    first = Piis.objects.filter(cpas=cpas, status="signed").order_by("id").first()
    meeting = first.evaluations.order_by("planned_on").first()
    services.evaluation_record(acting_user=caseworker, evaluation=meeting, held_on=meeting.planned_on,
                               face_to_face=True, notes=notes)
    services.evaluations_plan(cpas=cpas, on=DEMO_DAY, acting_user=caseworker)
