"""REST API of the social-activation subsidies (``/api/v1/activation-years/``): managers write, others read."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from cpas_portal.api import CpasScopedViewSet
from cpas_portal.concurrency import IF_MATCH, VersionedViewSetMixin

from . import report, selectors, services
from .serializers import (
    ActivationRealisedSerializer,
    ActivationReportSerializer,
    ActivationUpdateSerializer,
    ActivationYearSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List the social-activation subsidies of your CPAS"),
    retrieve=extend_schema(summary="One social-activation subsidy"),
    create=extend_schema(summary="Record a social-activation subsidy (manager)"),
    partial_update=extend_schema(summary="Change a social-activation subsidy (manager)", parameters=[IF_MATCH],
                                 request=ActivationUpdateSerializer, responses={200: ActivationYearSerializer}),
)
class ActivationYearViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, mixins.UpdateModelMixin, CpasScopedViewSet):
    write_area = "activation"
    serializer_class = ActivationYearSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["year"]
    filterset_fields = ["year", "kind"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ActivationUpdateSerializer
        return ActivationYearSerializer

    def get_queryset(self):
        return selectors.activation_list(cpas=self.cpas).prefetch_related("cluster_members")

    def get_object(self):
        if not str(self.kwargs["pk"]).isdigit():
            raise Http404
        return selectors.activation_get(cpas=self.cpas, pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        serializer.instance = services.activation_create(
            acting_user=self.request.user, cpas=self.cpas, **serializer.validated_data)

    def perform_update(self, serializer):
        version = self.edit_version(serializer)
        serializer.instance = self.save_versioned(lambda: services.activation_update(
            acting_user=self.request.user, activation=serializer.instance, version=version,
            **serializer.validated_data))

    @extend_schema(summary="Objectives against realised figures, counted from the PIIS and placements of the year",
                   responses={200: ActivationRealisedSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def realised(self, request, pk=None):
        activation = self.get_object()
        realised = selectors.realised(activation).as_dict()
        rows = [{"number": number, "label": str(label), "objective": objective, "realised": count}
                for number, label, objective, count in report.table(activation, realised)]
        rows += [{"number": f"R{number}", "label": str(label), "objective": None, "realised": count}
                 for number, label, count in report.outcomes(realised)]
        return Response(ActivationRealisedSerializer(rows, many=True).data)

    @extend_schema(summary="Prepare the final report's PDF (a background job)", request=None,
                   responses={202: ActivationReportSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def report(self, request, pk=None):
        job = services.report_request(acting_user=request.user, activation=self.get_object())
        return Response(ActivationReportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


router = DefaultRouter()
router.register("activation-years", ActivationYearViewSet, basename="activation-year")
