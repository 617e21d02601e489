"""The form renderer: Django's, with the ``<select>`` written in Python.

Django renders every ``<option>`` through two templates; a filter bar with a list of caseworkers and a few
choice fields renders about 120 of them, which cost more than the rest of a list page. The markup below is
exactly what ``django/forms/widgets/select.html``, ``select_option.html`` and ``attrs.html`` produce
(``tests/kernel/test_form_renderer.py`` compares them); a widget with its own templates keeps them.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs):
    """`` name="value"`` for each attribute, as ``attrs.html``: ``True`` alone, ``False`` left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}" if value is True
                     else f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def render_select(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(option["template_name"] == OPTION for _name, choices, _index
                                      in widget["optgroups"] for option in choices):
            return render_select(widget)
        return super().render(template_name, context, request=request)
