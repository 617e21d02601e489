"""The form renderer: Django's, with the ``<select>`` written in Python.

Django renders every ``<option>`` through two templates; a filter bar with a list of caseworkers and a few
choice fields renders about 120 of them, which cost more than the rest of a list page. The markup below is
exactly what ``django/forms/widgets/select.html``, ``select_option.html`` and ``attrs.html`` produce
(``tests/kernel/test_form_renderer.py`` compares them); a widget with its own templates keeps them.
"""

import html

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _escape(value):
    """``conditional_escape``, with plain text escaped at once (the same ``html.escape``, without the lazy-text
    checks that cost more than the escaping, twice per option)."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _attrs(attrs):
    """`` name="value"`` for each attribute, as ``attrs.html``: ``True`` alone, ``False`` left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_escape(name)}" if value is True
                     else f' {_escape(name)}="{_escape(str(value))}"')
    return "".join(parts)


def _select_markup(name, attrs, groups):
    """``groups``: (group name or None, [(value, label, option attributes)])."""
    parts = [f'<select name="{_escape(name)}"{_attrs(attrs)}>']
    for group_name, options in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for value, label, option_attrs in options:
            parts.append(f'\n  <option value="{_escape(str(value))}"{_attrs(option_attrs) if option_attrs else ""}>'
                         f'{_escape(label)}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped


def render_select(widget):
    return _select_markup(widget["name"], widget["attrs"], (
        (group_name, [(option["value"], option["label"], option["attrs"]) for option in group_choices])
        for group_name, group_choices, _index in widget["optgroups"]))


# Django's error lists render their template even when empty; the template writes nothing then.
EMPTY_ERROR_LISTS = ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in EMPTY_ERROR_LISTS and not context.get("errors"):
            return ""
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(option["template_name"] == OPTION for _name, choices, _index
                                      in widget["optgroups"] for option in choices):
            return render_select(widget)
        return super().render(template_name, context, request=request)


class WrittenSelect(forms.Select):
    """Django's ``Select``, written straight from its choices by :class:`FormRenderer`, for a long list of
    choices (a CPAS's caseworkers): Django first builds a dictionary of nine entries per option. Same markup
    (``tests/kernel/test_form_renderer.py``); with another renderer, or templates of its own, it is Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        if (not isinstance(renderer or get_default_renderer(), FormRenderer) or self.template_name != SELECT
                or self.option_template_name != OPTION or self.option_inherits_attrs):
            return super().render(name, value, attrs, renderer)
        # What Widget, ChoiceWidget and Select.get_context and ChoiceWidget.optgroups do, without the options'
        # dictionaries.
        selected_values = self.format_value(value)
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        groups, has_selected = [], False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, choices = option_value, option_label
            else:
                group_name, choices = None, [(option_value, option_label)]
            options = []
            for subvalue, sublabel in choices:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in selected_values
                has_selected |= selected
                options.append((subvalue, sublabel, self.checked_attribute if selected else {}))
            groups.append((group_name, options))
        return _select_markup(name, final_attrs, groups)
