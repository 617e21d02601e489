"""Browser forms of the measures app; they re-display what was typed with a message per field."""

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpas_portal.concurrency import VersionedFormMixin
from cpas_portal.form_renderer import WrittenSelect
from cpas_portal.forms import DateInput
from cpas_portal.models import Organisation
from cpas_portal.person_picker import PersonField

from .models import FirmEmployment, Placement

DATE_FIELDS = ("concluded_on", "start", "planned_end", "actual_end", "cooperation_convention_date",
               "se_convention_date")



def _columns_help_now():
    # The CSV's column names are technical identifiers, the same in every language: shown as code.
    return format_html(gettext("Columns {columns} for the three previous years."),
                       columns=format_html("<code>{}</code>", "nis_code;year;amount"))


_columns_help = lazy(_columns_help_now, SafeString)

class PlacementForm(VersionedFormMixin, forms.ModelForm):
    beneficiary = PersonField()
    gross_monthly_pay = forms.DecimalField(label=_("gross monthly pay at the start"), max_digits=12, decimal_places=2,
                                           min_value=0, localize=True)
    gross_wage_cost = forms.DecimalField(
        label=_("monthly gross wage cost at the start"), max_digits=12, decimal_places=2, min_value=0,
        localize=True, required=False,
        help_text=_("Optional. Caps the under-25 increase of a full-time placement; empty: the gross pay."))

    class Meta:
        model = Placement
        fields = [
            "beneficiary", "workplace", "organisation", "concluded_on", "start", "planned_end", "actual_end",
            "regime", "counts_as_full_time", "scheme", "trial", "cooperation_convention_date", "se_convention_date",
            "se_staff_count", "se_staff_not_reduced", "se_new_additional_job", "se_no_service_vouchers",
        ]
        widgets = {name: DateInput() for name in DATE_FIELDS}
        localized_fields = ["regime"]

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["beneficiary"].for_cpas(cpas)
        self.fields["organisation"].queryset = Organisation.objects.filter(cpas=cpas).order_by("name")
        if self.instance.pk:
            first = self.instance.pay_changes.order_by("effective_date").first()
            self.initial.setdefault("gross_monthly_pay", first.gross_monthly_pay if first else None)
            self.initial.setdefault("gross_wage_cost", first.gross_wage_cost if first else None)


class FirmEmploymentForm(forms.ModelForm):
    beneficiary = PersonField()

    class Meta:
        model = FirmEmployment
        fields = ["beneficiary", "organisation", "cooperation_convention_date", "start", "end", "regime"]
        widgets = {name: DateInput() for name in ("cooperation_convention_date", "start", "end")}
        localized_fields = ["regime"]

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["beneficiary"].for_cpas(cpas)
        self.fields["organisation"].queryset = Organisation.objects.filter(cpas=cpas).order_by("name")


class PayChangeForm(forms.Form):
    """A pay period from any day to the day before the next one."""

    effective_date = forms.DateField(label=_("from"), widget=DateInput())
    gross_monthly_pay = forms.DecimalField(label=_("gross monthly pay"), max_digits=12, decimal_places=2,
                                           min_value=0, localize=True,
                                           help_text=_("0 for an unpaid absence or an interruption."))
    gross_wage_cost = forms.DecimalField(label=_("monthly gross wage cost"), max_digits=12, decimal_places=2,
                                         min_value=0, localize=True, required=False,
                                         help_text=_("Optional; empty: the gross pay."))


class PlacementEndForm(forms.Form):
    actual_end = forms.DateField(label=_("actual end"), widget=DateInput())


class Art61PremiumForm(forms.Form):
    month = forms.DateField(label=_("month"), widget=DateInput(), help_text=_("Any day of the calendar month."))
    supervision_costs = forms.DecimalField(label=_("real supervision costs"), max_digits=12, decimal_places=2,
                                           min_value=0, localize=True, required=False)
    training_costs = forms.DecimalField(label=_("real training costs"), max_digits=12, decimal_places=2,
                                        min_value=0, localize=True, required=False)


class BudgetAllocationForm(forms.Form):
    year = forms.IntegerField(label=_("budget year"), min_value=2013, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    envelope = forms.DecimalField(label=_("national envelope"), max_digits=14, decimal_places=2, min_value=0,
                                  localize=True)
    reimbursed_file = forms.FileField(label=_("CSV file"), required=False,
                                      help_text=_columns_help())
    reimbursed_csv = forms.CharField(label=_("or paste the CSV"), widget=forms.Textarea(attrs={"rows": 6}),
                                     required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("reimbursed_file")
        if upload:
            try:
                data["reimbursed_csv"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("reimbursed_file", _("The file must be UTF-8 text."))
        if not data.get("reimbursed_csv") and not self.errors:
            self.add_error("reimbursed_csv", _("Give the amounts reimbursed per CPAS."))
        return data


class ListFilterForm(forms.Form):
    """The filters of the placement and firm-employment lists; a value that does not parse is ignored."""

    q = forms.CharField(required=False, label=_("Search by name or organisation"))
    status = forms.ChoiceField(required=False, label=_("Status"), widget=WrittenSelect)
    organisation = forms.TypedChoiceField(required=False, label=_("Employer"), coerce=int, empty_value=None,
                                          widget=WrittenSelect)
    period_from = forms.DateField(required=False, label=_("Active from"), widget=DateInput())
    period_until = forms.DateField(required=False, label=_("Active until"), widget=DateInput())

    def __init__(self, data, *, employers, statuses=()):
        """``employers``: (id, name) pairs (``selectors.employer_choices``)."""
        super().__init__(data)
        self.fields["organisation"].choices = [("", _("All employers")), *employers]
        self.fields["status"].choices = [("", _("All statuses")), *statuses]
        if not statuses:
            del self.fields["status"]

    def values(self):
        """The valid filters (an invalid one is dropped, with its message shown next to it)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"search": data.get("q") or "", "status": data.get("status") or "",
                "organisation_id": data.get("organisation"),
                "period_from": data.get("period_from"), "period_until": data.get("period_until")}
