"""Factories for the shared kernel. Domain apps add theirs in ``tests/<app>/factories.py``."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from cpas_portal.demo import enterprise_number, national_number
from cpas_portal.models import Beneficiary, Cpas, Membership, Organisation, OrganisationKind, RightDecision, Role


class CpasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cpas
        django_get_or_create = ("nis_code",)

    nis_code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name_fr = factory.Sequence(lambda n: f"CPAS {n}")
    name_nl = factory.Sequence(lambda n: f"OCMW {n}")
    region = "wallonia"
    language = "fr"
    enterprise_number = factory.Sequence(lambda n: enterprise_number(700000 + n))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("secret-pass-2026")


def member(cpas, role=Role.CASEWORKER, **user_fields):
    """A user with a membership of ``cpas`` in ``role``."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, cpas=cpas, role=role)
    return user


# Parameters of ``BeneficiaryFactory`` that make the person's first right decision.
FIRST_RIGHT = ("right_type", "category", "right_start", "right_end", "right_decided_on")


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    cpas = factory.SubFactory(CpasFactory)
    birth_date = date(1990, 5, 17)
    niss = factory.Sequence(lambda n: national_number(date(1990, 5, 17), (n % 997) + 1))
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    sex = "F"
    language = "fr"
    # The person's first right decision (``right_type=None``: none). Not fields of the person: see ``_create``.
    right_type = "ris"
    category = 2
    right_start = date(2024, 1, 1)
    right_end = None
    right_decided_on = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        for name in FIRST_RIGHT:
            kwargs.pop(name, None)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        right = {name: kwargs.pop(name, None) for name in FIRST_RIGHT}
        beneficiary = super()._create(model_class, *args, **kwargs)
        if right["right_type"]:
            RightDecision.objects.create(
                cpas=beneficiary.cpas, beneficiary=beneficiary, right_type=right["right_type"],
                category=right["category"], start=right["right_start"], end=right["right_end"],
                decided_on=right["right_decided_on"],
            )
        return beneficiary


class RightDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightDecision

    beneficiary = factory.SubFactory(BeneficiaryFactory, right_type=None)
    cpas = factory.SelfAttribute("beneficiary.cpas")
    right_type = "ris"
    category = 2
    start = date(2024, 1, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    cpas = factory.SubFactory(CpasFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = OrganisationKind.COACHING_PARTNER
    enterprise_number = factory.Sequence(lambda n: enterprise_number(800000 + n))
