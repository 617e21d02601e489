"""Browser forms of partnership conventions; they re-display what was typed with a message per field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cpas_portal.concurrency import VersionedFormMixin
from cpas_portal.form_renderer import WrittenSelect
from cpas_portal.forms import DateInput
from cpas_portal.person_picker import PersonField

from .models import Convention
from .rules import CLOSING_OUTCOMES, ConventionStatus

CPAS_ITSELF = "cpas"

class ConventionForm(VersionedFormMixin, forms.ModelForm):
    beneficiary = PersonField()

    class Meta:
        model = Convention
        fields = [
            "beneficiary", "conclusion_date", "planned_hours", "methodology", "plan_assessment", "plan_job_offers",
            "plan_application_techniques", "plan_work_attitudes", "plan_prospection", "plan_training",
            "insertion_measure_end", "in_private_employment_measure",
        ]
        widgets = {"conclusion_date": DateInput(), "insertion_measure_end": DateInput()}
        # DOMAIN.md §5: the person's right dates and recorded placements decide; these two fields only
        # declare what the application does not record (a measure followed elsewhere).
        help_texts = {
            "insertion_measure_end": _("Only for an insertion measure not recorded in the application: its end. "
                                       "A recorded placement's own dates are used and cannot be overridden."),
            "in_private_employment_measure": _("Only for an employment at a private firm not recorded in the "
                                               "application; a recorded one is always taken into account."),
        }

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["beneficiary"].for_cpas(cpas)


class PartnerShareForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    share = forms.DecimalField(label=_("Share of the hours (%)"), required=False, localize=True, max_digits=5,
                               decimal_places=2, min_value=0)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        # Every field is optional and a blank row is ignored; a row left as loaded (editing a draft) must still
        # be read, not skipped as "unchanged".
        self.empty_permitted = False
        self.organisations = {str(organisation.pk): organisation for organisation in organisations}
        self.fields["partner"].choices = [("", "—"), (CPAS_ITSELF, _("The CPAS itself"))] + [
            (key, organisation.name) for key, organisation in self.organisations.items()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("partner") and cleaned.get("share") is None:
            self.add_error("share", _("Enter this partner's share."))
        if cleaned.get("share") and not cleaned.get("partner"):
            self.add_error("partner", _("Choose the partner of this share."))
        return cleaned

    def as_partner(self):
        """The service's partner dict, or None for an empty row."""
        key = self.cleaned_data.get("partner")
        if not key:
            return None
        is_cpas = key == CPAS_ITSELF
        return {"is_cpas": is_cpas, "organisation": None if is_cpas else self.organisations[key],
                "share": self.cleaned_data["share"]}


class BasePartnerFormSet(forms.BaseFormSet):
    def partners(self):
        return [partner for partner in (form.as_partner() for form in self.forms) if partner]


def partner_initial(convention):
    """The partner rows of a draft being edited, as the formset's initial data."""
    return [{"partner": CPAS_ITSELF if partner.is_cpas else str(partner.organisation_id), "share": partner.share}
            for partner in convention.partners.order_by("id")]


PartnerFormSet = forms.formset_factory(PartnerShareForm, formset=BasePartnerFormSet, extra=3, max_num=6)


class SignForm(VersionedFormMixin, forms.Form):
    """Signing carries the version the signer saw: a draft edited meanwhile is not signed blindly."""


class CancelForm(VersionedFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=250,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the convention's history with who cancelled it and when."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cancel", **kwargs)


class HoursForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), localize=True, max_digits=5, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, prefix="hours", **kwargs)
        self.fields["partner"].queryset = convention.partners.select_related("organisation").order_by("id")
        self.fields["partner"].label_from_instance = lambda partner: partner.name


class HoursCorrectionForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), localize=True, max_digits=5, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=250)

    def __init__(self, *args, entry, **kwargs):
        kwargs.setdefault("initial", {"partner": entry.partner_id, "day": entry.day, "hours": entry.hours,
                                      "note": entry.note})
        super().__init__(*args, prefix="correct", **kwargs)
        self.fields["partner"].queryset = entry.convention.partners.select_related("organisation").order_by("id")
        self.fields["partner"].label_from_instance = lambda partner: partner.name


class HoursCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cancel", **kwargs)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(outcome.value, outcome.label) for outcome in CLOSING_OUTCOMES],
        initial=ConventionStatus.COMPLETED,
    )
    end_date = forms.DateField(label=_("End date"), widget=DateInput(),
                               help_text=_("For “employed before the end”: the start date of the employment contract."))
    note = forms.CharField(label=_("Reason or note"), max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="close", **kwargs)


class PartnerClaimForm(forms.Form):
    received_date = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Partner's reference"), max_length=60)
    amount_claimed = forms.DecimalField(label=_("Amount claimed (€)"), localize=True, max_digits=12,
                                        decimal_places=2, min_value=0)


class PaymentPaidForm(forms.Form):
    paid_date = forms.DateField(label=_("Paid on"), widget=DateInput())
    # The transfer's reference links the payment to the bank statement and the finance records.
    reference = forms.CharField(label=_("Payment reference"), max_length=60)


class ConventionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, widget=WrittenSelect)
    partner = forms.ChoiceField(label=_("Partner organisation"), required=False, widget=WrittenSelect)
    start = forms.DateField(label=_("Concluded from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Concluded until"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Overdue balance only"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(ConventionStatus.choices)
        self.fields["partner"].choices = [("", _("All")), (CPAS_ITSELF, _("The CPAS itself"))] + [
            (str(organisation.pk), organisation.name) for organisation in organisations]
