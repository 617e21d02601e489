"""Helpers for tests of every app."""

import pytest
from django.conf import settings

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
ON_CELERY_BROKER = not settings.CELERY_TASK_ALWAYS_EAGER

requires_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="row locks and concurrent writes need PostgreSQL (CI runs these)"
)
requires_celery_worker = pytest.mark.skipif(
    not ON_CELERY_BROKER, reason="needs Redis and a Celery worker (CI starts them)"
)
