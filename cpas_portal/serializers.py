from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from .concurrency import VersionField
from .identifiers import niss_masked
from .models import Beneficiary, CaseNote, Category, Organisation, PersonDocument, RightDecision, RightType


class BeneficiarySerializer(serializers.ModelSerializer):
    """A beneficiary. ``niss`` is written in any usual form and read back compact (11 digits).

    Registering a person takes their first right decision (``right_type``, ``category``, ``right_start``,
    optionally ``right_end`` and ``right_decided_on``); later ones go through ``…/rights/``. Read back,
    ``right_type_today`` and ``category_today`` are those of the decision in force today."""

    niss = serializers.CharField(max_length=20)
    niss_masked = serializers.SerializerMethodField()
    version = VersionField()
    referent = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(), allow_null=True, required=False
    )
    right_type = serializers.ChoiceField(choices=RightType.choices, write_only=True)
    category = serializers.ChoiceField(choices=Category.choices, write_only=True)
    right_decided_on = serializers.DateField(write_only=True, required=False, allow_null=True)
    right_start = serializers.DateField(write_only=True)
    right_end = serializers.DateField(write_only=True, required=False, allow_null=True)
    right_type_today = serializers.CharField(source="right_type_on_day", read_only=True, allow_null=True,
                                             default=None)
    category_today = serializers.IntegerField(source="category_on_day", read_only=True, allow_null=True,
                                              default=None)

    FIRST_RIGHT = ("right_type", "category", "right_decided_on", "right_start", "right_end")

    class Meta:
        model = Beneficiary
        fields = [
            "id", "niss", "niss_masked", "first_name", "last_name", "birth_date", "sex", "language",
            "street", "postal_code", "city", "right_type", "category", "right_decided_on", "right_start",
            "right_end", "right_type_today", "category_today", "referent", "version", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness within the CPAS is checked by the service, where the CPAS is known.
        validators = []

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cpas is not None:
            self.fields["referent"].queryset = get_user_model().objects.filter(membership__cpas=cpas)
        if self.instance is not None:
            # A person's later rights are written through their own endpoint, never by editing the person.
            for name in self.FIRST_RIGHT:
                self.fields.pop(name, None)

    def validate(self, attrs):
        if attrs.get("right_start") and attrs.get("right_end") and attrs["right_end"] < attrs["right_start"]:
            raise serializers.ValidationError({"right_end": [_("The right cannot end before it starts.")]})
        return attrs

    def get_niss_masked(self, obj) -> str:
        return niss_masked(obj.niss)


class BeneficiaryListSerializer(BeneficiarySerializer):
    """In lists the national number is masked (personal data)."""

    class Meta(BeneficiarySerializer.Meta):
        fields = [name for name in BeneficiarySerializer.Meta.fields if name != "niss"]


class BeneficiarySearchSerializer(serializers.Serializer):
    """A search sent in the request's body: a name, or (the start of) a national number in any usual form."""

    q = serializers.CharField(max_length=100, allow_blank=True)


class RightDecisionSerializer(serializers.ModelSerializer):
    """One decision granting a person the integration income or the equivalent aid, from ``start`` to ``end``."""

    version = VersionField()

    class Meta:
        model = RightDecision
        fields = ["id", "beneficiary", "right_type", "category", "decided_on", "start", "end", "version",
                  "created_at"]
        read_only_fields = ["id", "beneficiary", "created_at"]

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end": [_("The right cannot end before it starts.")]})
        return attrs


class CaseNoteSerializer(serializers.ModelSerializer):
    """A case note; the confidential ones reach only the person's referent and the managers."""

    version = VersionField()
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseNote
        fields = ["id", "beneficiary", "day", "text", "confidential", "author", "author_name", "version",
                  "created_at"]
        read_only_fields = ["id", "beneficiary", "author", "created_at"]

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_author_name(self, obj) -> str:
        return (obj.author.get_full_name() or obj.author.get_username()) if obj.author_id else ""


class PersonDocumentSerializer(serializers.ModelSerializer):
    """A document of the person's file; ``download`` is the checked download address (no public URL)."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = PersonDocument
        fields = ["id", "beneficiary", "kind", "title", "original_name", "content_type", "size", "uploaded_by",
                  "uploaded_at", "download"]
        read_only_fields = fields

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_download(self, obj) -> str:
        from django.urls import reverse

        return reverse("api_person_document-download", kwargs={"beneficiary_pk": obj.beneficiary_id, "pk": obj.pk})


class PersonDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PersonDocument._meta.get_field("kind").choices)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    file = serializers.FileField()

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)


class OrganisationSerializer(serializers.ModelSerializer):
    """A partner or employer of your CPAS (coaching partner, social-economy initiative, private firm …).

    ``enterprise_number`` (BCE/KBO) is optional, written with or without dots, unique within your CPAS."""

    class Meta:
        model = Organisation
        fields = ["id", "name", "enterprise_number", "kind", "recognised", "created_by_cpas",
                  "approved_by_employment_service"]
        read_only_fields = ["id"]
        # Uniqueness is the service's (per CPAS, with a message), not a generic validator.
        validators = []
        extra_kwargs = {"enterprise_number": {"validators": [], "max_length": 14}}

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
