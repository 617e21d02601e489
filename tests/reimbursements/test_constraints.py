"""Every database constraint of the claims speaks to the user: a translated message, never its name."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from reimbursements.models import BudgetArticle

CONSTRAINTS = [(model, constraint) for model in apps.get_app_config("reimbursements").get_models()
               for constraint in model._meta.constraints]


def test_there_are_constraints_to_check():
    assert len(CONSTRAINTS) >= 20


@pytest.mark.parametrize(("model", "constraint"), CONSTRAINTS, ids=lambda value: getattr(value, "name", ""))
def test_each_constraint_has_its_own_message(model, constraint):
    message = str(constraint.violation_error_message)
    assert message != str(constraint.default_violation_error_message)
    assert constraint.name not in message
    # Lazy: it follows the reader's language once the catalogues hold it.
    assert type(constraint.violation_error_message).__name__ == "__proxy__"


@pytest.mark.django_db
def test_a_violated_constraint_gives_its_message_not_its_name():
    row = {"article": "102", "effective_date": "2002-10-01", "state_percentage": "60.00", "source": "seed"}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        BudgetArticle(**row).validate_constraints()
    text = " ".join(error.value.messages)
    assert "budget_article_unique_date" not in text and "correct that row instead" in text
