"""API shapes of PIIS and evaluation meetings."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cpas_portal.concurrency import VersionField
from cpas_portal.models import Beneficiary, Organisation

from . import rules
from .models import Evaluation, Piis, PiisOutcome

PIIS_INPUT_FIELDS = ["beneficiary", "kind", "applied_on", "decided_on", "start", "end", "third_parties", "objectives"]


class CpasSerializerMixin:
    """Takes the ``cpas`` the API view sets give every serializer."""

    def __init__(self, *args, cpas=None, **kwargs):
        self.cpas = cpas
        super().__init__(*args, **kwargs)


class PiisEvaluationSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "beneficiary", "piis", "placement", "planned_on", "planned_time", "held_on", "face_to_face",
                  "evaluator", "notes", "version"]
        read_only_fields = fields


class PiisDeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    due = serializers.DateField()
    reason = serializers.CharField()
    source = serializers.CharField()


class PiisSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    """A PIIS with its third parties and, while negotiated, the deadlines to conclude it."""

    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Piis
        fields = ["id", "beneficiary", "kind", "status", "applied_on", "decided_on", "signed_on", "start", "end",
                  "third_parties", "objectives", "outcome", "deadlines", "version", "created_at"]
        read_only_fields = fields

    @extend_schema_field(PiisDeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        if obj.status != rules.DRAFT:
            return []
        deadlines = rules.conclusion_deadlines(birth_date=obj.beneficiary.birth_date, applied_on=obj.applied_on,
                                               ris_decided_on=obj.decided_on)
        return PiisDeadlineSerializer([d.__dict__ for d in deadlines], many=True).data


class PiisWriteSerializer(CpasSerializerMixin, serializers.ModelSerializer):
    beneficiary = serializers.PrimaryKeyRelatedField(queryset=Beneficiary.objects.none())
    third_parties = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), many=True,
                                                       required=False)
    version = VersionField()

    class Meta:
        model = Piis
        fields = PIIS_INPUT_FIELDS + ["version"]

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, cpas=cpas, **kwargs)
        if cpas is not None:
            self.fields["beneficiary"].queryset = Beneficiary.objects.filter(cpas=cpas)
            self.fields["third_parties"].child_relation.queryset = Organisation.objects.filter(cpas=cpas)
        if self.instance is not None:
            # The person of a PIIS does not change.
            self.fields["beneficiary"].read_only = True

    def validate(self, attrs):
        start, end = attrs.get("start", getattr(self.instance, "start", None)), attrs.get(
            "end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end": [_("The end cannot be before the start.")]})
        return attrs


class PiisSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)
    version = VersionField()


class PiisEndSerializer(serializers.Serializer):
    end = serializers.DateField()
    outcome = serializers.ChoiceField(choices=PiisOutcome.choices)
    version = VersionField()


class PiisCancelSerializer(serializers.Serializer):
    version = VersionField()


class EvaluationHeldSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    face_to_face = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    version = VersionField()
