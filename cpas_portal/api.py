"""REST API of the shared kernel (``/api/v1/``). Views parse, call one service or selector, respond."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import consultations, selectors, services
from .api_filters import BeneficiaryFilter
from .concurrency import IF_MATCH, Conflict, StaleVersion, VersionedViewSetMixin
from .dated import NotInForce
from .inputs import key_or_404
from .models import ConsultationKind
from .serializers import (
    BeneficiaryListSerializer,
    BeneficiarySearchSerializer,
    BeneficiarySerializer,
    OrganisationSerializer,
)
from .tenancy import IsCpasReader, current_cpas


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
    list=extend_schema(summary="List the beneficiaries of your CPAS (national numbers masked)", parameters=[
        OpenApiParameter("search", str, description="Name, in either order, partial; accents and case ignored")]),
    retrieve=extend_schema(summary="One beneficiary"),
    create=extend_schema(summary="Register a beneficiary"),
    update=extend_schema(summary="Replace a beneficiary's data", parameters=[IF_MATCH]),
    partial_update=extend_schema(summary="Change some of a beneficiary's data", parameters=[IF_MATCH]),
)
class BeneficiaryViewSet(
    VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, CpasScopedViewSet,
):
    filterset_class = BeneficiaryFilter
    # ``?search=`` is the one person search (``person_search``: accents and case ignored, names in either
    # order), names only: a national number is searched with POST .../search/, so that it stays out of URLs.
    search_fields = []
    ordering_fields = ["last_name", "birth_date"]

    def get_queryset(self):
        search = self.request.query_params.get("search", "") if self.action == "list" else ""
        return selectors.beneficiary_list(cpas=self.cpas, search=search)

    def list(self, request, *args, **kwargs):
        search = request.query_params.get("search", "")
        if selectors.is_number_search(search):
            raise ValidationError({"search": [_("Search a national number with POST /api/v1/beneficiaries/search/.")]})
        if search.strip() and set(request.query_params) <= {"search", "page"}:
            # A bare search in the search order: matches, page and count read from the search index alone.
            page = self.paginate_queryset(selectors.beneficiary_search_results(cpas=self.cpas, search=search))
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Search the beneficiaries of your CPAS by name or national number (sent in the body)",
                   request=BeneficiarySearchSerializer, responses=BeneficiaryListSerializer(many=True))
    @action(detail=False, methods=["post"], permission_classes=[IsCpasReader], filterset_class=None,
            ordering_fields=[], search_fields=[])
    def search(self, request):
        query = BeneficiarySearchSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.beneficiary_search_results(cpas=self.cpas,
                                                                           search=query.validated_data["q"]))
        return self.get_paginated_response(BeneficiaryListSerializer(page, many=True, cpas=self.cpas).data)

    def get_object(self):
        return selectors.beneficiary_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def retrieve(self, request, *args, **kwargs):
        beneficiary = self.get_object()
        consultations.record(request, ConsultationKind.PERSON_API, cpas=self.cpas, beneficiary=beneficiary)
        return Response(self.get_serializer(beneficiary).data)

    def get_serializer_class(self):
        return BeneficiaryListSerializer if self.action == "list" else BeneficiarySerializer

    def perform_create(self, serializer):
        created = services.beneficiary_create(acting_user=self.request.user, cpas=self.cpas,
                                              **serializer.validated_data)
        # Read back with the right in force today (``right_type_today``, ``category_today``).
        serializer.instance = selectors.beneficiary_get(cpas=self.cpas, pk=created.pk)

    def perform_update(self, serializer):
        version = self.edit_version(serializer)
        serializer.instance = self.save_versioned(lambda: services.beneficiary_update(
            acting_user=self.request.user, beneficiary=serializer.instance, version=version,
            **serializer.validated_data,
        ))


@extend_schema_view(
    list=extend_schema(summary="List the partners and employers of your CPAS"),
    retrieve=extend_schema(summary="One organisation"),
    create=extend_schema(summary="Add a partner or employer to your CPAS's directory"),
    update=extend_schema(summary="Replace an organisation's data"),
    partial_update=extend_schema(summary="Change some of an organisation's data (its kind stays once a measure "
                                         "uses it)"),
)
class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, CpasScopedViewSet):
    write_area = "organisations"
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind", "recognised"]
    search_fields = ["name", "enterprise_number"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.organisation_list(cpas=self.cpas).order_by("name", "id")

    def get_object(self):
        return selectors.organisation_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def perform_create(self, serializer):
        serializer.instance = services.organisation_create(acting_user=self.request.user, cpas=self.cpas,
                                                           **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.organisation_update(acting_user=self.request.user,
                                                           organisation=serializer.instance,
                                                           **serializer.validated_data)


router = DefaultRouter()
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
router.register("organisations", OrganisationViewSet, basename="organisation")
