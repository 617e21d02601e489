"""``get_<field>_display()`` without rebuilding the field's choices on every call.

Django's ``Model._get_FIELD_display`` turns every choice of the field into a hashable pair and a dict on each
call, translating each lazy label to hash it: a list page of 25 rows with a status and a kind calls it 50 times
and pays more for it than for its queries. :class:`ChoiceDisplay` keeps one ``value → lazy label`` dict per
field and translates the one label asked for; the result is the same string.
"""

from django.utils.encoding import force_str

_LABELS = {}


def _labels(field):
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = dict(field.flatchoices)
    return labels


class ChoiceDisplay:
    """Mix into a model before ``models.Model``."""

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value (a list in a JSON field): Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
