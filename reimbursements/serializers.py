from rest_framework import serializers

from cpas_portal.identifiers import niss_masked

from .models import Claim, ClaimLine, ClaimSignature, GenerationJob, Measure, PeriodKind, SignerCapacity


class ClaimSignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimSignature
        fields = ["capacity", "signer_name", "signed_at", "place"]


class ClaimSerializer(serializers.ModelSerializer):
    """A claim to SPP IS (amounts as strings)."""

    reference = serializers.CharField(read_only=True)
    signatures = ClaimSignatureSerializer(many=True, read_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id", "reference", "measure", "period_kind", "period_start", "period_end", "sequence", "version",
            "supersedes", "status", "legal_basis", "line_count", "total", "difference_total", "generated_at",
            "reviewed_at", "sent_at", "signatures",
        ]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class ClaimLineSerializer(serializers.ModelSerializer):
    """A line of a claim; the national number is masked, as in every list."""

    niss_masked = serializers.SerializerMethodField()
    signed_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = ClaimLine
        fields = [
            "id", "position", "source_key", "niss_masked", "beneficiary_name", "covered_start", "covered_end",
            "amount", "sign", "signed_amount", "legal_basis", "legislation", "description", "tier_code", "partner",
            "previous_amount", "change", "live",
        ]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_niss_masked(self, obj) -> str:
        return niss_masked(obj.niss)


class ClaimJobSerializer(serializers.ModelSerializer):
    """A claim generation job: poll it until ``status`` is ``done`` (or ``failed``)."""

    class Meta:
        model = GenerationJob
        fields = [
            "id", "measure", "period_kind", "period_start", "period_end", "corrects", "status", "percent", "step",
            "error", "claim", "created_at", "started_at", "finished_at",
        ]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class ClaimJobRequestSerializer(serializers.Serializer):
    """Ask for the claim of a measure for a month (1–12) or a quarter (1–4)."""

    measure = serializers.ChoiceField(choices=Measure.choices)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.IntegerField(min_value=2002, max_value=2100)
    number = serializers.IntegerField(min_value=1, max_value=12)

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class ClaimSignRequestSerializer(serializers.Serializer):
    capacity = serializers.ChoiceField(choices=SignerCapacity.choices)
    place = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                  help_text="Where the signer signs; by default the municipality of their CPAS.")

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
