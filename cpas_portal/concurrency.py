"""Optimistic locking: every edit carries the version of the record it was loaded from.

Two people editing the same record: the second save is refused instead of silently overwriting the
first. A versioned model has a ``version`` integer; its service calls :func:`bump_version` inside
its transaction, which compares the version the edit was loaded from and raises it by one with a
conditional UPDATE (so it holds with or without a row lock). A stale edit raises
:class:`StaleVersion`, which says which fields someone else changed (old → new, read back from the
change history) in the user's language:

- pages: the form keeps the user's input, shows the changes, answers 409 and carries the current
  version, so saving again is a deliberate overwrite (:class:`VersionedFormMixin`, :func:`form_status`);
- API: the detail carries ``ETag: "v<version>"``; ``If-Match`` is honoured (412 on mismatch), else
  a ``version`` in the body is compared (409 with field errors) (:class:`VersionedViewSetMixin`);
- admin: the change form refuses a stale save (:class:`VersionedAdminMixin`).
"""

import re

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

STALE = "stale"
MAX_VERSION = 2**31 - 1
# Not compared: bookkeeping, and the version itself.
UNCOMPARED = {"id", "cpas", "version", "created_at", "updated_at"}


def version_field():
    return models.PositiveIntegerField(
        gettext_lazy("version"), default=1, editable=False,
        help_text=gettext_lazy("Raised by one at every change; an edit loaded from an older version is refused."),
    )


class StaleVersion(ValidationError):
    """The edit was loaded from ``expected``; the record is now at ``current``, with these ``changes``."""

    def __init__(self, instance, expected, current):
        self.expected, self.current = expected, current
        self.changes = changes_since(instance, expected)
        self.summary = _(
            "Someone else saved this %(record)s while you were editing it (you loaded version %(expected)s, "
            "it is now at version %(current)s). Your input is kept: check it and save again to overwrite."
        ) % {"record": type(instance)._meta.verbose_name, "expected": expected, "current": current}
        lines = [self.summary] + [
            _("%(field)s: %(old)s → %(new)s") % {"field": label, "old": old, "new": new}
            for _name, label, old, new in self.changes
        ]
        super().__init__([ValidationError(line, code=STALE) for line in lines])

    def as_field_errors(self):
        """For the API: the summary on ``version``, each changed field on its own name."""
        errors = {"version": [self.summary]}
        for name, _label, old, new in self.changes:
            errors[name] = [_("Changed by someone else: %(old)s → %(new)s.") % {"old": old, "new": new}]
        errors["current_version"] = self.current
        return errors


def _as_version(value):
    if value in (None, ""):
        return None
    try:
        version = int(value)
    except (TypeError, ValueError):
        return 0
    return version if 0 < version <= MAX_VERSION else 0


def bump_version(instance, expected=None):
    """Raise ``instance``'s version by one in the database, refusing a stale edit.

    Call inside the service's transaction, on the row it is about to save (ideally locked).
    ``expected`` is the version the edit was loaded from (None: an edit that did not say, e.g. a
    status change by a service; it still moves the version so other editors see the change).
    """
    model = type(instance)
    current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    expected = _as_version(expected)
    if current is None:
        raise model.DoesNotExist
    if expected is not None and expected != current:
        raise StaleVersion(instance, expected, current)
    if not model._base_manager.filter(pk=instance.pk, version=current).update(version=F("version") + 1):
        # Another transaction moved it between our read and our write (no row lock, e.g. SQLite).
        raise StaleVersion(instance, current, current + 1)
    instance.version = current + 1
    return instance.version


def changes_since(instance, expected):
    """``[(name, label, old, new)]``: the fields whose value differs from the recorded ``expected`` version."""
    history = getattr(instance, "history", None)
    if history is None:
        return []
    then = history.filter(version=expected).order_by("-history_date", "-history_id").first()
    now = type(instance)._base_manager.filter(pk=instance.pk).first()
    if then is None or now is None:
        return []
    changes = []
    for field in type(instance)._meta.concrete_fields:
        if field.name in UNCOMPARED or not field.editable:
            continue
        old, new = getattr(then, field.attname, None), getattr(now, field.attname)
        if old != new:
            changes.append((field.name, str(field.verbose_name), _display(field, old), _display(field, new)))
    return changes


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(formats.localize(value))


# Pages ---------------------------------------------------------------------------------------------

class VersionedFormMixin(forms.Form):
    """A hidden ``version`` field: the version the page was loaded from (given to the service)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_VERSION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.initial["version"] = instance.version

    def refresh_version(self, current):
        """After a refused stale save: the input stays, the version becomes the current one."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(current)


def form_status(request, form):
    """409 for a stale save, 400 for another error, 200 otherwise."""
    if request.method != "POST" or not form.errors:
        return 200
    if form.has_error(NON_FIELD_ERRORS, code=STALE):
        return status.HTTP_409_CONFLICT
    return 400


def save_or_refuse_stale(form, write):
    """Run ``write()``; a stale edit lands above the form (with the current version), other errors on fields."""
    try:
        return write()
    except StaleVersion as error:
        form.add_error(None, error)
        form.refresh_version(error.current)
        return None


# Admin ---------------------------------------------------------------------------------------------

class VersionedAdminForm(VersionedFormMixin):
    """Mixed into the admin's model form: a stale version is a form error (the input stays)."""

    def clean(self):
        data = super().clean()
        instance = self.instance
        expected = _as_version(data.get("version"))
        if instance.pk and expected is not None:
            # The admin's change view runs in one transaction: the lock holds until the save.
            current = type(instance)._base_manager.select_for_update().filter(pk=instance.pk).values_list(
                "version", flat=True).first()
            if current is not None and expected != current:
                error = StaleVersion(instance, expected, current)
                self.refresh_version(current)
                raise error
        return data


class VersionedAdminMixin:
    """Admin: the change form carries the version; a stale save is refused with what changed."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            # ``version`` is the form's own field, not an editable field of the model.
            kwargs["fields"] = [name for name in kwargs["fields"] if name != "version"]
        base = super().get_form(request, obj, change, **kwargs)
        return type(base.__name__, (VersionedAdminForm, base), {})

    def save_model(self, request, obj, form, change):
        if change:
            bump_version(obj, form.cleaned_data.get("version"))
        super().save_model(request, obj, form, change)


# API -----------------------------------------------------------------------------------------------

def etag(version):
    return f'"v{version}"'


def _etag_version(value):
    match = re.fullmatch(r'\s*(?:W/)?"v(\d{1,10})"\s*', value)
    return _as_version(match.group(1)) if match else 0


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy("The record changed since you read it (If-Match): read it again.")
    default_code = "precondition_failed"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = STALE

    def __init__(self, errors):
        super().__init__(errors)
        # The current version stays a number, as in the record's own representation.
        self.detail["current_version"] = errors["current_version"]


class VersionField(serializers.IntegerField):
    """Read: the record's version. Write (without If-Match): the version the edit was loaded from."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=MAX_VERSION, **kwargs)


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description='The ETag of the record as read ("v<version>"); a changed record answers 412.',
)


class VersionedViewSetMixin:
    """API: ``ETag`` on the detail, ``If-Match`` honoured (412), else ``version`` in the body (409)."""

    def _if_match(self):
        """The version ``If-Match`` names: None without the header (or ``*``), 0 when it names none."""
        header = self.request.headers.get("If-Match")
        if header is None or header.strip() == "*":
            return None
        return _etag_version(header)

    def update(self, request, *args, **kwargs):
        wanted = self._if_match()
        if wanted is not None and wanted != self.get_object().version:
            raise PreconditionFailed()
        return super().update(request, *args, **kwargs)

    def edit_version(self, serializer):
        """The version the edit was loaded from, for the service."""
        in_body = serializer.validated_data.pop("version", None)
        wanted = self._if_match()
        return in_body if wanted is None else wanted

    def save_versioned(self, write):
        try:
            return write()
        except StaleVersion as error:
            if self._if_match() is not None:
                raise PreconditionFailed() from None
            raise Conflict(error.as_field_errors()) from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (response.status_code == 200 and self.action in ("retrieve", "update", "partial_update")
                and isinstance(data, dict) and "version" in data):
            response["ETag"] = etag(data["version"])
        return response
