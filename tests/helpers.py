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


def right_decisions_inline(beneficiary):
    """The management form and rows of the person's right decisions inline, as the change page sends them."""
    decisions = list(beneficiary.right_decisions.all())
    data = {"right_decisions-TOTAL_FORMS": str(len(decisions)), "right_decisions-INITIAL_FORMS": str(len(decisions)),
            "right_decisions-MIN_NUM_FORMS": "0", "right_decisions-MAX_NUM_FORMS": "1000"}
    for index, decision in enumerate(decisions):
        decided_on = decision.decided_on.isoformat() if decision.decided_on else ""
        data.update({f"right_decisions-{index}-id": decision.pk, f"right_decisions-{index}-beneficiary": beneficiary.pk,
                     f"right_decisions-{index}-right_type": decision.right_type,
                     f"right_decisions-{index}-category": decision.category,
                     f"right_decisions-{index}-decided_on": decided_on,
                     f"right_decisions-{index}-start": decision.start.isoformat(),
                     f"right_decisions-{index}-end": decision.end.isoformat() if decision.end else ""})
    return data


def fill_date(page, selector, day):
    """Type a date into a date field of a page driven by Playwright, as a user would.

    Browser tests go through this helper rather than ``page.fill`` so the way dates are typed is decided
    in one place: day first (dd/mm/yyyy) in every interface language, into the text field that app.js puts
    in place of each ``<input type=date>`` (it keeps the field's id; the ISO value goes in a hidden field).
    """
    page.fill(selector, day.strftime("%d/%m/%Y"))


def rows_as_template(tag, template, items, language, *, name="page"):
    """The rows a Python tag writes for ``items`` in ``language``, checked to be the HTML its former template
    renders (``template`` reads ``items`` as ``name``) and to hold no raw ``<script>`` of the escaped test names."""
    from django.template import Context
    from django.test.html import parse_html
    from django.utils import translation

    with translation.override(language):
        expected = template.render(Context({name: items}))
        written = tag(items)
    assert parse_html(written) == parse_html(expected)
    assert "<script>" not in written
    return written
