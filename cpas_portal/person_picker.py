"""Choosing a person in any form: a search by name or national number, never a bare list of names.

``PersonField`` renders a search box and the matching people as radio buttons (name, masked national number,
birth date). With scripts, HTMX fills the radios as the user types (``person_picker_options``, by POST so that a
typed national number stays out of URLs); without, the form is submitted with what was typed: a national number
(any typed form) or a name matching one person is taken, several matches come back as radios to choose from.
The keyboard works as with any radio group (Tab into the group, arrows to choose).

Use: ``beneficiary = PersonField()`` on the form, then ``self.fields["beneficiary"].for_cpas(cpas)`` in its
``__init__``. The cleaned value is the ``Beneficiary``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import person_search, selectors
from .identifiers import niss_compact
from .inputs import is_key
from .models import Beneficiary

CHOICES_SHOWN = 10
QUERY_SUFFIX = "_query"
PERSON_COLUMNS = ("id", "first_name", "last_name", "niss", "birth_date")


def people_matching(*, cpas, search, limit=CHOICES_SHOWN):
    """The people of ``cpas`` matching ``search`` (name or national number), at most ``limit``."""
    return list(selectors.person_choices(cpas=cpas, search=search, limit=limit))


def person_in_cpas(*, cpas, pk):
    """The person ``pk`` of ``cpas``, or ``None`` (another CPAS's person is as absent as a missing one)."""
    if pk is None or not is_key(pk):
        return None
    return Beneficiary.objects.filter(cpas=cpas, pk=pk).only(*PERSON_COLUMNS).first()


class PersonPickerWidget(forms.Widget):
    template_name = "beneficiaries/_person_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.cpas = None
        self.candidates = []
        # The person found from what was typed, shown chosen when the form comes back for another field's error.
        self.resolved = None

    def _render(self, template_name, context, renderer=None):
        # The project's templates (``templates/beneficiaries/``), not the form renderer's own directories.
        return mark_safe(render_to_string(template_name, context))

    def value_from_datadict(self, data, files, name):
        return {"id": data.get(name) or None, "query": data.get(name + QUERY_SUFFIX, "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + QUERY_SUFFIX not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen_pk, query = (value.get("id"), value.get("query", "")) if isinstance(value, dict) else (value, "")
        chosen = person_in_cpas(cpas=self.cpas, pk=chosen_pk) if self.cpas is not None else None
        chosen = chosen or self.resolved
        people = [person for person in self.candidates if chosen is None or person.pk != chosen.pk]
        context["picker"] = {
            "query_name": name + QUERY_SUFFIX,
            "query": query,
            "chosen": chosen,
            "people": people,
            "results_id": f"{attrs.get('id') or name}-results",
            "url": f"{reverse('person_picker_options')}?field={name}",
        }
        return context


class PersonField(forms.Field):
    widget = PersonPickerWidget
    default_error_messages = {
        "required": _("Search the person by name or national number, then choose them."),
        "not_found": _("Nobody in your CPAS matches “%(search)s”."),
        "number_not_found": _("No person of your CPAS has this national number."),
        "several": _("Several people match: choose one below."),
        "invalid_choice": _("Choose a person of your CPAS."),
    }

    def __init__(self, *, label=None, **kwargs):
        super().__init__(label=label or _("Beneficiary"), **kwargs)
        self.cpas = None

    def for_cpas(self, cpas):
        """Limit the choice to the people of ``cpas`` (every form does this in its ``__init__``)."""
        self.cpas = cpas
        self.widget.cpas = cpas
        return self

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.candidates = []
        result.widget.resolved = None
        return result

    def clean(self, value):
        if not isinstance(value, dict):
            # A disabled field is cleaned from its initial value: the person's id.
            value = {"id": getattr(value, "pk", value), "query": ""}
        if self.disabled and value["id"] is None:
            value = {"id": None, "query": ""}
        person = self._resolve(value)
        self.validate(person)
        self.run_validators(person)
        return person

    def _resolve(self, value):
        person = self._find(value)
        if person is not None and not value.get("id"):
            self.widget.resolved = person
        return person

    def _find(self, value):
        chosen, search = value.get("id"), (value.get("query") or "").strip()
        if chosen:
            person = person_in_cpas(cpas=self.cpas, pk=chosen)
            if person is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return person
        if not search:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        digits = person_search.number_digits(search)
        if digits is not None and len(digits) >= 11:
            niss = niss_compact(search)
            person = Beneficiary.objects.filter(cpas=self.cpas, niss=niss).first()
            if person is None:
                raise ValidationError(self.error_messages["number_not_found"], code="number_not_found")
            return person
        found = people_matching(cpas=self.cpas, search=search)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params={"search": search})
        self.widget.candidates = found
        raise ValidationError(self.error_messages["several"], code="several")

    def has_changed(self, initial, data):
        chosen = data.get("id") if isinstance(data, dict) else data
        return str(getattr(initial, "pk", initial) or "") != str(chosen or "")

    def prepare_value(self, value):
        return getattr(value, "pk", value)
