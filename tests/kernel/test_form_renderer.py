"""The Python-written <select> is the markup of Django's widget templates, for every kind of choice."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy

from cpas_portal.form_renderer import FormRenderer, WrittenSelect


def _squeeze(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "Alpha & <b>"), ("b", 'Quote "b"')], required=False)
    grouped = forms.ChoiceField(choices=[("Group <1>", [("1", "One"), ("2", "Two")]), ("3", "Three")])
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    numbers = forms.TypedChoiceField(choices=[(1, "1"), (2, "2")], coerce=int,
                                     widget=forms.Select(attrs={"aria-label": "Number <n>", "data-x": True,
                                                                "hidden": False}))


@pytest.mark.parametrize("data", [{}, {"plain": "a", "grouped": "2", "several": ["x", "z"], "numbers": "2"},
                                  {"plain": "<script>", "grouped": "9", "several": ["nope"]}])
@pytest.mark.parametrize("field", ["plain", "grouped", "several", "numbers"])
def test_same_markup_as_django_templates(field, data):
    django_form = Everything(data or None, renderer=DjangoTemplates())
    fast_form = Everything(data or None, renderer=FormRenderer())
    expected = _squeeze(django_form[field])
    assert "<select" in expected
    assert _squeeze(fast_form[field]) == expected


class Written(forms.Form):
    """``Everything``'s single choices with the widget written straight from its choices."""

    plain = forms.ChoiceField(choices=[("", "—"), ("a", "Alpha & <b>"), ("b", 'Quote "b"')], required=False,
                              widget=WrittenSelect)
    grouped = forms.ChoiceField(choices=[("Group <1>", [("1", "One"), ("2", "Two")]), ("3", "Three")],
                                widget=WrittenSelect)
    numbers = forms.TypedChoiceField(choices=[(1, "1"), (2, "2")], coerce=int,
                                     widget=WrittenSelect(attrs={"aria-label": "Number <n>", "data-x": True,
                                                          "hidden": False}))
    lazy = forms.ChoiceField(choices=[("", gettext_lazy("All")), ("x", gettext_lazy("Status <x>"))],
                             required=False, widget=WrittenSelect)
    repeated = forms.ChoiceField(choices=[("a", "A"), ("a", "A again"), (None, "None")], widget=WrittenSelect)


@pytest.mark.parametrize("data", [{}, {"plain": "a", "grouped": "2", "numbers": "2", "repeated": "a"},
                                  {"plain": "<script>", "grouped": "9", "numbers": "x", "repeated": ""}])
@pytest.mark.parametrize("field", ["plain", "grouped", "numbers", "lazy", "repeated"])
def test_the_written_select_is_djangos_markup(field, data):
    class Django(Written):
        pass

    for name, field_object in Django.base_fields.items():
        Django.base_fields[name] = copy_with_django_select(field_object)
    expected = _squeeze(Django(data or None, renderer=DjangoTemplates())[field])
    assert "<select" in expected
    written = Written(data or None, renderer=FormRenderer())
    assert _squeeze(written[field]) == expected
    # The same form rendered by Django's templates takes Django's way (another renderer).
    assert _squeeze(Written(data or None, renderer=DjangoTemplates())[field]) == expected


def copy_with_django_select(field):
    import copy

    field = copy.deepcopy(field)
    widget = forms.Select(attrs=field.widget.attrs)
    widget.choices = field.widget.choices
    field.widget = widget
    return field


@pytest.mark.parametrize("data", [{}, {"plain": "<script>", "grouped": "9"}])
def test_error_lists_are_djangos_markup_empty_or_not(data):
    fast, django = Everything(data or None, renderer=FormRenderer()), Everything(data or None,
                                                                                renderer=DjangoTemplates())
    for name in ("plain", "grouped", "several"):
        assert str(fast[name].errors) == str(django[name].errors)
    assert str(fast.non_field_errors()) == str(django.non_field_errors())
    if data:
        assert "<ul" in str(fast["grouped"].errors)


def test_a_widget_with_its_own_option_template_keeps_it():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class CustomForm(forms.Form):
        choice = forms.ChoiceField(choices=[("a", "A")], widget=Custom)

    assert _squeeze(CustomForm(renderer=FormRenderer())["choice"]) == _squeeze(
        CustomForm(renderer=DjangoTemplates())["choice"])


@pytest.mark.django_db
def test_choice_display_is_djangos_in_every_language(cpas_a):
    """``ChoiceDisplay`` gives what Django's ``_get_FIELD_display`` gives, known or unknown value, per language."""
    from django.db.models import Model
    from django.utils import translation

    from cpas_portal.models import Membership
    from measures.models import Placement, PlacementStatus

    placement = Placement(status=PlacementStatus.DRAFT)
    field = Placement._meta.get_field("status")
    for language in ("fr", "nl", "de", "en"):
        with translation.override(language):
            for value in [*PlacementStatus.values, "no-such-status"]:
                placement.status = value
                assert placement.get_status_display() == Model._get_FIELD_display(placement, field)
    membership = Membership(role="finance")
    with translation.override("nl"):
        assert membership.get_role_display() == Model._get_FIELD_display(
            membership, Membership._meta.get_field("role"))
