"""REST API of the financial interventions (``/api/v1/``)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.routers import DefaultRouter

from cpas_portal.api import CpasScopedViewSet
from cpas_portal.concurrency import IF_MATCH, VersionedViewSetMixin

from . import selectors, services
from .serializers import InterventionHireSerializer, InterventionPaymentSerializer


def _pk(kwargs):
    if not str(kwargs["pk"]).isdigit():
        raise Http404
    return kwargs["pk"]


@extend_schema_view(
    list=extend_schema(summary="List the hires with a CPAS financial intervention (Activa, intérim, PTP, SINE)"),
    retrieve=extend_schema(summary="One hire with a financial intervention"),
    create=extend_schema(summary="Record a hire under one of the four programmes (combination and limits checked)"),
    update=extend_schema(summary="Replace a hire's data", parameters=[IF_MATCH]),
    partial_update=extend_schema(summary="Change some of a hire's data", parameters=[IF_MATCH]),
)
class InterventionHireViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.CreateModelMixin, mixins.UpdateModelMixin, CpasScopedViewSet):
    write_area = "measures"
    serializer_class = InterventionHireSerializer
    filterset_fields = ["beneficiary", "employer", "programme"]

    def get_queryset(self):
        return selectors.hire_list(cpas=self.cpas)

    def get_object(self):
        return selectors.hire_get(cpas=self.cpas, pk=_pk(self.kwargs))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.hire_create(acting_user=self.request.user, cpas=self.cpas, **data)

    def perform_update(self, serializer):
        version = self.edit_version(serializer)
        serializer.instance = self.save_versioned(lambda: services.hire_update(
            acting_user=self.request.user, hire=serializer.instance, version=version, **serializer.validated_data))


@extend_schema_view(
    list=extend_schema(summary="List the monthly financial-intervention payments of your CPAS"),
    retrieve=extend_schema(summary="One monthly payment"),
    create=extend_schema(summary="Record a month's intervention on its supporting document (computed within the "
                                 "limits)"),
)
class InterventionPaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                                 CpasScopedViewSet):
    write_area = "payments"
    serializer_class = InterventionPaymentSerializer
    filterset_fields = ["hire", "beneficiary", "month"]

    def get_queryset(self):
        return selectors.payment_list(cpas=self.cpas)

    def get_object(self):
        return selectors.payment_get(cpas=self.cpas, pk=_pk(self.kwargs))

    def perform_create(self, serializer):
        serializer.instance = services.payment_record(acting_user=self.request.user, **serializer.validated_data)


router = DefaultRouter()
router.register("intervention-hires", InterventionHireViewSet, basename="intervention-hire")
router.register("intervention-payments", InterventionPaymentViewSet, basename="intervention-payment")
