"""Browser forms of PIIS and evaluations; they re-display what was typed with a message per field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cpas_portal.concurrency import VersionedFormMixin
from cpas_portal.form_renderer import WrittenSelect
from cpas_portal.forms import DateInput
from cpas_portal.models import Organisation
from cpas_portal.person_picker import PersonField

from .models import Piis, PiisKind, PiisOutcome, PiisStatus


class PiisForm(VersionedFormMixin, forms.ModelForm):
    beneficiary = PersonField()
    third_parties = forms.ModelMultipleChoiceField(
        label=_("Third parties"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations joining the contract to reach some of its objectives (training centre, "
                    "mental-health centre…)."))

    class Meta:
        model = Piis
        fields = ["beneficiary", "kind", "applied_on", "decided_on", "start", "end", "third_parties", "objectives"]
        widgets = {"applied_on": DateInput(), "decided_on": DateInput(), "start": DateInput(), "end": DateInput(),
                   "objectives": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "applied_on": _("Under 25: the terms are negotiated within 3 months of the application."),
            "decided_on": _("Since 1 November 2016, a new integration income: the PIIS is concluded within 3 months "
                            "of the decision."),
            "end": _("A PIIS of 6 to 12 months counts in the social-activation report."),
        }

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["third_parties"].queryset = Organisation.objects.filter(cpas=cpas).order_by("name")
        field = self.fields["beneficiary"].for_cpas(cpas)
        if self.instance.pk:
            # The person of a PIIS does not change: it is a contract with them.
            field.disabled = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return cleaned

    def service_data(self):
        data = dict(self.cleaned_data)
        data.pop("beneficiary", None)
        return data


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    start = forms.DateField(label=_("Start"), widget=DateInput(), required=False,
                            help_text=_("Empty: the signature date."))
    end = forms.DateField(label=_("End"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="sign", **kwargs)


class EndForm(forms.Form):
    end = forms.DateField(label=_("Ended on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "---------")] + list(PiisOutcome.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="end", **kwargs)


class EvaluationForm(VersionedFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    face_to_face = forms.BooleanField(label=_("Face to face"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class PiisFilterForm(forms.Form):
    search = forms.CharField(label=_("Name"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=WrittenSelect,
                               choices=[("", _("All"))] + list(PiisStatus.choices))
    kind = forms.ChoiceField(label=_("Type"), required=False, widget=WrittenSelect,
                             choices=[("", _("All"))] + list(PiisKind.choices))
    mine = forms.BooleanField(label=_("People I follow"), required=False)


def evaluation_initial(evaluation, today):
    return {"held_on": today, "face_to_face": evaluation.face_to_face, "notes": evaluation.notes,
            "version": evaluation.version}

