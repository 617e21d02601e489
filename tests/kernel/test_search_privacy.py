"""National numbers never in a URL nor an access log: number searches go by POST, every typed form is masked in
the logs (gunicorn's access log included), and the API schema is for signed-in users in production."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from cpas_portal.logfilters import mask_text
from tests.factories import BeneficiaryFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("typed", "masked"), [
    ("85073012345", "85.07.30-***.**"),
    ("85.07.30-123.45", "85.07.30-***.**"),
    ("85 07 30 123 45", "85.07.30-***.**"),
    ("850730-123-45", "85.07.30-***.**"),
    ("850730 12345", "85.07.30-***.**"),
    ("85.07.30 123.45", "85.07.30-***.**"),
    ("98472899765", "98.47.28-***.**"),  # BIS number (month + 40)
    ("98.27.28-997.65", "98.27.28-***.**"),  # BIS number (month + 20), formatted
    ("85+07+30+123+45", "85.07.30-***.**"),  # a space in a query string
    ("85%2007%2030%20123%2045", "85.07.30-***.**"),
])
def test_every_typed_form_is_masked(typed, masked):
    line = f'"GET /beneficiaries/?q={typed} HTTP/1.1" 200'
    assert mask_text(line) == f'"GET /beneficiaries/?q={masked} HTTP/1.1" 200'


@pytest.mark.parametrize("text", ["invoice 123456789012345", "2026-11-29 17:30:33,123", "total 1.234.567,89 €",
                                  "claim 2026-03-000123"])
def test_other_numbers_are_left_alone(text):
    assert mask_text(text) == text


def test_gunicorn_writes_its_access_log_through_the_mask(capsys):
    from gunicorn.config import Config

    from cpas_portal import gunicorn_conf

    config = Config()
    for name in ("accesslog", "errorlog", "logger_class", "bind", "workers", "timeout"):
        config.set(name, getattr(gunicorn_conf, name))
    logger = config.logger_class(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/beneficiaries/?q=85.07.30-033.28", "PATH_INFO": "/beneficiaries/",
               "QUERY_STRING": "q=85.07.30-033.28", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": "https://cpas.example.org/?q=85073003328"}
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    logger.error("worker failed on %s", "85 07 30 033 28")
    output = capsys.readouterr()
    written = output.out + output.err
    assert "/beneficiaries/?q=85.07.30-***.**" in written
    assert "033.28" not in written and "85073003328" not in written and "033 28" not in written


def test_compose_and_the_image_start_gunicorn_with_that_config():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "gunicorn -c python:cpas_portal.gunicorn_conf" in " ".join(compose["services"]["web"]["command"])
    assert '"python:cpas_portal.gunicorn_conf"' in (ROOT / "Dockerfile").read_text()


# Searches ----------------------------------------------------------------------------------------------

@pytest.fixture
def person(cpas_a):
    return BeneficiaryFactory(cpas=cpas_a, last_name="Dubois", first_name="Amélie", niss="85073003328")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["85073003328", "85.07.30-033.28", "850730"])
def test_the_page_searches_a_number_by_post(client_for, alice, person, typed):
    client = client_for(alice)
    found = client.post(reverse("beneficiary_list"), {"q": typed}, headers={"HX-Request": "true",
                                                                            "HX-Target": "beneficiary-results"})
    assert found.status_code == 200 and "DUBOIS" in found.content.decode()
    assert "HX-Push-Url" not in found.headers


@pytest.mark.django_db
def test_a_number_in_a_get_search_is_refused(client_for, alice, person):
    client = client_for(alice)
    response = client.get(reverse("beneficiary_list"), {"q": "85.07.30-033.28"})
    assert response.status_code == 302 and response["Location"] == reverse("beneficiary_list")
    page = client.get(response["Location"]).content.decode()
    assert "85.07.30-033.28" not in page and "85073003328" not in page
    assert "not sent in the address" in page or "adresse" in page


@pytest.mark.django_db
def test_names_may_still_be_searched_by_get_and_the_form_posts(client_for, alice, person):
    page = client_for(alice).get(reverse("beneficiary_list"), {"q": "dubois"})
    assert page.status_code == 200 and "DUBOIS" in page.content.decode()
    html = page.content.decode()
    # The search itself posts (the menu's unread count is fetched by GET, with nothing typed in it).
    main = html[html.index("<main "):]
    assert 'hx-post="/beneficiaries/"' in main and "hx-get" not in main and "hx-push-url" not in html


@pytest.mark.django_db
def test_an_auditor_and_another_cpas_search_by_post_too(client_for, auditor_a, charlie, person):
    assert "DUBOIS" in client_for(auditor_a).post(reverse("beneficiary_list"), {"q": "85073003328"}).content.decode()
    assert "DUBOIS" not in client_for(charlie).post(reverse("beneficiary_list"), {"q": "85073003328"}).content.decode()


@pytest.mark.django_db
def test_the_convention_form_searches_a_person_by_post(client_for, alice, person, cpas_a):
    BeneficiaryFactory(cpas=cpas_a, last_name="Mertens", first_name="Yves")
    client = client_for(alice)
    url = reverse("person_picker_options") + "?field=beneficiary"
    found = client.post(url, {"beneficiary_query": "85.07.30-033.28"}, headers={"HX-Request": "true"}).content.decode()
    assert "DUBOIS" in found and "MERTENS" not in found
    assert "DUBOIS" not in client.get(url + "&beneficiary_query=85.07.30-033.28",
                                      headers={"HX-Request": "true"}).content.decode()
    form = client.get(reverse("convention_create")).content.decode()
    assert f'hx-post="{url}"' in form


@pytest.mark.django_db
def test_the_api_searches_a_number_by_post(api_client_for, alice, auditor_a, charlie, person):
    api = api_client_for(alice)
    refused = api.get("/api/v1/beneficiaries/", {"search": "85.07.30-033.28"})
    assert refused.status_code == 400 and "search" in refused.json()
    assert api.get("/api/v1/beneficiaries/", {"search": "dubois"}).json()["count"] == 1
    found = api.post("/api/v1/beneficiaries/search/", {"q": "85 07 30 033 28"}, format="json")
    assert found.status_code == 200
    body = found.json()
    assert [row["id"] for row in body["results"]] == [person.pk]
    assert "niss" not in body["results"][0] and body["results"][0]["niss_masked"] == "85.07.30-***.**"
    by_auditor = api_client_for(auditor_a).post("/api/v1/beneficiaries/search/", {"q": "85073003328"}, format="json")
    assert by_auditor.status_code == 200 and by_auditor.json()["count"] == 1
    by_charlie = api_client_for(charlie).post("/api/v1/beneficiaries/search/", {"q": "85073003328"}, format="json")
    assert by_charlie.status_code == 200 and by_charlie.json()["count"] == 0
    assert api.post("/api/v1/beneficiaries/search/", {}, format="json").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_api_search_query_count_does_not_grow(api_client_for, alice, cpas_a, count, django_assert_num_queries):
    BeneficiaryFactory.create_batch(count, cpas=cpas_a, last_name="Lambert")
    api = api_client_for(alice)
    # membership (+CPAS), count, page of beneficiaries (+referent)
    with django_assert_num_queries(3):
        response = api.post("/api/v1/beneficiaries/search/", {"q": "lambert"}, format="json")
    assert response.status_code == 200


# The API schema in production --------------------------------------------------------------------------

SCHEMA_PROBE = """
import django; django.setup()
from django.conf import settings
# No collectstatic here: the documentation page's static files from the finders.
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.contrib.auth.models import User
from django.urls import resolve
from rest_framework.test import APIRequestFactory, force_authenticate
factory = APIRequestFactory()
for path in ("/api/schema/", "/api/docs/"):
    view = resolve(path).func
    anonymous = view(factory.get(path, secure=True)).status_code
    request = factory.get(path, secure=True)
    force_authenticate(request, user=User(username="reader"))
    print(path, anonymous, view(request).status_code)
"""


def probe_schema(**env):
    import os

    return subprocess.run([sys.executable, "-c", SCHEMA_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "cpas_portal.settings", **env})


def test_in_production_the_schema_and_docs_need_a_signed_in_user():
    result = probe_schema(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    for path in ("/api/schema/", "/api/docs/"):
        anonymous, signed_in = lines[path].split()
        assert anonymous in ("401", "403") and signed_in == "200", (path, lines[path])


def test_in_development_the_schema_stays_open():
    result = probe_schema()
    assert result.returncode == 0, result.stderr
    assert "/api/schema/ 200 200" in result.stdout
