"""API shapes of partnership conventions. Amounts are strings (Decimal); every amount comes with how it was computed."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cpas_portal.concurrency import VersionField
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.cpas is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(cpas=self.cpas)


def validated_partners(data, *, cpas):
    """The partner rows of a request, each checked in full (a PATCH leaves nested rows unchecked otherwise)."""
    rows = ConventionPartnerInputSerializer(data=data, many=True, cpas=cpas)
    if not rows.is_valid():
        raise serializers.ValidationError({"partners": rows.errors})
    return [dict(row) for row in rows.validated_data]


class ConventionExplanationLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    value_label = serializers.CharField()
    since = serializers.CharField()
    source = serializers.CharField()
    interpretation = serializers.BooleanField()


class SignBlockerSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    source = serializers.CharField()


class ConventionSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    """A convention with its partners, frozen amounts and "how computed" lines.

    ``missing_for_signing`` lists what still keeps a draft from being signed (empty once signable).
    """

    partners = ConventionPartnerSerializer(many=True, read_only=True)
    hours_done = serializers.SerializerMethodField()
    how_computed = serializers.SerializerMethodField()
    missing_for_signing = serializers.SerializerMethodField()

    class Meta:
        model = Convention
        fields = [
            "id", "beneficiary", "conclusion_date", "planned_hours", "methodology", "plan_assessment",
            "plan_job_offers", "plan_application_techniques", "plan_work_attitudes", "plan_prospection",
            "plan_training", "insertion_measure_end", "in_private_employment_measure", "status", "end_date",
            "end_note", "rule_version", "form_b_tier", "agreed_amount", "advance_amount", "final_amount",
            "balance_amount", "how_computed", "hours_done", "partners", "signed_at", "closed_at", "created_at",
            "cancelled_at", "cancel_reason", "missing_for_signing", "version",
        ]
        read_only_fields = fields

    @extend_schema_field(SignBlockerSerializer(many=True))
    def get_missing_for_signing(self, obj):
        if not obj.is_draft:
            return []
        return SignBlockerSerializer([{**blocker, "label": str(blocker["label"])}
                                      for blocker in selectors.sign_blockers(obj)], many=True).data

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


class ConventionUpdateSerializer(ConventionCreateSerializer):
    """A draft's fields and partners (``partners`` replaces them all); ``version`` as read (or ``If-Match``)."""

    version = VersionField()

    class Meta(ConventionCreateSerializer.Meta):
        fields = ConventionCreateSerializer.Meta.fields + ["version"]


class ConventionSignSerializer(CpasSerializerMixin, serializers.Serializer):
    version = VersionField(help_text="The version read: a draft changed since is not signed (409).")


class ConventionCancelSerializer(CpasSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=250)
    version = VersionField()


class ConventionCloseSerializer(CpasSerializerMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(outcome.value, outcome.label) for outcome in CLOSING_OUTCOMES])
    end_date = serializers.DateField()
    note = serializers.CharField(max_length=250, required=False, default="", allow_blank=True)


class ConventionHoursSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = CoachingHours
        fields = ["id", "partner", "day", "hours", "note", "status", "reason", "created_at"]
        read_only_fields = ["id", "status", "reason", "created_at"]

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = ConventionPartner.objects.filter(convention=convention)


class HoursCorrectionSerializer(CpasSerializerMixin, serializers.Serializer):
    """What changes in a wrong entry (omitted: kept), and why."""

    partner = serializers.PrimaryKeyRelatedField(queryset=ConventionPartner.objects.none(), required=False)
    day = serializers.DateField(required=False)
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    note = serializers.CharField(max_length=250, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=250)

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = ConventionPartner.objects.filter(convention=convention)


class HoursCancelSerializer(CpasSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=250)


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
    # The transfer's reference: it links the payment to the bank statement (required, as on the page).
    reference = serializers.CharField(max_length=60)
