"""The benchmark data generator at a tiny scale: complete, reproducible, with history, valid rows."""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from cpas_portal.generator import generate
from cpas_portal.models import Beneficiary, Cpas, Membership, RightDecision
from cpas_portal.rights import in_force_by_person

ON = date(2026, 3, 15)


def snapshot():
    return list(Beneficiary.objects.order_by("cpas__nis_code", "niss").values_list(
        "cpas__nis_code", "niss", "first_name", "last_name", "birth_date", "referent__username"))


@pytest.mark.django_db
def test_a_tiny_data_set_holds_every_kind_of_record_with_its_history():
    cpas, counts = generate(seed=7, scale=0.002, on=ON, others=2)
    assert Cpas.objects.count() == 565
    assert cpas.nis_code == "62063"
    assert Beneficiary.objects.filter(cpas=cpas).count() == 100
    assert Beneficiary.objects.exclude(cpas=cpas).count() == 2 * 4
    Placement = apps.get_model("measures", "Placement")
    Convention = apps.get_model("conventions", "Convention")
    Piis = apps.get_model("piis", "Piis")
    Claim = apps.get_model("reimbursements", "Claim")
    assert Convention.objects.filter(cpas=cpas).count() == 20
    assert Placement.objects.filter(cpas=cpas).count() == 10
    assert Piis.objects.filter(cpas=cpas).exists()
    assert Claim.objects.filter(cpas=cpas).exists()
    assert counts.rows["beneficiaries"] == 108
    # Every row has its "created" history record, as a service would leave.
    for model in (Beneficiary, RightDecision, Placement, Convention, Piis, Membership):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0
    # Rights over time are readable through the kernel's reader: most people have one in force.
    people = list(Beneficiary.objects.filter(cpas=cpas).values_list("id", flat=True))
    assert len(in_force_by_person(beneficiary_ids=people, day=ON)) > len(people) // 2
    # Generated rows pass the models' own validation (national numbers, choices, constraints).
    for model in (Beneficiary, RightDecision, Placement, Convention, Piis):
        for row in model.objects.all()[:30]:
            row.full_clean()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_people_and_another_seed_others():
    generate(seed=3, scale=0.001, on=ON, others=1)
    first = snapshot()
    assert first and all(row[1] for row in first)
    again = regenerate(seed=3)
    assert again == first
    assert regenerate(seed=4) != first


def regenerate(*, seed):
    """Empty the generated people and measures, then generate again."""
    from django.contrib.auth import get_user_model
    for label in ("reimbursements.ClaimLine", "reimbursements.Claim", "piis.Evaluation", "piis.Piis",
                  "measures.MonthlySubsidy", "measures.PlacementPay", "measures.Placement", "conventions.Payment",
                  "conventions.ConventionPartner", "conventions.Convention"):
        apps.get_model(label).objects.all().delete()
    RightDecision.objects.all().delete()
    Beneficiary.objects.all().delete()
    apps.get_model("cpas_portal", "Organisation").objects.all().delete()
    Membership.objects.all().delete()
    get_user_model().objects.all().delete()
    generate(seed=seed, scale=0.001, on=ON, others=1)
    return snapshot()


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_already_has_the_people():
    call_command("generate_data", "--scale", "0.001", "--others", "0", "--on", "2026-03-15")
    with pytest.raises(CommandError, match="already has beneficiaries"):
        call_command("generate_data", "--scale", "0.001", "--others", "0", "--on", "2026-03-15")


@pytest.mark.django_db
def test_the_benchmark_prints_every_page_against_the_floor():
    from io import StringIO

    call_command("generate_data", "--scale", "0.002", "--others", "0", "--on", "2026-03-15")
    out = StringIO()
    call_command("benchmark", "--runs", "1", "--target", "1000", stdout=out)
    table = out.getvalue()
    for page in ("floor (bare view)", "home — caseworker", "home — finance", "beneficiary list", "convention list",
                 "placement list", "claim list", "claim detail", "PIIS detail"):
        assert f"| {page} |" in table
    assert "16 of 16 pages within 1000× the floor" in table
