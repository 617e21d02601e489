"""Forms of the claim pages; they re-display what was chosen with a message per field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Measure, PeriodKind, SignerCapacity


class ClaimRequestForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.MONTH)
    year = forms.IntegerField(label=_("Year"), min_value=2002, max_value=2100)
    number = forms.IntegerField(
        label=_("Month or quarter"), min_value=1, max_value=12,
        help_text=_("Month 1–12, or quarter 1–4 when the period is a quarter."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period_kind") == PeriodKind.QUARTER and (cleaned.get("number") or 0) > 4:
            self.add_error("number", _("A quarter is 1, 2, 3 or 4."))
        return cleaned


class SignForm(forms.Form):
    capacity = forms.ChoiceField(label=_("Sign as"), choices=SignerCapacity.choices)
    place = forms.CharField(label=_("Place of signature"), max_length=80, required=False,
                            help_text=_("By default the municipality of your CPAS."))


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Monthly payment statement of SPP IS (TXT fixed-width or CSV file)"))

    # A statement of a large CPAS holds up to some 50,000 records of 122 characters (about 6 MB; more as CSV).
    MAX_BYTES = 16 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large for a monthly statement."))
        return upload


class StatementRecordMatchForm(forms.Form):
    line = forms.IntegerField(label=_("Claim line"), min_value=1)


class StatementRecordNotOursForm(forms.Form):
    note = forms.CharField(label=_("Why it is not ours"), max_length=250, required=False)
