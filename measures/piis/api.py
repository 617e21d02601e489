"""REST API of PIIS and evaluation meetings (``/api/v1/piis/``, ``/api/v1/evaluations/``)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cpas_portal.api import CpasScopedViewSet
from cpas_portal.concurrency import IF_MATCH, PreconditionFailed, VersionedViewSetMixin
from cpas_portal.inputs import key_or_404

from . import selectors, services
from .serializers import (
    EvaluationHeldSerializer,
    PiisCancelSerializer,
    PiisEndSerializer,
    PiisEvaluationSerializer,
    PiisSerializer,
    PiisSignSerializer,
    PiisWriteSerializer,
)

AREA = "measures"


@extend_schema_view(
    list=extend_schema(summary="List the PIIS of your CPAS"),
    retrieve=extend_schema(summary="One PIIS, with the deadlines to conclude it while negotiated"),
    create=extend_schema(summary="Create a PIIS being negotiated", request=PiisWriteSerializer,
                         responses={201: PiisSerializer}),
    update=extend_schema(summary="Replace a PIIS's terms", parameters=[IF_MATCH], request=PiisWriteSerializer,
                         responses={200: PiisSerializer}),
    partial_update=extend_schema(summary="Change some of a PIIS's terms", parameters=[IF_MATCH],
                                 request=PiisWriteSerializer, responses={200: PiisSerializer}),
)
class PiisViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, CpasScopedViewSet):
    write_area = AREA
    lookup_value_regex = r"\d+"
    filterset_fields = ["status", "kind", "beneficiary", "outcome"]
    ordering_fields = ["start", "end", "signed_on"]

    def get_queryset(self):
        return selectors.piis_list(cpas=self.cpas)

    def get_object(self):
        return selectors.piis_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return PiisWriteSerializer
        return PiisSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        piis = services.piis_create(acting_user=request.user, cpas=self.cpas, **data)
        return Response(PiisSerializer(piis).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        piis = self.get_object()
        wanted = self._if_match()
        if wanted is not None and wanted != piis.version:
            raise PreconditionFailed()
        serializer = self.get_serializer(piis, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        version = self.edit_version(serializer)
        data = dict(serializer.validated_data)
        data.pop("beneficiary", None)
        piis = self.save_versioned(lambda: services.piis_update(
            acting_user=request.user, piis=piis, version=version, **data))
        return Response(PiisSerializer(piis).data)

    def _run(self, serializer_class, write):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        piis = self.save_versioned(lambda: write(self.get_object(), dict(serializer.validated_data)))
        return Response(PiisSerializer(piis).data)

    @extend_schema(summary="Record the signature: the PIIS runs and its evaluation meetings are planned",
                   request=PiisSignSerializer, responses={200: PiisSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._run(PiisSignSerializer, lambda piis, data: services.piis_sign(
            acting_user=request.user, piis=piis, **data))

    @extend_schema(summary="End the PIIS with the outcome of the path", request=PiisEndSerializer,
                   responses={200: PiisSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._run(PiisEndSerializer, lambda piis, data: services.piis_end(
            acting_user=request.user, piis=piis, **data))

    @extend_schema(summary="Cancel the PIIS; its planned meetings are removed", request=PiisCancelSerializer,
                   responses={200: PiisSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(PiisCancelSerializer, lambda piis, data: services.piis_cancel(
            acting_user=request.user, piis=piis, **data))

    @extend_schema(methods=["GET"], summary="The PIIS's evaluations, planned and held", request=None,
                   responses={200: PiisEvaluationSerializer(many=True)})
    @extend_schema(methods=["POST"], summary="Record an evaluation held without having been planned",
                   request=EvaluationHeldSerializer, responses={201: PiisEvaluationSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def evaluations(self, request, pk=None):
        piis = self.get_object()
        if request.method == "GET":
            return Response(PiisEvaluationSerializer(selectors.piis_evaluations(piis), many=True).data)
        serializer = EvaluationHeldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        evaluation = services.evaluation_add(acting_user=request.user, piis=piis, **data)
        return Response(PiisEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Evaluation meetings of PIIS and art. 60 §7 placements of your CPAS"),
    retrieve=extend_schema(summary="One evaluation meeting"),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = AREA
    serializer_class = PiisEvaluationSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ["piis", "placement", "beneficiary", "face_to_face"]
    ordering_fields = ["planned_on", "held_on"]

    def get_queryset(self):
        return selectors.evaluation_list(cpas=self.cpas)

    def get_object(self):
        return selectors.evaluation_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    @extend_schema(summary="Record a planned meeting as held", request=EvaluationHeldSerializer,
                   responses={200: PiisEvaluationSerializer})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        evaluation = self.get_object()
        serializer = EvaluationHeldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A stale ``version`` is a 409 with the changed fields (cpas_portal.api.exception_handler).
        evaluation = services.evaluation_record(acting_user=request.user, evaluation=evaluation,
                                                **serializer.validated_data)
        return Response(PiisEvaluationSerializer(evaluation).data)
