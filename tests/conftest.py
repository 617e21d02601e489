"""Fixtures shared by every test: two CPAS; Alice (caseworker) and Bob (finance) in A, Charlie in B."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

from cpas_portal.models import Role

from .factories import BeneficiaryFactory, CpasFactory, member

# Playwright drives the browser from an event loop in this thread; Django's ORM calls from the
# live server are safe here (STACK.md, "Browser tests").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# No time limit on a property test's example: the tests assert results, not timings, and a machine busy with
# the rest of the suite may stall one example past Hypothesis's default 200 ms (then reported as "flaky").
hypothesis_settings.register_profile("cpas", deadline=None)
hypothesis_settings.load_profile("cpas")


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttling counts live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def same_names():
    """The factories' made-up names are the same on every run of a test: a name drawn at random must not
    make a test pass on one run and fail on the next (say, a search that also finds it)."""
    import factory.random

    factory.random.reseed_random("cpas-portal-tests")


@pytest.fixture
def shared_cache(settings):
    """What is kept until the next write in a CPAS (``cpas_portal/due_cache.py``: the home pages' items, the
    lists' filter choices) is on, as in production, with a memory cache of the test's own."""
    from django.core.cache import cache

    settings.HOME_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "shared-cache-tests"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (French), whatever an earlier test left active: what
    is written "in the language of the request" (a job's messages) must not depend on the tests' order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every user a test creates hashes a password: with PBKDF2's production work factor that is about
    0.3 s a user. Tests hash with MD5; the production hashers are tested by Django itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cpas_a(db):
    return CpasFactory(nis_code="92094", name_fr="Namur", name_nl="Namen", region="wallonia", language="fr")


@pytest.fixture
def cpas_b(db):
    return CpasFactory(nis_code="44021", name_fr="Gand", name_nl="Gent", region="flanders", language="nl")


@pytest.fixture
def alice(cpas_a):
    return member(cpas_a, Role.CASEWORKER, username="alice", first_name="Alice", last_name="Lambert")


@pytest.fixture
def bob(cpas_a):
    return member(cpas_a, Role.FINANCE, username="bob", first_name="Bob", last_name="Dupont")


@pytest.fixture
def charlie(cpas_b):
    return member(cpas_b, Role.CASEWORKER, username="charlie", first_name="Charlie", last_name="Peeters")


@pytest.fixture
def auditor_a(cpas_a):
    return member(cpas_a, Role.AUDITOR, username="audrey", first_name="Audrey", last_name="Simon")


@pytest.fixture
def beneficiary_a(cpas_a, alice):
    return BeneficiaryFactory(cpas=cpas_a, referent=alice, last_name="Dubois", first_name="Amélie")


@pytest.fixture
def beneficiary_b(cpas_b):
    return BeneficiaryFactory(cpas=cpas_b, last_name="Janssens", first_name="Jonas")


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_client_for():
    from rest_framework.test import APIClient

    def login(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return login


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """In CI nothing may be skipped: a skipped test fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; every test must run in CI.", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with no outside connections (STACK.md, "Browser tests")."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-quic", "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Belgian French-speaking user's browser."""
    return {**browser_context_args, "locale": "fr-BE", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def login_page(page, live_server):
    """``login_page(user)``: a Chromium page logged in as ``user`` (password of UserFactory)."""

    def login(user, password="secret-pass-2026", language="fr"):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if language != "fr":
            page.select_option("#language-select", language)
            page.click("#language-form button")
            page.wait_for_load_state()
        return page

    return login


# The data migrations that fill reference tables (amounts and parameters with their legal sources). Each
# ``seed`` is idempotent (update_or_create/get_or_create).
SEEDING_MIGRATIONS = (
    "measures.migrations.0002_seed_ris_amounts",
    "measures.migrations.0004_seed_minimum_wage",
    "measures.migrations.0008_seed_minimum_wage_2013_2022",
    "measures.interventions.migrations.0002_seed_programmes_without_amounts",
    "reimbursements.migrations.0004_seed_budget_articles",
)


@pytest.fixture
def seeded_tables(django_db_blocker):
    """The rows the data migrations seed, again. A transactional (live-server) test starts after the flush
    of the one before, which empties these tables; ``serialized_rollback`` is no cure when other transactional
    tests flush without it (their flush recreates the content types, on which the restore then collides)."""
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        for name in SEEDING_MIGRATIONS:
            importlib.import_module(name).seed(apps, None)
