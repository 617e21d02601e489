"""Sessions end after 30 idle minutes, and 10 hours after the login whatever the activity."""

from datetime import timedelta

from .conftest import login

PAGE = "/beneficiaries/"


def logged_in(client, alice):
    assert login(client, "alice").status_code == 302
    return client


def test_a_session_survives_activity_within_the_idle_timeout(client, alice, clock):
    logged_in(client, alice)
    for _ in range(8):  # four hours of work, a request every 29 minutes
        clock.advance(minutes=29)
        assert client.get(PAGE).status_code == 200


def test_a_session_ends_after_30_idle_minutes(client, alice, clock):
    logged_in(client, alice)
    assert client.get(PAGE).status_code == 200
    clock.advance(minutes=31)
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = client.get(response["Location"])
    assert "Votre session a pris fin après une période".encode() in page.content
    # Logged out for good: the next request is anonymous too.
    assert client.get(PAGE).status_code == 302


def test_the_idle_timeout_comes_from_the_settings(client, alice, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    logged_in(client, alice)
    clock.advance(minutes=4)
    assert client.get(PAGE).status_code == 200
    clock.advance(minutes=6)
    assert client.get(PAGE).status_code == 302


def test_a_session_ends_after_10_hours_whatever_the_activity(client, alice, clock):
    logged_in(client, alice)
    for _ in range(23):  # 9 h 35 of steady work
        clock.advance(minutes=25)
        assert client.get(PAGE).status_code == 200
    clock.advance(minutes=26)  # 10 h 01 after the login, 26 minutes after the last request
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "durée maximale".encode() in client.get(response["Location"]).content


def test_force_login_sessions_are_timed_too(client_for, alice, clock):
    client = client_for(alice)
    assert client.get(PAGE).status_code == 200
    clock.advance(minutes=31)
    assert client.get(PAGE).status_code == 302


def test_the_last_request_is_written_at_most_once_a_minute(client_for, alice, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)
    client.get(PAGE)

    def queries_after(**delta):
        clock.advance(**delta)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    within_the_minute = queries_after(seconds=20)
    after_the_minute = queries_after(seconds=61)  # + the session's UPDATE (in a savepoint)
    assert after_the_minute > within_the_minute == queries_after(seconds=20)


def test_the_session_cookie_does_not_outlive_the_absolute_lifetime(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == timedelta(minutes=30)
