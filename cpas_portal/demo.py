"""Demo data: two CPAS, one user per role in each, and beneficiaries with valid national numbers.

Deterministic (a fixed random seed), idempotent, and for demonstration only: never run in production.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from conventions import demo as conventions_demo
from measures import demo as measures_demo
from measures.activation import demo as activation_demo
from measures.piis import demo as piis_demo
from reimbursements import demo as reimbursements_demo

from .models import (
    Beneficiary,
    Cpas,
    Language,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    RightDecision,
    Role,
)

DEMO_PASSWORD = "demo-cpas-2026"
# The key of the second signing manager in the users handed to each app's demo loader.
PRESIDENT = "president"
ADMIN_USERNAME, ADMIN_PASSWORD = "admin", "admin-cpas-2026"

DEMO_CPAS = [
    {"nis_code": "92094", "name_fr": "Namur", "name_nl": "Namen", "region": Region.WALLONIA,
     "language": Language.FR, "slug": "namur", "street": "Rue de Dave 165", "postal_code": "5100",
     "city": "Namur", "contact_name": "Service des finances", "contact_phone": "081 33 70 11",
     "contact_email": "finances@cpas-namur.example"},
    {"nis_code": "44021", "name_fr": "Gand", "name_nl": "Gent", "region": Region.FLANDERS,
     "language": Language.NL, "slug": "gent", "street": "Onderbergen 86", "postal_code": "9000",
     "city": "Gent", "contact_name": "Dienst Financiën", "contact_phone": "09 266 99 00",
     "contact_email": "financien@ocmw-gent.example"},
]
FIRST_NAMES = {
    "fr": [("Amélie", "F"), ("Julien", "M"), ("Sarah", "F"), ("Mehdi", "M"), ("Chloé", "F"), ("Thomas", "M"),
           ("Fatima", "F"), ("Lucas", "M"), ("Inès", "F"), ("Kevin", "M")],
    "nl": [("Lotte", "F"), ("Jonas", "M"), ("Emma", "F"), ("Bram", "M"), ("Fien", "F"), ("Wout", "M"),
           ("Yasmina", "F"), ("Arne", "M"), ("Noor", "F"), ("Senne", "M")],
}
LAST_NAMES = {
    "fr": ["Dubois", "Lambert", "Dupont", "Martin", "Leclercq", "Renard", "El Amrani", "Simon", "Laurent", "Mertens"],
    "nl": ["Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "De Smet", "Wouters", "Hermans"],
}
STREETS = {"fr": ("Rue de Fer", "5000", "Namur"), "nl": ("Veldstraat", "9000", "Gent")}
PARTNERS = {
    "fr": [("Le Forem", OrganisationKind.EMPLOYMENT_OFFICE, False, False),
           ("Mission régionale pour l'emploi de Namur", OrganisationKind.COACHING_PARTNER, False, False),
           ("Ressourcerie namuroise", OrganisationKind.SOCIAL_ECONOMY, True, True),
           ("Boulangerie Materne SA", OrganisationKind.PRIVATE_FIRM, False, False)],
    "nl": [("VDAB", OrganisationKind.EMPLOYMENT_OFFICE, False, False),
           ("Trajectbegeleiding Gent vzw", OrganisationKind.COACHING_PARTNER, False, False),
           ("Kringwinkel Ateljee", OrganisationKind.SOCIAL_ECONOMY, True, False),
           ("Drukkerij Van Damme NV", OrganisationKind.PRIVATE_FIRM, False, False)],
}


def national_number(birth: date, counter: int) -> str:
    """A valid national register number: YYMMDD + counter + 97 − (number mod 97), '2' prefixed from 2000."""
    base = f"{birth:%y%m%d}{counter:03d}"
    prefix = "2" if birth.year >= 2000 else ""
    return base + f"{97 - int(prefix + base) % 97:02d}"


def enterprise_number(seed: int) -> str:
    """A valid (demo) BCE/KBO number: 8 digits then 97 − (those digits mod 97)."""
    body = f"09{seed:06d}"
    return body + f"{97 - int(body) % 97:02d}"


def belgian_iban(seed: int) -> str:
    """A valid Belgian IBAN for demonstration (a Belfius account number with its two check digits)."""
    from stdnum import iban

    body = f"0960{seed:06d}"
    bban = body + f"{int(body) % 97 or 97:02d}"
    return "BE" + iban.calc_check_digits("BE00" + bban) + bban


@transaction.atomic
def load_demo(beneficiaries_per_cpas=25):
    """Create or refresh the demo CPAS, users, partners and beneficiaries. Returns the logins created."""
    rng = random.Random(2026)
    User = get_user_model()
    logins = []
    admin, _ = User.objects.get_or_create(username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True})
    admin.set_password(ADMIN_PASSWORD)
    admin.save()
    logins.append((ADMIN_USERNAME, ADMIN_PASSWORD, "superuser", "—"))
    staff_permissions = Permission.objects.filter(
        content_type__app_label="cpas_portal", content_type__model__in=["beneficiary", "organisation"]
    )
    for index, spec in enumerate(DEMO_CPAS):
        spec = dict(spec)
        slug = spec.pop("slug")
        cpas, _ = Cpas.objects.update_or_create(
            nis_code=spec["nis_code"], defaults={**spec, "enterprise_number": enterprise_number(212000 + index),
                                         "iban": belgian_iban(212000 + index)}
        )
        lang = "nl" if cpas.language == Language.NL else "fr"
        members = {}
        for role in Role:
            username = f"{slug}-{role.value}"
            first, last = FIRST_NAMES[lang][len(members) * 2][0], LAST_NAMES[lang][len(members) + 5]
            user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.MANAGER
            user.save()
            if role == Role.MANAGER:
                user.user_permissions.set(staff_permissions)
            Membership.objects.update_or_create(user=user, defaults={"cpas": cpas, "role": role})
            members[role] = user
            logins.append((username, DEMO_PASSWORD, role.label, cpas.name_fr if lang == "fr" else cpas.name_nl))
        # A claim to SPP IS is signed by two different managers, the secretary/director and the
        # president: the manager above signs as the first, this second demo manager as the other.
        username = f"{slug}-president"
        president, _ = User.objects.get_or_create(username=username, defaults={
            "first_name": FIRST_NAMES[lang][8][0], "last_name": LAST_NAMES[lang][9]})
        president.set_password(DEMO_PASSWORD)
        president.save()
        Membership.objects.update_or_create(user=president, defaults={"cpas": cpas, "role": Role.MANAGER})
        members[PRESIDENT] = president
        logins.append((username, DEMO_PASSWORD, f"{Role.MANAGER.label} (president)",
                       cpas.name_fr if lang == "fr" else cpas.name_nl))
        for number, (name, kind, recognised, created_by_cpas) in enumerate(PARTNERS[lang]):
            Organisation.objects.update_or_create(
                cpas=cpas, name=name,
                defaults={"kind": kind, "recognised": recognised, "created_by_cpas": created_by_cpas,
                          "enterprise_number": enterprise_number(400000 + index * 10 + number)},
            )
        street, postal_code, city = STREETS[lang]
        for number in range(beneficiaries_per_cpas):
            first_name, sex = rng.choice(FIRST_NAMES[lang])
            birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
            counter = rng.randrange(1, 499) * 2 + (1 if sex == "M" else 0)
            right_start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
            defaults = {
                "first_name": first_name, "last_name": rng.choice(LAST_NAMES[lang]), "birth_date": birth,
                "sex": sex, "language": lang, "street": f"{street} {number + 1}", "postal_code": postal_code,
                "city": city, "referent": members[Role.CASEWORKER],
            }
            right_type, category = ("ris" if number % 5 else "equivalent_aid"), rng.choice([1, 2, 3])
            beneficiary, created = Beneficiary.objects.get_or_create(
                cpas=cpas, niss=national_number(birth, counter), defaults=defaults
            )
            if created:
                RightDecision.objects.create(beneficiary=beneficiary, cpas=cpas, right_type=right_type,
                                             category=category, decided_on=right_start, start=right_start)
                # Record the demo loader as the author of the first history row.
                beneficiary.history.filter(history_user__isnull=True).update(history_user=admin)
        for module in (conventions_demo, measures_demo, piis_demo, reimbursements_demo, activation_demo):
            module.load_demo(cpas, members)
    return logins
