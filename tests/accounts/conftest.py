"""Time travel and TOTP codes for the authentication tests."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "secret-pass-2026"


class Clock:
    """The time Django, django-axes and django-rest-knox read; moved forward by the test, never slept."""

    def __init__(self):
        self.now = timezone.now()

    def advance(self, **delta):
        self.now += timedelta(**delta)

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    for target in ("django.utils.timezone.now", "axes.handlers.proxy.now", "axes.attempts.now"):
        monkeypatch.setattr(target, clock)
    return clock


def totp_code(device, steps_ahead=0):
    """The code the user's app shows now (or ``steps_ahead`` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.fixture
def no_otp_throttle(settings):
    """django-otp refuses a code for 2^n seconds after n wrong ones; tests that retry at once switch it off."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def login(client, username, password=PASSWORD, ip="10.0.0.1", url="/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def token_request(client, username, password=PASSWORD, ip="10.0.0.1", **extra):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password, **extra},
                       REMOTE_ADDR=ip, content_type="application/json")


def wrong_code(device):
    """Six digits the device does not accept now (none of the codes within its tolerance)."""
    valid = {totp_code(device, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)
