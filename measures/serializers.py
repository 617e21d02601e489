from datetime import date
from decimal import Decimal

from rest_framework import serializers

from cpas_portal.concurrency import VersionField
from cpas_portal.identifiers import niss_masked
from cpas_portal.models import Beneficiary, Organisation

from .explain import render_all
from .models import (
    Art61Premium,
    FirmEmployment,
    MonthlySubsidy,
    Placement,
    PlacementPay,
    Regularisation,
    SocialEconomyBudget,
)


class MeasuresMonthlySubsidySerializer(serializers.ModelSerializer):
    """One month of subsidy; ``amount`` is null when a parameter is missing (see ``explanation``)."""

    explanation = serializers.SerializerMethodField()
    unconfirmed = serializers.BooleanField(read_only=True)

    class Meta:
        model = MonthlySubsidy
        fields = ["id", "placement", "beneficiary", "month", "amount", "scheme", "legal_basis", "rule_set",
                  "days_covered", "days_in_month", "gross_pay", "counts_against_budget", "unconfirmed",
                  "unconfirmed_rows", "explanation", "claimed_at", "claim_reference"]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_explanation(self, obj) -> list[str]:
        return render_all(obj.explanation)


class MeasuresPlacementSerializer(serializers.ModelSerializer):
    """An art. 60 §7 placement. ``gross_monthly_pay`` is the pay at the start (write) or the current one (read)."""

    gross_monthly_pay = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                                 write_only=True, required=False)
    gross_wage_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), write_only=True, required=False, allow_null=True,
        help_text="Monthly gross wage cost at the start (optional; caps the under-25 increase; null: the gross pay). "
                  "Later changes go through the pay periods.")
    beneficiary = serializers.PrimaryKeyRelatedField(queryset=Beneficiary.objects.none())
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), allow_null=True,
                                                      required=False)
    beneficiary_niss_masked = serializers.SerializerMethodField()
    version = VersionField()

    class Meta:
        model = Placement
        fields = [
            "id", "beneficiary", "beneficiary_niss_masked", "workplace", "organisation", "concluded_on", "start",
            "planned_end",
            "actual_end", "regime", "counts_as_full_time", "scheme", "status", "trial",
            "cooperation_convention_date", "se_convention_date", "se_staff_count", "se_staff_not_reduced",
            "se_new_additional_job", "se_no_service_vouchers", "gross_monthly_pay", "gross_wage_cost", "approved_at",
            "version",
            "created_at",
        ]
        read_only_fields = ["id", "status", "approved_at", "created_at"]

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cpas is not None:
            self.fields["beneficiary"].queryset = Beneficiary.objects.filter(cpas=cpas)
            self.fields["organisation"].queryset = Organisation.objects.filter(cpas=cpas)

    def get_beneficiary_niss_masked(self, obj) -> str:
        return niss_masked(obj.beneficiary.niss)

    def validate(self, attrs):
        if self.instance is None and attrs.get("gross_monthly_pay") is None:
            raise serializers.ValidationError({"gross_monthly_pay": "This field is required."})
        return attrs


class MeasuresPlacementPaySerializer(serializers.ModelSerializer):
    """A pay period of a placement: from ``effective_date`` (any day) to ``until``; a pay of 0 is an unpaid absence.

    ``gross_wage_cost`` (optional, monthly) caps the under-25 increase; null: the gross pay.
    """

    until = serializers.SerializerMethodField()
    gross_wage_cost = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                               required=False, allow_null=True, default=None)

    class Meta:
        model = PlacementPay
        fields = ["id", "effective_date", "until", "gross_monthly_pay", "gross_wage_cost"]
        read_only_fields = ["id", "until"]
        validators = []

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_until(self, obj) -> date | None:
        return getattr(obj, "until", None)


class MeasuresFirmEmploymentSerializer(serializers.ModelSerializer):
    """A person hired directly by a private firm with a cooperation convention (art. 61 premium)."""

    beneficiary = serializers.PrimaryKeyRelatedField(queryset=Beneficiary.objects.none())
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())

    class Meta:
        model = FirmEmployment
        fields = ["id", "beneficiary", "organisation", "cooperation_convention_date", "start", "end", "regime",
                  "created_at"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cpas is not None:
            self.fields["beneficiary"].queryset = Beneficiary.objects.filter(cpas=cpas)
            self.fields["organisation"].queryset = Organisation.objects.filter(cpas=cpas)


class MeasuresArt61PremiumSerializer(serializers.ModelSerializer):
    """A premium of one month, for either an art. 60 §7 placement at a firm or an employment by the firm."""

    placement = serializers.PrimaryKeyRelatedField(queryset=Placement.objects.none(), required=False, allow_null=True)
    firm_employment = serializers.PrimaryKeyRelatedField(queryset=FirmEmployment.objects.none(), required=False,
                                                         allow_null=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Art61Premium
        fields = ["id", "placement", "firm_employment", "beneficiary", "month", "supervision_costs", "training_costs",
                  "carried_in",
                  "granted_amount", "carried_over", "grant_number", "legal_basis", "explanation", "claimed_at",
                  "claim_reference"]
        read_only_fields = ["id", "beneficiary", "carried_in", "granted_amount", "carried_over", "grant_number",
                            "legal_basis", "explanation", "claimed_at", "claim_reference"]
        validators = []

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cpas is not None:
            self.fields["placement"].queryset = Placement.objects.filter(cpas=cpas)
            self.fields["firm_employment"].queryset = FirmEmployment.objects.filter(cpas=cpas)

    def get_explanation(self, obj) -> list[str]:
        return render_all(obj.explanation)


class MeasuresSocialEconomyBudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocialEconomyBudget
        fields = ["id", "year", "granted_amount", "source"]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class MeasuresBudgetMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    consumed = serializers.DecimalField(max_digits=12, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=12, decimal_places=2)
    cumulative = serializers.DecimalField(max_digits=12, decimal_places=2)


class MeasuresBudgetOverviewSerializer(serializers.Serializer):
    """The year's budget: granted, consumed to date, forecast to December, share of the CPAS's own initiatives."""

    year = serializers.IntegerField()
    granted = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    consumed = serializers.DecimalField(max_digits=12, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=12, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    cpas_created = serializers.DecimalField(max_digits=12, decimal_places=2)
    quarter_limit = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    months = MeasuresBudgetMonthSerializer(many=True)

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class MeasuresRegularisationSerializer(serializers.ModelSerializer):
    """The difference between a claimed month and the same month recomputed after a retroactive change.

    ``claim_reference`` is empty while it is pending (not yet on a claim).
    """

    beneficiary_niss_masked = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    pending = serializers.SerializerMethodField()

    class Meta:
        model = Regularisation
        fields = ["id", "placement", "beneficiary", "beneficiary_niss_masked", "subsidy", "month", "scheme",
                  "claimed_amount", "recomputed_amount", "difference", "reasons", "rows", "explanation",
                  "created_at", "created_by", "pending", "claimed_at", "claim_reference"]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_beneficiary_niss_masked(self, obj) -> str:
        return niss_masked(obj.beneficiary.niss)

    def get_reasons(self, obj) -> list[str]:
        return obj.reason_lines

    def get_rows(self, obj) -> list[str]:
        return obj.row_lines

    def get_explanation(self, obj) -> list[str]:
        return obj.explanation_lines

    def get_pending(self, obj) -> bool:
        return obj.claimed_at is None


class MeasuresPlacementEndSerializer(serializers.Serializer):
    """The actual last day of a placement (at most its planned end)."""

    actual_end = serializers.DateField()

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class MeasuresBudgetAllocationSerializer(serializers.Serializer):
    """A national envelope and the amounts each CPAS was reimbursed in the reference years (CSV text
    ``nis_code;year;amount``, Belgian or plain decimals)."""

    year = serializers.IntegerField(min_value=2013, max_value=2100)
    envelope = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))
    reimbursed_csv = serializers.CharField(max_length=2_000_000)


class MeasuresBudgetAllocationRowSerializer(serializers.Serializer):
    nis_code = serializers.CharField(source="key.nis_code")
    cpas = serializers.CharField(source="key.name")
    average = serializers.DecimalField(max_digits=14, decimal_places=2)
    weight_percent = serializers.DecimalField(max_digits=9, decimal_places=4)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class MeasuresBudgetAllocationResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    applied = serializers.BooleanField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    rows = MeasuresBudgetAllocationRowSerializer(many=True)
