from django.contrib.auth import get_user_model
from rest_framework import serializers

from .concurrency import VersionField
from .identifiers import niss_masked
from .models import Beneficiary


class BeneficiarySerializer(serializers.ModelSerializer):
    """A beneficiary. ``niss`` is written in any usual form and read back compact (11 digits)."""

    niss = serializers.CharField(max_length=20)
    niss_masked = serializers.SerializerMethodField()
    version = VersionField()
    referent = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = Beneficiary
        fields = [
            "id", "niss", "niss_masked", "first_name", "last_name", "birth_date", "sex", "language",
            "street", "postal_code", "city", "right_type", "category", "right_start", "right_end",
            "referent", "version", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness within the CPAS is checked by the service, where the CPAS is known.
        validators = []

    def __init__(self, *args, cpas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cpas is not None:
            self.fields["referent"].queryset = get_user_model().objects.filter(membership__cpas=cpas)

    def get_niss_masked(self, obj) -> str:
        return niss_masked(obj.niss)


class BeneficiaryListSerializer(BeneficiarySerializer):
    """In lists the national number is masked (personal data)."""

    class Meta(BeneficiarySerializer.Meta):
        fields = [name for name in BeneficiarySerializer.Meta.fields if name != "niss"]


class BeneficiarySearchSerializer(serializers.Serializer):
    """A search sent in the request's body: a name, or (the start of) a national number in any usual form."""

    q = serializers.CharField(max_length=100, allow_blank=True)
