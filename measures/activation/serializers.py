from decimal import Decimal

from rest_framework import serializers

from cpas_portal.concurrency import VersionField
from cpas_portal.models import Cpas

from . import parameters as p
from .models import ActivationReport, ActivationYear

WRITABLE = [
    "year", "kind", "granted_amount", "cluster_members", "description", "opened_on", "filed_on", "analysed_on",
    "decided_on", "signed_on", "objective_social_assessments", "objective_piis_total",
    "objective_piis_socio_professional", "objective_piis_social_participation", "objective_piis_community_service",
    "advance_received_on", "advance_received_amount", "report_sent_on", "balance_received_on",
    "balance_received_amount",
]


class ActivationYearSerializer(serializers.ModelSerializer):
    """A CPAS's social-activation subsidy of one year; ``cluster_members`` are NIS codes of the other CPAS."""

    cluster_members = serializers.SlugRelatedField(slug_field="nis_code", many=True, required=False,
                                                   queryset=Cpas.objects.all())
    granted_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                              required=False, allow_null=True)
    advance_received_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                                       required=False, allow_null=True)
    balance_received_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                                       required=False, allow_null=True)
    year = serializers.IntegerField(min_value=2015, max_value=2100)
    description = serializers.CharField(max_length=p.DESCRIPTION_LENGTH, required=False, allow_blank=True)
    advance_expected = serializers.SerializerMethodField()
    balance_expected = serializers.SerializerMethodField()
    filing_due = serializers.DateField(read_only=True)
    signature_due = serializers.DateField(read_only=True)
    report_due = serializers.DateField(read_only=True)
    version = VersionField()

    class Meta:
        model = ActivationYear
        fields = ["id", *WRITABLE, "allocation_source", "advance_expected", "balance_expected", "filing_due",
                  "signature_due", "report_due", "version"]
        read_only_fields = ["allocation_source"]
        # The service checks the one subsidy per CPAS and year (a 400 on "year").
        validators = []

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_advance_expected(self, obj) -> Decimal | None:
        return obj.instalments.advance if obj.instalments else None

    def get_balance_expected(self, obj) -> Decimal | None:
        return obj.instalments.balance if obj.instalments else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for key in ("advance_expected", "balance_expected"):
            if data[key] is not None:
                data[key] = str(data[key])
        return data


class ActivationUpdateSerializer(ActivationYearSerializer):
    year = serializers.IntegerField(read_only=True)


class ActivationRealisedSerializer(serializers.Serializer):
    """The objectives of the official table against the realised figures, counted from the records."""

    number = serializers.CharField()
    label = serializers.CharField()
    objective = serializers.IntegerField(allow_null=True)
    realised = serializers.IntegerField()


class ActivationReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivationReport
        fields = ["id", "activation", "status", "percent", "step", "error", "realised", "language", "sha256",
                  "page_count", "created_at", "finished_at"]
        read_only_fields = fields
