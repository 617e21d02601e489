"""REST API of reimbursement claims (``/api/v1/claims/``, ``/api/v1/claim-jobs/``)."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from cpas_portal import consultations
from cpas_portal.api import CpasScopedViewSet
from cpas_portal.inputs import key_or_404
from cpas_portal.models import ConsultationKind

from . import selectors, services, statement, statements
from .serializers import (
    ClaimJobRequestSerializer,
    ClaimJobSerializer,
    ClaimLineSerializer,
    ClaimSerializer,
    ClaimSignRequestSerializer,
    StatementImportSerializer,
    StatementJobSerializer,
    StatementRecordMatchSerializer,
    StatementRecordNotOursSerializer,
    StatementRecordSerializer,
    StatementUploadSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List the reimbursement claims of your CPAS"),
    retrieve=extend_schema(summary="One reimbursement claim with its signatures"),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = "claims"
    serializer_class = ClaimSerializer
    filterset_fields = ["measure", "status", "period_kind"]
    search_fields = []
    ordering_fields = ["period_start", "total"]

    def get_queryset(self):
        return selectors.claim_list(cpas=self.cpas).prefetch_related("signatures")

    def get_object(self):
        return selectors.claim_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    @extend_schema(summary="The lines of a claim (national numbers masked)", responses=ClaimLineSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=ClaimLineSerializer, filterset_fields=[],
            ordering_fields=[])
    def lines(self, request, pk=None):
        claim = self.get_object()
        page = self.paginate_queryset(selectors.claim_lines(claim=claim))
        return self.get_paginated_response(ClaimLineSerializer(page, many=True).data)

    @extend_schema(summary="The claim's PDF form", responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF form"),
    })
    @action(detail=True, methods=["get"], filterset_fields=[], ordering_fields=[])
    def pdf(self, request, pk=None):
        claim = self.get_object()
        document = selectors.claim_document(claim=claim)
        if document is None:
            raise Http404("The PDF of this claim is being rendered.")
        consultations.record(request, ConsultationKind.EXPORT, cpas=claim.cpas, claim_id=claim.pk,
                             export=f"{claim.reference}.pdf (API)")
        response = HttpResponse(bytes(document.content), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{claim.reference}.pdf"'
        return response

    @extend_schema(summary="Mark the claim reviewed", request=None, responses=ClaimSerializer)
    @action(detail=True, methods=["post"], filterset_fields=[], ordering_fields=[])
    def review(self, request, pk=None):
        claim = services.claim_review(acting_user=request.user, claim=self.get_object())
        return Response(ClaimSerializer(claim).data)

    @extend_schema(summary="Sign the claim as secretary/director or president", request=ClaimSignRequestSerializer,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"], filterset_fields=[], ordering_fields=[])
    def sign(self, request, pk=None):
        claim = self.get_object()
        data = ClaimSignRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.claim_sign(acting_user=request.user, claim=claim, capacity=data.validated_data["capacity"],
                            place=data.validated_data.get("place"))
        return Response(ClaimSerializer(selectors.claim_get(cpas=self.cpas, pk=claim.pk)).data)

    @extend_schema(summary="Mark the claim sent to SPP IS (needs both signatures)", request=None,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"], filterset_fields=[], ordering_fields=[])
    def send(self, request, pk=None):
        claim = services.claim_send(acting_user=request.user, claim=self.get_object())
        return Response(ClaimSerializer(claim).data)

    @extend_schema(summary="Cancel a claim not yet signed (draft or reviewed): its items can be claimed again",
                   request=None, responses=ClaimSerializer)
    @action(detail=True, methods=["post"], filterset_fields=[], ordering_fields=[])
    def cancel(self, request, pk=None):
        claim = services.claim_cancel(acting_user=request.user, claim=self.get_object())
        return Response(ClaimSerializer(claim).data)

    @extend_schema(summary="Mark a sent claim rejected by SPP IS: its items can be claimed again", request=None,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"], filterset_fields=[], ordering_fields=[])
    def reject(self, request, pk=None):
        claim = services.claim_reject(acting_user=request.user, claim=self.get_object())
        return Response(ClaimSerializer(claim).data)

    @extend_schema(summary="Ask for a corrected version of a sent claim", request=None,
                   responses={202: ClaimJobSerializer})
    @action(detail=True, methods=["post"], filterset_fields=[], ordering_fields=[])
    def correct(self, request, pk=None):
        job = services.claim_correction_request(acting_user=request.user, claim=self.get_object())
        job.refresh_from_db()
        return Response(ClaimJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(summary="Claim generation jobs of your CPAS"),
    retrieve=extend_schema(summary="One generation job: its status and progress"),
    create=extend_schema(summary="Ask for a claim: gathered and rendered in the background",
                         request=ClaimJobRequestSerializer, responses={202: ClaimJobSerializer}),
)
class ClaimJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CpasScopedViewSet):
    write_area = "claims"
    filterset_fields = ["status", "measure"]
    search_fields = []
    ordering_fields = ["created_at"]

    def get_serializer_class(self):
        return ClaimJobRequestSerializer if self.action == "create" else ClaimJobSerializer

    def get_queryset(self):
        return selectors.job_list(cpas=self.cpas)

    def get_object(self):
        return selectors.job_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        data = ClaimJobRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.claim_generation_request(acting_user=request.user, cpas=self.cpas, **data.validated_data)
        job.refresh_from_db()  # sent to the queue (or not) once the request's transaction committed
        return Response(ClaimJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    retrieve=extend_schema(summary="One statement import job: its status, progress, field errors and statement"),
)
class StatementJobViewSet(mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = "claims"
    serializer_class = StatementJobSerializer
    filterset_fields = []
    search_fields = []

    def get_queryset(self):
        return selectors.statement_job_list(cpas=self.cpas)

    def get_object(self):
        return selectors.statement_job_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))


@extend_schema_view(
    list=extend_schema(summary="The monthly payment statements of SPP IS imported for your CPAS"),
    retrieve=extend_schema(summary="One imported statement"),
    create=extend_schema(summary="Upload a monthly statement (TXT or CSV): imported and matched in the background",
                         request={"multipart/form-data": StatementUploadSerializer},
                         responses={202: StatementJobSerializer}),
)
class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CpasScopedViewSet):
    write_area = "claims"
    serializer_class = StatementImportSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = []
    search_fields = []
    ordering_fields = ["imported_at"]

    def get_queryset(self):
        return selectors.statement_list(cpas=self.cpas)

    def get_object(self):
        return selectors.statement_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        """202 with the import job (``/statement-jobs/{id}/``): poll it until it is done or failed."""
        data = StatementUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        job = statements.statement_import_request(acting_user=request.user, cpas=self.cpas,
                                                  file_name=upload.name, content=upload.read())
        job = selectors.statement_job_get(cpas=self.cpas, pk=job.pk)  # sent to the queue once committed
        return Response(StatementJobSerializer(job).data, status=status.HTTP_202_ACCEPTED,
                        headers={"Location": f"/api/v1/statement-jobs/{job.pk}/"})

    @extend_schema(summary="The records of a statement, with their State's share and matched claim line",
                   responses=StatementRecordSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=StatementRecordSerializer, filterset_fields=[],
            ordering_fields=[])
    def records(self, request, pk=None):
        page = self.paginate_queryset(selectors.statement_records(statement=self.get_object()))
        return self.get_paginated_response(StatementRecordSerializer(page, many=True).data)

    @extend_schema(summary="The record layout of the TXT and CSV statements", responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], filterset_fields=[], ordering_fields=[], pagination_class=None)
    def layout(self, request):
        return Response({"record_length": statement.RECORD_LENGTH, "csv_delimiter": ";",
                         "fields": statement.columns()})


@extend_schema_view(retrieve=extend_schema(summary="One statement record"))
class StatementRecordViewSet(mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = "claims"
    serializer_class = StatementRecordSerializer
    filterset_fields = []
    search_fields = []
    ordering_fields = []

    def get_queryset(self):
        return selectors.statement_records_of(cpas=self.cpas)

    def get_object(self):
        return selectors.statement_record_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def _record(self):
        return selectors.statement_records_of(cpas=self.cpas).get(pk=key_or_404(self.kwargs["pk"]))

    @extend_schema(summary="Match an unmatched record to a claim line by hand", request=StatementRecordMatchSerializer,
                   responses=StatementRecordSerializer)
    @action(detail=True, methods=["post"], filterset_fields=[], ordering_fields=[])
    def match(self, request, pk=None):
        record = self.get_object()
        data = StatementRecordMatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = selectors.claim_line_get(cpas=self.cpas, pk=data.validated_data["line"])
        statements.statement_record_match(acting_user=request.user, record=record, line=line)
        return Response(StatementRecordSerializer(self._record()).data)

    @extend_schema(summary="Set an unmatched record aside: it pays nothing this CPAS claimed",
                   request=StatementRecordNotOursSerializer, responses=StatementRecordSerializer)
    @action(detail=True, methods=["post"], url_path="not-ours", filterset_fields=[], ordering_fields=[])
    def not_ours(self, request, pk=None):
        record = self.get_object()
        data = StatementRecordNotOursSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        statements.statement_record_not_ours(acting_user=request.user, record=record,
                                             note=data.validated_data["note"])
        return Response(StatementRecordSerializer(self._record()).data)
