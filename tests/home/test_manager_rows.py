"""The manager's rows per caseworker written in Python give the markup the template wrote, in every language."""

from types import SimpleNamespace

import pytest
from django.template import Template

from cpas_portal.home import Groups
from cpas_portal.templatetags.cpas import caseworker_count_rows
from tests.helpers import rows_as_template

# The rows as ``home/manager.html`` wrote them before they were written in Python.
TEMPLATE = Template("""{% load l10n %}{% for user, groups in rows %}
    <tr{% if selected and selected.pk == user.pk %} aria-current="true"{% endif %}>
      <td><a href="?caseworker={{ user.pk|unlocalize }}">{{ user.get_full_name|default:user.username }}</a></td>
      <td>{{ groups.counts.overdue }}</td><td>{{ groups.counts.week }}</td><td>{{ groups.counts.month }}</td>
    </tr>
  {% endfor %}""")


def person(pk, first, last, username):
    return SimpleNamespace(pk=pk, username=username, get_full_name=lambda: f"{first} {last}".strip())


ROWS = [
    (person(7, "Alice", "Lambert", "alice"), Groups.of_counts([3, 0, 12])),
    (person(12345, "", "", "<script>x</script>"), Groups.of_counts([1250, 7, 100000])),
    (person(8, "Zoë", "D'Hondt & Co", "zoe"), Groups.of_counts([0, 0, 0])),
]


class WithSelected:
    """The former template rendered with ``selected`` beside the rows (``rows_as_template`` gives only the rows)."""

    def __init__(self, selected):
        self.selected = selected

    def render(self, context):
        from django.template import Context

        return TEMPLATE.render(Context({"rows": context["rows"], "selected": self.selected}))


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("selected", [None, 12345])
def test_the_rows_are_the_templates(language, selected):
    chosen = next((user for user, _groups in ROWS if user.pk == selected), None)
    written = rows_as_template(lambda rows: caseworker_count_rows(rows, chosen), WithSelected(chosen), ROWS, language,
                               name="rows")
    assert "&lt;script&gt;" in written
    assert ('aria-current="true"' in written) == (selected is not None)
