"""REST API of the shared kernel (``/api/v1/``). Views parse, call one service or selector, respond."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import selectors, services
from .concurrency import IF_MATCH, Conflict, StaleVersion, VersionedViewSetMixin
from .dated import NotInForce
from .serializers import BeneficiaryListSerializer, BeneficiarySerializer
from .tenancy import current_cpas


def exception_handler(exc, context):
    """Django's ValidationError (raised by services) becomes a 400 with field errors, not a 500."""
    if isinstance(exc, NotInForce):
        # A date outside every rule's validity is the caller's input, not a server fault.
        exc = ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, StaleVersion):
        exc = Conflict(exc.as_field_errors())
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (header ``Authorization: Token <key>``)."""

    permission_classes = [AllowAny]


class CpasScopedViewSet(viewsets.GenericViewSet):
    """Base of every API view set: the CPAS of the request's user, another CPAS's object is a 404."""

    write_area = "beneficiaries"

    @property
    def cpas(self):
        return current_cpas(self.request)

    def dispatch(self, request, *args, **kwargs):
        # A suffix (``/approve.json``) chooses the renderer; the actions take no ``format`` argument.
        self.format_suffix = kwargs.pop(api_settings.FORMAT_SUFFIX_KWARG, None)
        return super().dispatch(request, *args, **kwargs)

    def get_format_suffix(self, **kwargs):
        return getattr(self, "format_suffix", None)

    def get_serializer(self, *args, **kwargs):
        kwargs.setdefault("cpas", self.cpas)
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List the beneficiaries of your CPAS (national numbers masked)"),
    retrieve=extend_schema(summary="One beneficiary"),
    create=extend_schema(summary="Register a beneficiary"),
    update=extend_schema(summary="Replace a beneficiary's data", parameters=[IF_MATCH]),
    partial_update=extend_schema(summary="Change some of a beneficiary's data", parameters=[IF_MATCH]),
)
class BeneficiaryViewSet(
    VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, CpasScopedViewSet,
):
    filterset_fields = ["right_type", "category", "sex", "language", "referent"]
    search_fields = ["last_name", "first_name", "=niss"]
    ordering_fields = ["last_name", "birth_date", "right_start"]

    def get_queryset(self):
        return selectors.beneficiary_list(cpas=self.cpas)

    def get_object(self):
        if not str(self.kwargs["pk"]).isdigit():
            raise Http404
        return selectors.beneficiary_get(cpas=self.cpas, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return BeneficiaryListSerializer if self.action == "list" else BeneficiarySerializer

    def perform_create(self, serializer):
        serializer.instance = services.beneficiary_create(
            acting_user=self.request.user, cpas=self.cpas, **serializer.validated_data
        )

    def perform_update(self, serializer):
        version = self.edit_version(serializer)
        serializer.instance = self.save_versioned(lambda: services.beneficiary_update(
            acting_user=self.request.user, beneficiary=serializer.instance, version=version,
            **serializer.validated_data,
        ))


router = DefaultRouter()
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
