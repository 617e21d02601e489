"""Starting quietly (issue 12, item 17): libraries log only their warnings and errors; scripts/dev says
what it is doing, step by step."""

import logging
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.parametrize("name", ["weasyprint", "fontTools.subset", "PIL.PngImagePlugin", "asyncio",
                                  "django.utils.autoreload", "django.db.backends", "kombu.connection"])
def test_libraries_keep_their_debug_and_info_lines_to_themselves(name):
    logger = logging.getLogger(name)
    assert not logger.isEnabledFor(logging.INFO)
    assert logger.isEnabledFor(logging.ERROR)


def test_our_warnings_and_request_errors_still_show():
    assert logging.getLogger("django.request").isEnabledFor(logging.WARNING)
    assert logging.getLogger("cpas_portal.error_pages").isEnabledFor(logging.WARNING)


def test_the_run_command_announces_each_step_and_starts_quietly():
    script = (Path(settings.BASE_DIR) / "scripts" / "dev").read_text()
    steps = [line for line in script.splitlines() if line.startswith("step ")]
    assert [line.split()[1] for line in steps] == ["1", "2", "3", "4", "5"]
    assert 'DJANGO_LOG_LEVEL=${DJANGO_LOG_LEVEL:-WARNING}' in script
