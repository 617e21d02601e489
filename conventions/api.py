"""REST API of partnership conventions (``/api/v1/conventions/``). Views parse, call one service or selector."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cpas_portal.api import CpasScopedViewSet
from cpas_portal.concurrency import IF_MATCH, PreconditionFailed, VersionedViewSetMixin
from cpas_portal.inputs import key_or_404

from . import selectors, services
from .serializers import (
    ConventionCancelSerializer,
    ConventionCloseSerializer,
    ConventionCreateSerializer,
    ConventionHoursSerializer,
    ConventionPaymentPaidSerializer,
    ConventionPaymentSerializer,
    ConventionSerializer,
    ConventionSignSerializer,
    ConventionUpdateSerializer,
    HoursCancelSerializer,
    HoursCorrectionSerializer,
    PartnerClaimSerializer,
    validated_partners,
)

CASEWORK_AREA = "measures"
FINANCE_AREA = "payments"


@extend_schema_view(
    list=extend_schema(summary="List the partnership conventions of your CPAS"),
    retrieve=extend_schema(summary="One convention, its partners, amounts and how they were computed"),
    create=extend_schema(summary="Create a draft convention with its partners and shares",
                         request=ConventionCreateSerializer, responses={201: ConventionSerializer}),
    update=extend_schema(summary="Replace a draft's fields and partners (a signed convention is frozen)",
                         parameters=[IF_MATCH], request=ConventionUpdateSerializer,
                         responses={200: ConventionSerializer}),
    partial_update=extend_schema(summary="Change some fields of a draft (``partners``, if given, replaces them all)",
                                 parameters=[IF_MATCH], request=ConventionUpdateSerializer,
                                 responses={200: ConventionSerializer}),
)
class ConventionViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, CpasScopedViewSet):
    lookup_value_regex = r"\d+"
    filterset_fields = ["status", "beneficiary", "rule_version"]
    ordering_fields = ["conclusion_date", "planned_hours"]

    @property
    def write_area(self):
        return FINANCE_AREA if self.action == "claims" else CASEWORK_AREA

    def get_queryset(self):
        return selectors.convention_list(cpas=self.cpas, today=timezone.localdate())

    def get_object(self):
        return selectors.convention_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def get_serializer_class(self):
        if self.action == "create":
            return ConventionCreateSerializer
        if self.action in ("update", "partial_update"):
            return ConventionUpdateSerializer
        return ConventionSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partners = [dict(partner) for partner in data.pop("partners")]
        convention = services.convention_create(acting_user=request.user, cpas=self.cpas, partners=partners, **data)
        return Response(ConventionSerializer(convention).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        convention = self.get_object()
        wanted = self._if_match()
        if wanted is not None and wanted != convention.version:
            raise PreconditionFailed()
        serializer = self.get_serializer(convention, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        version = self.edit_version(serializer)
        data = dict(serializer.validated_data)
        if "partners" in data:
            data["partners"] = validated_partners(request.data.get("partners"), cpas=self.cpas)
        convention = self.save_versioned(lambda: services.convention_update(
            acting_user=request.user, convention=convention, version=version, **data))
        return Response(ConventionSerializer(convention).data)

    @extend_schema(summary="Sign: freeze the amounts and create each partner's 50 % advance (refused, with the "
                           "missing elements, while the plan is incomplete)",
                   request=ConventionSignSerializer, responses={200: ConventionSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        convention = self.get_object()
        serializer = ConventionSignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        convention = self.save_versioned(lambda: services.convention_sign(
            acting_user=request.user, convention=convention, version=self.edit_version(serializer)))
        return Response(ConventionSerializer(convention).data)

    @extend_schema(summary="Cancel a draft: it stays, marked cancelled, with who, when and why",
                   request=ConventionCancelSerializer, responses={200: ConventionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        convention = self.get_object()
        serializer = ConventionCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = self.edit_version(serializer)
        convention = self.save_versioned(lambda: services.convention_cancel(
            acting_user=request.user, convention=convention, version=version, **serializer.validated_data))
        return Response(ConventionSerializer(convention).data)

    @extend_schema(summary="Close with the outcome and end date; computes the balances",
                   request=ConventionCloseSerializer, responses={200: ConventionSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        convention = self.get_object()
        serializer = ConventionCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        convention = services.convention_close(acting_user=request.user, convention=convention,
                                               **serializer.validated_data)
        return Response(ConventionSerializer(convention).data)

    @extend_schema(methods=["GET"], summary="The coaching hours recorded", request=None,
                   responses={200: ConventionHoursSerializer(many=True)})
    @extend_schema(methods=["POST"], summary="Record coaching hours given by a partner",
                   request=ConventionHoursSerializer, responses={201: ConventionHoursSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def hours(self, request, pk=None):
        convention = self.get_object()
        if request.method == "GET":
            return Response(ConventionHoursSerializer(selectors.hours_log(convention), many=True).data)
        serializer = ConventionHoursSerializer(data=request.data, convention=convention)
        serializer.is_valid(raise_exception=True)
        entry = services.coaching_hours_record(acting_user=request.user, convention=convention,
                                               **serializer.validated_data)
        return Response(ConventionHoursSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Correct a wrong entry of coaching hours (with the reason; kept in its history)",
                   request=HoursCorrectionSerializer, responses={200: ConventionHoursSerializer})
    @action(detail=True, methods=["post"], url_path=r"hours/(?P<entry_pk>\d+)/correct")
    def correct_hours(self, request, pk=None, entry_pk=None):
        convention = self.get_object()
        entry = selectors.hours_entry_get(convention=convention, pk=key_or_404(entry_pk))
        serializer = HoursCorrectionSerializer(data=request.data, convention=convention)
        serializer.is_valid(raise_exception=True)
        entry = services.coaching_hours_correct(acting_user=request.user, entry=entry, **serializer.validated_data)
        return Response(ConventionHoursSerializer(entry).data)

    @extend_schema(summary="Cancel a wrong entry of coaching hours: it stays, counts for nothing, keeps the reason",
                   request=HoursCancelSerializer, responses={200: ConventionHoursSerializer})
    @action(detail=True, methods=["post"], url_path=r"hours/(?P<entry_pk>\d+)/cancel")
    def cancel_hours(self, request, pk=None, entry_pk=None):
        convention = self.get_object()
        entry = selectors.hours_entry_get(convention=convention, pk=key_or_404(entry_pk))
        serializer = HoursCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.coaching_hours_cancel(acting_user=request.user, entry=entry, **serializer.validated_data)
        return Response(ConventionHoursSerializer(entry).data)

    @extend_schema(methods=["GET"], summary="The partners' claims (déclarations de créance)", request=None,
                   responses={200: PartnerClaimSerializer(many=True)})
    @extend_schema(methods=["POST"], summary="Register a partner's claim for the balance",
                   request=PartnerClaimSerializer, responses={201: PartnerClaimSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def claims(self, request, pk=None):
        convention = self.get_object()
        if request.method == "GET":
            return Response(PartnerClaimSerializer(convention.claims.order_by("id"), many=True).data)
        serializer = PartnerClaimSerializer(data=request.data, convention=convention)
        serializer.is_valid(raise_exception=True)
        claim = services.partner_claim_register(acting_user=request.user, **serializer.validated_data)
        return Response(PartnerClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Payments to the partners of your CPAS's conventions"),
    retrieve=extend_schema(summary="One payment"),
)
class ConventionPaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = FINANCE_AREA
    serializer_class = ConventionPaymentSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ["kind", "status", "convention"]
    ordering_fields = ["due_date", "paid_date", "amount"]

    def get_queryset(self):
        return selectors.payment_list(cpas=self.cpas)

    def get_object(self):
        return selectors.payment_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    @extend_schema(summary="Record that a due payment was paid",
                   request=ConventionPaymentPaidSerializer, responses={200: ConventionPaymentSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        payment = self.get_object()
        serializer = ConventionPaymentPaidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.payment_mark_paid(acting_user=request.user, payment=payment, **serializer.validated_data)
        return Response(ConventionPaymentSerializer(payment).data)
