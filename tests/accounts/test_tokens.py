"""API tokens: issued with an expiry, refused once expired, ended by logout, a new password or deactivation."""

from datetime import timedelta

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from .conftest import PASSWORD, enrol, token_request, totp_code, wrong_code

LIST = "/api/v1/beneficiaries/"


def with_token(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def issue(client, username="alice", **extra):
    response = token_request(client, username, **extra)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_token_comes_with_its_expiry_and_is_stored_hashed(client, alice, clock):
    body = issue(client)
    assert set(body) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=alice)
    assert stored.expiry == clock.now + timedelta(hours=10)
    assert body["token"] not in stored.digest  # only the hash is kept
    assert with_token(body["token"]).get(LIST).status_code == 200


def test_a_token_is_refused_after_its_lifetime(client, alice, clock):
    api = with_token(issue(client)["token"])
    clock.advance(hours=9, minutes=59)
    assert api.get(LIST).status_code == 200
    clock.advance(minutes=2)
    assert api.get(LIST).status_code == 401
    assert not AuthToken.objects.filter(user=alice).exists()


def test_the_lifetime_comes_from_the_settings(client, alice, clock, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=1)}
    api = with_token(issue(client)["token"])
    clock.advance(minutes=61)
    assert api.get(LIST).status_code == 401


def test_logout_ends_this_token_only(client, alice):
    first, second = with_token(issue(client)["token"]), with_token(issue(client)["token"])
    assert first.post("/api/v1/auth/logout/").status_code == 204
    assert first.get(LIST).status_code == 401
    assert second.get(LIST).status_code == 200


def test_logout_all_ends_every_token(client, alice):
    first, second = with_token(issue(client)["token"]), with_token(issue(client)["token"])
    assert first.post("/api/v1/auth/logoutall/").status_code == 204
    assert second.get(LIST).status_code == 401


def test_a_new_password_ends_every_token(client, alice, bob):
    api, bobs = with_token(issue(client)["token"]), with_token(issue(client, "bob")["token"])
    alice.set_password("another-pass-2026")
    alice.save()
    assert api.get(LIST).status_code == 401
    assert bobs.get(LIST).status_code == 200


def test_deactivation_ends_every_token(client, alice):
    api = with_token(issue(client)["token"])
    alice.is_active = False
    alice.save()
    assert not AuthToken.objects.filter(user=alice).exists()
    alice.is_active = True
    alice.save()
    assert api.get(LIST).status_code == 401  # reactivation does not revive them


def test_other_changes_keep_the_tokens(client, alice):
    api = with_token(issue(client)["token"])
    alice.first_name = "Alicia"
    alice.save()
    client.force_login(alice)  # a login writes last_login only
    assert api.get(LIST).status_code == 200


def test_an_inactive_user_gets_no_token(client, alice):
    alice.is_active = False
    alice.save()
    assert token_request(client, "alice").status_code == 400


def test_a_wrong_password_gets_a_400_with_the_reason(client, alice):
    response = token_request(client, "alice", "wrong-password-1")
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_the_endpoint_is_throttled_per_address(client, alice, settings):
    settings.CPAS_TOKEN_THROTTLE_RATE = "3/min"
    assert [token_request(client, "alice").status_code for _ in range(3)] == [200] * 3
    throttled = token_request(client, "alice")
    assert throttled.status_code == 429 and "detail" in throttled.json()
    assert token_request(client, "alice", ip="10.0.0.2").status_code == 200


@pytest.mark.usefixtures("no_otp_throttle")
def test_a_user_with_a_device_needs_a_valid_code(client, alice):
    device = enrol(alice)
    missing = token_request(client, "alice")
    assert missing.status_code == 400 and "otp" in missing.json()
    assert token_request(client, "alice", otp=wrong_code(device)).status_code == 400
    body = issue(client, otp=totp_code(device))
    assert with_token(body["token"]).get(LIST).status_code == 200


def test_wrong_codes_count_as_failed_logins(client, alice):
    device = enrol(alice)
    statuses = [token_request(client, "alice", otp=wrong_code(device)).status_code for _ in range(5)]
    assert statuses == [400] * 4 + [429]


def test_roles_that_must_enrol_get_no_token_before_they_do(client, alice, bob, settings):
    settings.CPAS_REQUIRE_2FA_ROLES = ["manager", "finance"]
    refused = token_request(client, "bob")
    assert refused.status_code == 403 and "deux étapes" in refused.json()["detail"]
    assert token_request(client, "alice").status_code == 200  # a caseworker


def test_a_password_change_through_the_page_ends_the_tokens(client, alice):
    api = with_token(issue(client)["token"])
    client.force_login(alice)
    new = "a-much-longer-pass-2026"
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert api.get(LIST).status_code == 401


def test_the_schema_documents_the_token_scheme_and_endpoints():
    from django.test import Client

    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    scheme = schema["components"]["securitySchemes"]["knoxApiToken"]
    assert (scheme["in"], scheme["name"]) == ("header", "Authorization") and '"Token"' in scheme["description"]
    assert "ApiLoginRequest" in schema["components"]["schemas"]
    assert {"/api/v1/auth/token/", "/api/v1/auth/logout/", "/api/v1/auth/logoutall/"} <= set(schema["paths"])
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "403", "429"} <= set(token["responses"])
