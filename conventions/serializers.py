"""API shapes of partnership conventions. Amounts are strings (Decimal); every amount comes with how it was computed."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cpas_portal.models import Beneficiary, Organisation

from . import selectors
from .models import CoachingHours, Convention, ConventionPartner, PartnerClaim, Payment
from .rules import CLOSING_OUTCOMES


class CpasSerializerMixin:
    """Takes the ``cpas`` the API view sets give every serializer."""

    def __init__(self, *args, cpas=None, **kwargs):
        self.cpas = cpas
        super().__init__(*args, **kwargs)


class ConventionPartnerSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ConventionPartner
        fields = ["id", "organisation", "is_cpas", "name", "share"]


class ConventionPartnerInputSerializer(CpasSerializerMixin, serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), allow_null=True,
                                                      required=False, default=None)
    is_cpas = serializers.BooleanField(default=False)
    share = serializers.DecimalField(max_digits=5, decimal_places=2)


class ConventionExplanationLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    value_label = serializers.CharField()
    since = serializers.CharField()
    source = serializers.CharField()
    interpretation = serializers.BooleanField()


class ConventionSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    """A convention with its partners, frozen amounts and "how computed" lines."""

    partners = ConventionPartnerSerializer(many=True, read_only=True)
    hours_done = serializers.SerializerMethodField()
    how_computed = serializers.SerializerMethodField()

    class Meta:
        model = Convention
        fields = [
            "id", "beneficiary", "conclusion_date", "planned_hours", "methodology", "plan_assessment",
            "plan_job_offers", "plan_application_techniques", "plan_work_attitudes", "plan_prospection",
            "plan_training", "insertion_measure_end", "in_private_employment_measure", "status", "end_date",
            "end_note", "rule_version", "form_b_tier", "agreed_amount", "advance_amount", "final_amount",
            "balance_amount", "how_computed", "hours_done", "partners", "signed_at", "closed_at", "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2))
    def get_hours_done(self, obj):
        """Coaching hours recorded so far (annotated on lists, counted for one convention)."""
        done = getattr(obj, "hours_done", None)
        return str(Decimal(done if done is not None else selectors.hours_done(obj)).quantize(Decimal("0.01")))

    @extend_schema_field(ConventionExplanationLineSerializer(many=True))
    def get_how_computed(self, obj):
        return ConventionExplanationLineSerializer(
            [{**line, "label": str(line["label"]), "value_label": str(line["value_label"]),
              "since": line["since"].isoformat() if line["since"] else ""}
             for line in obj.explanation_lines()], many=True).data


class ConventionCreateSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    beneficiary = serializers.PrimaryKeyRelatedField(queryset=Beneficiary.objects.none())
    partners = ConventionPartnerInputSerializer(many=True)

    class Meta:
        model = Convention
        fields = [
            "beneficiary", "conclusion_date", "planned_hours", "methodology", "plan_assessment", "plan_job_offers",
            "plan_application_techniques", "plan_work_attitudes", "plan_prospection", "plan_training",
            "insertion_measure_end", "in_private_employment_measure", "partners",
        ]

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, cpas=cpas, **kwargs)
        if cpas is not None:
            self.fields["beneficiary"].queryset = Beneficiary.objects.filter(cpas=cpas)
            self.fields["partners"].child.fields["organisation"].queryset = Organisation.objects.filter(cpas=cpas)


class ConventionCloseSerializer(CpasSerializerMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(outcome.value, outcome.label) for outcome in CLOSING_OUTCOMES])
    end_date = serializers.DateField()
    note = serializers.CharField(max_length=250, required=False, default="", allow_blank=True)


class ConventionHoursSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = CoachingHours
        fields = ["id", "partner", "day", "hours", "note", "created_at"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = ConventionPartner.objects.filter(convention=convention)


class PartnerClaimSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = PartnerClaim
        fields = ["id", "partner", "received_date", "reference", "amount_claimed", "created_at"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = ConventionPartner.objects.filter(convention=convention)


class ConventionPaymentSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    """A payment to a partner; ``kept_by_cpas`` marks the CPAS's own share (not paid out, still claimed)."""

    beneficiary = serializers.IntegerField(source="convention.beneficiary_id", read_only=True)
    organisation = serializers.IntegerField(source="partner.organisation_id", read_only=True, allow_null=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    kept_by_cpas = serializers.BooleanField(source="partner.is_cpas", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "convention", "beneficiary", "partner", "organisation", "partner_name", "kept_by_cpas",
                  "kind", "amount", "due_date", "paid_date", "status", "reference"]
        read_only_fields = fields


class ConventionPaymentPaidSerializer(CpasSerializerMixin, serializers.Serializer):
    paid_date = serializers.DateField()
    reference = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
