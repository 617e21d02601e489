"""REST API of partnership conventions (``/api/v1/conventions/``). Views parse, call one service or selector."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cpas_portal.api import CpasScopedViewSet

from . import selectors, services
from .serializers import (
    ConventionCloseSerializer,
    ConventionCreateSerializer,
    ConventionHoursSerializer,
    ConventionPaymentPaidSerializer,
    ConventionPaymentSerializer,
    ConventionSerializer,
    PartnerClaimSerializer,
)

CASEWORK_AREA = "measures"
FINANCE_AREA = "payments"


def _pk(value):
    if not str(value).isdigit():
        raise Http404
    return int(value)


@extend_schema_view(
    list=extend_schema(summary="List the partnership conventions of your CPAS"),
    retrieve=extend_schema(summary="One convention, its partners, amounts and how they were computed"),
    create=extend_schema(summary="Create a draft convention with its partners and shares",
                         request=ConventionCreateSerializer, responses={201: ConventionSerializer}),
)
class ConventionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CpasScopedViewSet):
    lookup_value_regex = r"\d+"
    filterset_fields = ["status", "beneficiary", "rule_version"]
    ordering_fields = ["conclusion_date", "planned_hours"]

    @property
    def write_area(self):
        return FINANCE_AREA if self.action == "claims" else CASEWORK_AREA

    def get_queryset(self):
        return selectors.convention_list(cpas=self.cpas, today=timezone.localdate())

    def get_object(self):
        return selectors.convention_get(cpas=self.cpas, pk=_pk(self.kwargs["pk"]))

    def get_serializer_class(self):
        if self.action == "create":
            return ConventionCreateSerializer
        return ConventionSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partners = [dict(partner) for partner in data.pop("partners")]
        convention = services.convention_create(acting_user=request.user, cpas=self.cpas, partners=partners, **data)
        return Response(ConventionSerializer(convention).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Sign: freeze the amounts and create each partner's 50 % advance",
                   request=None, responses={200: ConventionSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        convention = services.convention_sign(acting_user=request.user, convention=self.get_object())
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
        return selectors.payment_get(cpas=self.cpas, pk=_pk(self.kwargs["pk"]))

    @extend_schema(summary="Record that a due payment was paid",
                   request=ConventionPaymentPaidSerializer, responses={200: ConventionPaymentSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        payment = self.get_object()
        serializer = ConventionPaymentPaidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.payment_mark_paid(acting_user=request.user, payment=payment, **serializer.validated_data)
        return Response(ConventionPaymentSerializer(payment).data)
