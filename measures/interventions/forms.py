"""Browser forms of the financial interventions; they re-display what was typed with a message per field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cpas_portal.concurrency import VersionedFormMixin
from cpas_portal.forms import DateInput
from cpas_portal.models import Organisation
from cpas_portal.person_picker import PersonField
from measures.models import FirmEmployment

from .models import DocumentKind, Hire, Programme
from .selectors import ENDED, RUNNING


class HireForm(VersionedFormMixin, forms.ModelForm):
    beneficiary = PersonField()

    class Meta:
        model = Hire
        fields = ["beneficiary", "programme", "employer", "start", "end", "regime", "firm_employment"]
        widgets = {"start": DateInput(), "end": DateInput()}
        localized_fields = ["regime"]

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["beneficiary"].for_cpas(cpas)
        self.fields["employer"].queryset = Organisation.objects.filter(cpas=cpas).order_by("name")
        self.fields["firm_employment"].queryset = FirmEmployment.objects.filter(cpas=cpas).select_related(
            "beneficiary", "organisation")

    def clean_regime(self):
        regime = self.cleaned_data["regime"]
        if not 0 < regime <= 1:
            raise forms.ValidationError(_("The work regime is above 0 and at most 1 (full time)."))
        return regime

    def _post_clean(self):
        # The service validates the whole hire (with its locks); the form only checks the fields.
        pass


class PaymentForm(forms.Form):
    month = forms.DateField(label=_("month"), widget=DateInput(), help_text=_("Any day of the calendar month."))
    document_kind = forms.ChoiceField(label=_("supporting document"), choices=DocumentKind.choices)
    document_date = forms.DateField(label=_("document date"), widget=DateInput())
    document_reference = forms.CharField(label=_("document reference"), max_length=60)
    net_pay_due = forms.DecimalField(label=_("net pay due for the month"), max_digits=12, decimal_places=2,
                                     min_value=0, localize=True)
    unpaid_absence = forms.BooleanField(label=_("unpaid absence in the month (sickness, unpaid leave…)"),
                                        required=False)


class HireFilterForm(forms.Form):
    programme = forms.ChoiceField(label=_("programme"), choices=[("", _("All programmes")), *Programme.choices],
                                  required=False)
    state = forms.ChoiceField(label=_("state"), required=False,
                              choices=[("", _("All")), (RUNNING, _("Running")), (ENDED, _("Ended"))])
    q = forms.CharField(label=_("search"), required=False, max_length=100)
