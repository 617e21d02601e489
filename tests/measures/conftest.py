import importlib

import pytest
from django.apps import apps


@pytest.fixture
def seeded_parameters(django_db_blocker):
    """The RIS and RMMMG rows of the data migrations, again: a transactional test may start after a flush."""
    with django_db_blocker.unblock():
        for name in ("0002_seed_ris_amounts", "0004_seed_minimum_wage", '0008_seed_minimum_wage_2013_2022'):
            importlib.import_module(f"measures.migrations.{name}").seed(apps, None)
