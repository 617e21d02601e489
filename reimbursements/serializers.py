from django.utils.translation import gettext as _
from rest_framework import serializers

from cpas_portal.identifiers import niss_masked

from .models import (
    Claim,
    ClaimLine,
    ClaimSignature,
    GenerationJob,
    JobStatus,
    Measure,
    PeriodKind,
    SignerCapacity,
    StatementImport,
    StatementJob,
    StatementRecord,
)


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
            "previous_amount", "change", "live", "unconfirmed", "unconfirmed_rows",
        ]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_niss_masked(self, obj) -> str:
        return niss_masked(obj.niss)


class ClaimJobSerializer(serializers.ModelSerializer):
    """A claim generation job: poll it until ``status`` is ``done``, ``empty`` or ``failed``."""

    queue_state = serializers.ChoiceField(
        choices=["queued", "running", "done", "empty", "failed", "waiting", "stuck"], read_only=True,
        help_text="`waiting`: the queue is unavailable, the job starts when it is back; `stuck`: its worker "
                  "stopped, it is started again automatically (or by a retry).",
    )
    reason = serializers.SerializerMethodField(
        help_text="Why the job ended without a claim (status `empty`) or failed; empty otherwise.")

    class Meta:
        model = GenerationJob
        fields = [
            "id", "measure", "period_kind", "period_start", "period_end", "corrects", "status", "queue_state",
            "percent", "step", "error", "reason", "claim", "created_at", "started_at", "finished_at",
        ]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_reason(self, job) -> str:
        if job.status == JobStatus.EMPTY:
            return job.step
        if job.status == JobStatus.FAILED:
            return job.error
        return ""


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


class StatementImportSerializer(serializers.ModelSerializer):
    """An imported monthly statement of SPP IS."""

    imported_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StatementImport
        fields = ["id", "file_name", "sha256", "year_month", "record_count", "total", "imported_by", "imported_at"]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class StatementJobSerializer(serializers.ModelSerializer):
    """An uploaded statement being imported: poll it until ``status`` is ``done`` (then ``statement``
    is the import) or ``failed`` (then ``errors`` holds the field errors, ``{"file": [...]}``)."""

    queue_state = serializers.ChoiceField(
        choices=["queued", "running", "done", "failed", "waiting", "stuck"], read_only=True,
        help_text="`waiting`: the queue is unavailable, the import starts when it is back; `stuck`: its worker "
                  "stopped, it is started again automatically.",
    )
    errors = serializers.JSONField(read_only=True, help_text="Field errors of a refused file: {\"file\": [...]}.")

    class Meta:
        model = StatementJob
        fields = ["id", "file_name", "sha256", "status", "queue_state", "percent", "step", "errors", "statement",
                  "created_statement", "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class StatementUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="SPP IS's monthly statement, fixed-width TXT or CSV (see /layout/).")

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def validate_file(self, upload):
        from .forms import StatementUploadForm

        if upload.size > StatementUploadForm.MAX_BYTES:
            raise serializers.ValidationError(_("The file is too large for a monthly statement."))
        return upload


class StatementRecordSerializer(serializers.ModelSerializer):
    """A record of a statement: amount at 100 %, the State's share, and the claim line it pays, if any."""

    niss_masked = serializers.SerializerMethodField()
    regularisation = serializers.BooleanField(source="is_regularisation", read_only=True)
    claim = serializers.SerializerMethodField()
    claimed_amount = serializers.SerializerMethodField()
    difference = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = StatementRecord
        fields = [
            "id", "statement", "row", "legislation", "nis_code", "year_month", "dossier", "suffix", "niss_masked",
            "form_reference", "amount_type", "regularisation", "first_day", "last_day", "budget_article", "amount",
            "state_percentage", "state_share", "category", "refusal_code", "line", "claim", "claimed_amount",
            "difference", "state", "manual", "note",
        ]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_niss_masked(self, record) -> str:
        return niss_masked(record.niss)

    def get_claim(self, record) -> str | None:
        return record.line.claim.reference if record.line_id else None

    def get_claimed_amount(self, record) -> str | None:
        return str(record.line.signed_amount) if record.line_id else None


class StatementRecordMatchSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, help_text="The id of a line of a claim sent to SPP IS.")

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class StatementRecordNotOursSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
