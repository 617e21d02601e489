"""REST API of a person's file (``/api/v1/beneficiaries/<id>/…``): rights over time, case notes, documents.

Every route starts from the person, read in the user's CPAS (another CPAS's person is a 404 on every route).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from . import consultations, person_records, selectors, services
from .api import CpasScopedViewSet
from .concurrency import IF_MATCH, VersionedViewSetMixin
from .downloads import document_response
from .inputs import key_or_404
from .models import CaseNote, ConsultationKind, PersonDocument, RightDecision
from .serializers import (
    CaseNoteSerializer,
    PersonDocumentSerializer,
    PersonDocumentUploadSerializer,
    RightDecisionSerializer,
)
from .tenancy import can_read, current_membership

PERSON = r"beneficiaries/(?P<beneficiary_pk>[0-9]{1,18})"


class PersonScopedViewSet(CpasScopedViewSet):
    """A view set under one person of the user's CPAS."""

    # The person's records are filtered by the person in the path; no query-string filter applies.
    filterset_fields = []
    ordering_fields = []
    search_fields = []

    @property
    def beneficiary(self):
        if not hasattr(self, "_beneficiary"):
            self._beneficiary = selectors.beneficiary_get(cpas=self.cpas, pk=key_or_404(self.kwargs["beneficiary_pk"]))
        return self._beneficiary


@extend_schema_view(
    list=extend_schema(summary="A person's right decisions (integration income or equivalent aid), oldest first"),
    retrieve=extend_schema(summary="One right decision"),
    create=extend_schema(summary="Record a right decision for a person (overlapping decisions are refused)"),
    update=extend_schema(summary="Correct a right decision", parameters=[IF_MATCH]),
    partial_update=extend_schema(summary="Correct or end a right decision (send its end)", parameters=[IF_MATCH]),
)
class RightDecisionViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, mixins.UpdateModelMixin, PersonScopedViewSet):
    serializer_class = RightDecisionSerializer
    queryset = RightDecision.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.right_decision_list(cpas=self.cpas, beneficiary=self.beneficiary)

    def get_object(self):
        return selectors.right_decision_get(cpas=self.cpas, beneficiary=self.beneficiary,
                                            pk=key_or_404(self.kwargs["pk"]))

    def perform_create(self, serializer):
        data = {key: value for key, value in serializer.validated_data.items() if key != "version"}
        serializer.instance = services.right_decision_create(
            acting_user=self.request.user, beneficiary=self.beneficiary, **data)

    def perform_update(self, serializer):
        version = self.edit_version(serializer)
        serializer.instance = self.save_versioned(lambda: services.right_decision_update(
            acting_user=self.request.user, decision=serializer.instance, version=version,
            **serializer.validated_data))


@extend_schema_view(
    list=extend_schema(summary="A person's case notes, newest first (confidential ones: referent and managers)"),
    retrieve=extend_schema(summary="One case note"),
    create=extend_schema(summary="Write a case note on a person's file"),
    update=extend_schema(summary="Correct a case note (its author or a manager)", parameters=[IF_MATCH]),
    partial_update=extend_schema(summary="Correct part of a case note (its author or a manager)",
                                 parameters=[IF_MATCH]),
)
class CaseNoteViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, PersonScopedViewSet):
    serializer_class = CaseNoteSerializer
    queryset = CaseNote.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.case_note_list(cpas=self.cpas, beneficiary=self.beneficiary, user=self.request.user,
                                        membership=current_membership(self.request))

    def _check_confidential(self, data):
        # Who may not read confidential notes does not write one either (they could not read it back).
        if data.get("confidential") and not person_records.may_read_confidential(
                user=self.request.user, membership=current_membership(self.request), beneficiary=self.beneficiary):
            raise ValidationError({"confidential": [_("Only the person's referent and the managers may write a "
                                                      "confidential note.")]})

    def get_object(self):
        return selectors.case_note_get(cpas=self.cpas, beneficiary=self.beneficiary, pk=key_or_404(self.kwargs["pk"]),
                                       user=self.request.user, membership=current_membership(self.request))

    def perform_create(self, serializer):
        data = {key: value for key, value in serializer.validated_data.items() if key != "version"}
        self._check_confidential(data)
        serializer.instance = services.case_note_create(
            acting_user=self.request.user, beneficiary=self.beneficiary, **data)

    def perform_update(self, serializer):
        if not person_records.may_edit_note(user=self.request.user, membership=current_membership(self.request),
                                            note=serializer.instance):
            raise PermissionDenied(_("Only the author of a note or a manager may correct it."))
        self._check_confidential(serializer.validated_data)
        version = self.edit_version(serializer)
        serializer.instance = self.save_versioned(lambda: services.case_note_update(
            acting_user=self.request.user, note=serializer.instance, version=version, **serializer.validated_data))


@extend_schema_view(
    list=extend_schema(summary="A person's documents, newest first"),
    retrieve=extend_schema(summary="One document's description"),
)
class PersonDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PersonScopedViewSet):
    serializer_class = PersonDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]
    queryset = PersonDocument.objects.none()

    def _check_role(self):
        if not can_read(current_membership(self.request), "person_documents"):
            raise PermissionDenied(_("Your role may not see this."))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        self._check_role()
        return selectors.document_list(cpas=self.cpas, beneficiary=self.beneficiary)

    def get_object(self):
        self._check_role()
        return selectors.document_get(cpas=self.cpas, beneficiary=self.beneficiary, pk=key_or_404(self.kwargs["pk"]))

    @extend_schema(summary="Upload a document to a person's file (PDF, PNG or JPEG, size-limited)",
                   request={"multipart/form-data": PersonDocumentUploadSerializer},
                   responses={201: PersonDocumentSerializer})
    def create(self, request, *args, **kwargs):
        upload = PersonDocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        document = services.document_upload(acting_user=request.user, beneficiary=self.beneficiary,
                                            kind=data["kind"], title=data.get("title", ""), upload=data["file"])
        return Response(PersonDocumentSerializer(document).data, status=201)

    @extend_schema(summary="Download a document (an attachment, after the CPAS and role check)",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_name="download")
    def download(self, request, *args, **kwargs):
        document = self.get_object()
        consultations.record(request, ConsultationKind.DOCUMENT, cpas=self.cpas, beneficiary=self.beneficiary,
                             export=document.original_name)
        return document_response(document)


person_router = DefaultRouter(trailing_slash=True)
person_router.include_root_view = False
person_router.register(f"{PERSON}/rights", RightDecisionViewSet, basename="api_right_decision")
person_router.register(f"{PERSON}/notes", CaseNoteViewSet, basename="api_case_note")
person_router.register(f"{PERSON}/documents", PersonDocumentViewSet, basename="api_person_document")
