"""API serializers of the financial interventions (Decimal as strings, unique names)."""

from rest_framework import serializers

from cpas_portal.concurrency import VersionField
from cpas_portal.models import Beneficiary, Organisation
from measures.models import FirmEmployment

from .explain import render_all
from .models import Hire, InterventionPayment


class InterventionHireSerializer(serializers.ModelSerializer):
    """A beneficiary hired under Activa, intérim d'insertion, a transition programme or SINE."""

    beneficiary = serializers.PrimaryKeyRelatedField(queryset=Beneficiary.objects.none())
    employer = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    firm_employment = serializers.PrimaryKeyRelatedField(queryset=FirmEmployment.objects.none(), required=False,
                                                         allow_null=True)
    paid_to = serializers.CharField(read_only=True)
    version = VersionField()

    class Meta:
        model = Hire
        fields = ["id", "beneficiary", "employer", "programme", "start", "end", "regime", "firm_employment",
                  "paid_to", "version", "created_at"]
        read_only_fields = ["id", "paid_to", "created_at"]

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cpas is not None:
            self.fields["beneficiary"].queryset = Beneficiary.objects.filter(cpas=cpas)
            self.fields["employer"].queryset = Organisation.objects.filter(cpas=cpas)
            self.fields["firm_employment"].queryset = FirmEmployment.objects.filter(cpas=cpas)


class InterventionPaymentSerializer(serializers.ModelSerializer):
    """The intervention of one month of a hire, on its supporting document, with how it was computed."""

    hire = serializers.PrimaryKeyRelatedField(queryset=Hire.objects.none())
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = InterventionPayment
        fields = ["id", "hire", "beneficiary", "month", "document_kind", "document_date", "document_reference",
                  "net_pay_due", "unpaid_absence", "full_time_amount", "rate_since", "regime", "days_covered",
                  "days_in_month", "amount", "paid_to", "legal_basis", "legislation", "explanation", "claimed_at",
                  "claim_reference"]
        read_only_fields = ["id", "beneficiary", "full_time_amount", "rate_since", "regime", "days_covered",
                            "days_in_month", "amount", "paid_to", "legal_basis", "legislation", "explanation",
                            "claimed_at", "claim_reference"]
        validators = []

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cpas is not None:
            self.fields["hire"].queryset = Hire.objects.filter(cpas=cpas)

    def get_explanation(self, obj) -> list[str]:
        return render_all(obj.explanation)
