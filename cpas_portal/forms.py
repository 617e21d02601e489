"""Browser forms of the shared kernel; they re-display what was typed with a message per field."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .concurrency import VersionedFormMixin
from .form_renderer import WrittenSelect
from .identifiers import niss_compact
from .models import Beneficiary, CaseNote, Category, DocumentKind, RightDecision, RightType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BeneficiaryForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Beneficiary
        fields = [
            "niss", "last_name", "first_name", "birth_date", "sex", "language", "street", "postal_code",
            "city", "referent",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.cpas = cpas
        # The CPAS is not a form field; set it so the model's own validation can run.
        self.instance.cpas = cpas
        self.fields["niss"].max_length = 20
        self.fields["niss"].widget.attrs.update({"maxlength": 20, "placeholder": "85.07.30-033.28",
                                                 "data-niss-fills": "birth_date sex"})
        self.fields["niss"].validators = []
        self.fields["referent"].queryset = selectors.caseworker_choices(cpas=cpas, keep=self.instance.referent_id)
        self.fields["referent"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if self.instance.pk:
            self.initial["niss"] = self.instance.niss_display
        else:
            # A new person's letters go out in the CPAS's language unless chosen otherwise.
            self.initial["language"] = (kwargs.get("initial") or {}).get("language", cpas.language)

    def clean_niss(self):
        niss = niss_compact(self.cleaned_data["niss"])
        taken = Beneficiary.objects.filter(cpas=self.cpas, niss=niss).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("This national number is already registered in your CPAS."))
        return niss


class BeneficiaryCreateForm(BeneficiaryForm):
    """Registering a person takes their first right decision too, so that it stays one step; later decisions
    are added, corrected and ended on the person's file."""

    right_type = forms.ChoiceField(label=gettext_lazy("Right"), choices=RightType.choices)
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), choices=Category.choices, coerce=int)
    right_decided_on = forms.DateField(label=gettext_lazy("Decision date"), required=False, widget=DateInput())
    right_start = forms.DateField(label=gettext_lazy("Right from"), widget=DateInput())
    right_end = forms.DateField(label=gettext_lazy("Right until"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("right_start") and data.get("right_end") and data["right_end"] < data["right_start"]:
            self.add_error("right_end", _("The right cannot end before it starts."))
        return data


class RightDecisionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = RightDecision
        fields = ["right_type", "category", "decided_on", "start", "end"]
        widgets = {"decided_on": DateInput(), "start": DateInput(), "end": DateInput()}


class CaseNoteForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["day", "text", "confidential"]
        widgets = {"day": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150, required=False)
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, PNG or JPEG, at most %(limit)s.") % {
            "limit": filesizeformat(settings.CPAS_DOCUMENT_MAX_BYTES)}


class BeneficiaryFilterForm(forms.Form):
    """Filters of the beneficiary list; the right, category and status are those in force today."""

    NONE = "none"

    referent = forms.ChoiceField(label=gettext_lazy("Referent"), required=False, widget=WrittenSelect)
    right = forms.ChoiceField(label=gettext_lazy("Right today"), required=False, widget=WrittenSelect)
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), required=False, coerce=int, empty_value=None,
                                      widget=WrittenSelect)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, widget=WrittenSelect)

    def __init__(self, *args, caseworkers=(), **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        # ``caseworkers``: (id, label) pairs, ``selectors.caseworker_labels``.
        self.fields["referent"].choices = everyone + [(self.NONE, _("No referent"))] + [
            (str(pk), label) for pk, label in caseworkers]
        self.fields["right"].choices = everyone + list(RightType.choices) + [(self.NONE, _("No right today"))]
        self.fields["category"].choices = everyone + list(Category.choices)
        self.fields["status"].choices = everyone + list(PERSON_STATUS_LABELS.items())


PERSON_STATUS_LABELS = {
    selectors.PersonStatus.ACTIVE: gettext_lazy("Right in force"),
    selectors.PersonStatus.ENDING: gettext_lazy("Right ending within 30 days"),
    selectors.PersonStatus.NO_RIGHT: gettext_lazy("No right today"),
}


class ConsultationFilterForm(forms.Form):
    """Filters of the consultation log (GET: a person is chosen by id, never by national number)."""

    person = forms.IntegerField(label=gettext_lazy("Person (file number)"), required=False, min_value=1)
    user = forms.TypedChoiceField(label=gettext_lazy("User"), required=False, coerce=int, empty_value=None)
    day_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    day_until = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DateInput())

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—")] + [
            (member.pk, member.get_full_name() or member.get_username()) for member in members
        ]

    def clean(self):
        data = super().clean()
        if data.get("day_from") and data.get("day_until") and data["day_until"] < data["day_from"]:
            self.add_error("day_until", _("The end comes before the start."))
        return data


class HandoverForm(forms.Form):
    """A manager hands all or some files of one caseworker to another (both of the manager's CPAS)."""

    ALL, SELECTED = "all", "selected"

    from_caseworker = forms.ModelChoiceField(label=gettext_lazy("From"), queryset=get_user_model().objects.none())
    to_caseworker = forms.ModelChoiceField(label=gettext_lazy("To"), queryset=get_user_model().objects.none())
    scope = forms.ChoiceField(label=gettext_lazy("Files"), initial=ALL, widget=forms.RadioSelect, choices=())
    beneficiaries = forms.TypedMultipleChoiceField(label=gettext_lazy("Selected files"), required=False, coerce=int,
                                                   choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, holders, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(pk__in=[user.pk for user in holders])
        self.fields["from_caseworker"].queryset = users
        self.fields["to_caseworker"].queryset = users
        # Labels without a query: the holders are already loaded.
        label = {user.pk: user.get_full_name() or user.get_username() for user in holders}
        for name in ("from_caseworker", "to_caseworker"):
            self.fields[name].label_from_instance = lambda user, label=label: label.get(user.pk, str(user))
            self.fields[name].choices = [("", "---------"), *label.items()]
        self.fields["scope"].choices = [(self.ALL, _("All their files")), (self.SELECTED, _("The files ticked below"))]
        # The ticked files are checked by the service against the files the caseworker follows.
        self.fields["beneficiaries"].choices = [(b.pk, str(b)) for b in files]
        self.fields["beneficiaries"].valid_value = lambda value: True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not cleaned.get("beneficiaries"):
            self.add_error("beneficiaries", _("Tick at least one file, or hand over all of them."))
        return cleaned
