"""What the set-up relies on: the CPAS list, demo data, settings from the environment, deployment files."""

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from conventions.models import CoachingHours, Convention, ConventionPartner, PartnerClaim, Payment
from cpas_portal.identifiers import niss_compact
from cpas_portal.models import Beneficiary, Cpas, Membership, Region
from measures.models import Art61Premium, MonthlySubsidy, Placement, SocialEconomyBudget
from reimbursements.models import Claim, ClaimLine

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_cpas_loader_gives_565_cpas_and_is_idempotent():
    call_command("load_cpas", stdout=open(os.devnull, "w"))
    assert Cpas.objects.count() == 565
    snapshot = list(Cpas.objects.order_by("nis_code").values())
    call_command("load_cpas", stdout=open(os.devnull, "w"))
    assert list(Cpas.objects.order_by("nis_code").values()) == snapshot
    namur = Cpas.objects.get(nis_code="92094")
    assert (namur.name_fr, namur.name_nl, namur.region) == ("Namur", "Namen", Region.WALLONIA)
    assert Cpas.objects.get(nis_code="21004").region == Region.BRUSSELS
    assert Cpas.objects.get(nis_code="44021").region == Region.FLANDERS
    assert Cpas.objects.filter(region=Region.GERMAN_SPEAKING).count() == 9


DEMO_MODELS = (Beneficiary, Convention, ConventionPartner, CoachingHours, Payment, PartnerClaim, Placement,
               MonthlySubsidy, Art61Premium, SocialEconomyBudget, Claim, ClaimLine)


def demo_counts():
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


@pytest.mark.django_db
def test_demo_data_is_usable_and_idempotent():
    call_command("demo_data", stdout=open(os.devnull, "w"))
    first_run = demo_counts()
    call_command("demo_data", stdout=open(os.devnull, "w"))
    assert demo_counts() == first_run
    assert Cpas.objects.count() == 2
    # One user per role, and a second manager per CPAS to give a claim's second signature.
    assert Membership.objects.count() == 10
    assert Membership.objects.filter(role="manager").count() == 4
    assert Beneficiary.objects.count() == 50
    assert all(niss_compact(niss) == niss for niss in Beneficiary.objects.values_list("niss", flat=True))
    for cpas in Cpas.objects.all():
        conventions = Convention.objects.filter(cpas=cpas)
        assert set(conventions.values_list("status", flat=True)) == {"draft", "signed", "completed", "settled"}
        signed = conventions.get(status="signed")
        assert sorted(signed.partners.values_list("share", flat=True)) == [Decimal("40"), Decimal("60")]
        assert signed.hours_log.exists()
        settled = conventions.get(status="settled")
        assert settled.claims.count() == 1
        assert not settled.payments.exclude(status="paid").exists()

        budget = SocialEconomyBudget.objects.get(cpas=cpas, year=2026)
        assert (budget.granted_amount, budget.source) == (Decimal("96000.00"), "demo")
        placements = Placement.objects.filter(cpas=cpas)
        assert placements.count() == 5
        for placement in placements:
            assert placement.monthly_subsidies.exists()
            assert not placement.monthly_subsidies.filter(amount__isnull=True).exists()
        assert {placement.workplace for placement in placements} == {"cpas", "other_user", "private_firm",
                                                                      "social_economy"}
        assert any(placement.beneficiary.age_on(placement.start) < 25 for placement in placements)
        assert placements.filter(regime__lt=1, status="ended").exists()
        # Two for the placement at the private firm, one for the person hired by the firm itself.
        assert Art61Premium.objects.filter(cpas=cpas).count() == 3
        assert Art61Premium.objects.filter(cpas=cpas, firm_employment__isnull=False).count() == 1
        social_economy = placements.get(scheme="social_economy", status="approved")
        assert social_economy.monthly_subsidies.filter(counts_against_budget=True).exists()

        claim = Claim.objects.get(cpas=cpas)
        assert (claim.measure, claim.status, claim.period_start, claim.period_end) == (
            "convention", "draft", date(2026, 1, 1), date(2026, 3, 31))
        # The advances paid in the first quarter: 175 + 75 (settled), 125 (completed), 150 + 100 (signed).
        assert (claim.line_count, claim.total) == (5, Decimal("625.00"))
        assert bytes(claim.document.content).startswith(b"%PDF")


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "cpas_portal.settings", **env},
        timeout=60,
    )


def test_embedded_default_is_sqlite_with_eager_tasks():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"], result.stderr


def test_postgresql_and_redis_from_the_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['PORT'], s.CELERY_TASK_ALWAYS_EAGER)",
        POSTGRES_DB="cpas", POSTGRES_USER="u", POSTGRES_HOST="db", POSTGRES_PORT="5433",
        CELERY_BROKER_URL="redis://redis:6379/0",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "cpas", "5433", "False"], result.stderr


def test_production_mode_passes_the_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "k" * 20 + "x9!Q" * 10,
             "DJANGO_ALLOWED_HOSTS": "cpas.example.org"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    result = run_python("import django; django.setup()", DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="x")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_docker_compose_runs_web_worker_beat_postgresql_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres") and services["redis"]["image"].startswith("redis")
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://")


def test_readme_names_the_two_commands_and_the_demo_logins():
    readme = (ROOT / "README.md").read_text()
    assert "scripts/dev" in readme and "scripts/test" in readme
    assert "namur-caseworker" in readme and "demo-cpas-2026" in readme
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text()
