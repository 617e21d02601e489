"""Browser forms of the social-activation subsidies; they re-display what was typed with a message per field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cpas_portal.concurrency import VersionedFormMixin
from cpas_portal.forms import DateInput
from cpas_portal.models import Cpas

from . import parameters as p
from .models import ActivationYear

DATE_FIELDS = ("opened_on", "filed_on", "analysed_on", "decided_on", "signed_on", "advance_received_on",
               "report_sent_on", "balance_received_on")
FIELDS = [
    "year", "kind", "granted_amount", "cluster_members", "description", *DATE_FIELDS[:5],
    "objective_social_assessments", "objective_piis_total", "objective_piis_socio_professional",
    "objective_piis_social_participation", "objective_piis_community_service",
    "advance_received_on", "advance_received_amount", "report_sent_on", "balance_received_on",
    "balance_received_amount",
]


class ActivationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ActivationYear
        fields = FIELDS
        widgets = {name: DateInput() for name in DATE_FIELDS} | {
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": p.DESCRIPTION_LENGTH})}
        localized_fields = ["granted_amount", "advance_received_amount", "balance_received_amount"]

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["cluster_members"].queryset = Cpas.objects.exclude(pk=cpas.pk).order_by("name_fr")
        self.fields["year"].min_value = 2015
        if self.instance.pk:
            # The year names the file; another year is another file.
            self.fields["year"].disabled = True


def _csv_field(label, help_text):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 8}), help_text=help_text,
                           max_length=200_000)


class LargeCityAllocationForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2015, max_value=2100)
    envelope = forms.DecimalField(label=_("envelope"), max_digits=12, decimal_places=2, min_value=0, localize=True)
    workers_csv = _csv_field(_("art. 60 §7 workers per CPAS"),
                             _("One line per CPAS: NIS code;number of art. 60 §7 workers on the reference day."))


class ClusterAllocationForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2015, max_value=2100)
    requests_csv = _csv_field(_("requests per cluster"),
                              _("One line per cluster: NIS code of the lead CPAS;amount requested."))
