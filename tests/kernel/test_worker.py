"""A real Celery worker on Redis runs the project's tasks against the test database (CI starts it)."""

import pytest
from django.conf import settings

from cpas_portal.tasks import database_health
from tests.factories import CpasFactory
from tests.helpers import requires_celery_worker


@requires_celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sees_what_the_test_wrote():
    CpasFactory.create_batch(3)
    result = database_health.delay()
    assert result.get(timeout=30) == 3
    assert settings.CELERY_BROKER_URL.startswith("redis://")


@pytest.mark.django_db
def test_tasks_run_in_process_on_the_embedded_default(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    CpasFactory()
    assert database_health.apply().get() == 1
