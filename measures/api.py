"""REST API of art. 60 §7 placements, monthly subsidies, art. 61 premiums and budgets (``/api/v1/``)."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from cpas_portal.api import CpasScopedViewSet
from cpas_portal.concurrency import IF_MATCH, VersionedViewSetMixin
from cpas_portal.inputs import key_or_404
from cpas_portal.tenancy import IsAdministrator

from . import rules, selectors, services
from .allocation import ALLOCATE_PERMISSION, allocation_source, parse_reimbursed
from .serializers import (
    MeasuresArt61PremiumSerializer,
    MeasuresBudgetAllocationResultSerializer,
    MeasuresBudgetAllocationSerializer,
    MeasuresBudgetOverviewSerializer,
    MeasuresFirmEmploymentSerializer,
    MeasuresMonthlySubsidySerializer,
    MeasuresPlacementEndSerializer,
    MeasuresPlacementPaySerializer,
    MeasuresPlacementSerializer,
    MeasuresRegularisationSerializer,
    MeasuresSocialEconomyBudgetSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List the art. 60 §7 placements of your CPAS"),
    retrieve=extend_schema(summary="One placement"),
    create=extend_schema(summary="Record a placement (its monthly subsidies are computed)"),
    update=extend_schema(summary="Replace a placement's data", parameters=[IF_MATCH]),
    partial_update=extend_schema(summary="Change some of a placement's data", parameters=[IF_MATCH]),
)
class PlacementViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, CpasScopedViewSet):
    write_area = "measures"
    serializer_class = MeasuresPlacementSerializer
    filterset_fields = ["status", "scheme", "workplace", "beneficiary"]
    ordering_fields = ["start", "planned_end"]

    def get_queryset(self):
        return selectors.placement_list(cpas=self.cpas)

    def get_object(self):
        return selectors.placement_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def perform_create(self, serializer):
        serializer.instance = services.placement_create(
            acting_user=self.request.user, cpas=self.cpas, **serializer.validated_data)

    def perform_update(self, serializer):
        version = self.edit_version(serializer)
        serializer.instance = self.save_versioned(lambda: services.placement_update(
            acting_user=self.request.user, placement=serializer.instance, version=version,
            **serializer.validated_data))

    @extend_schema(summary="Approve a placement (checked against the social-economy budget)", request=None,
                   responses={200: MeasuresPlacementSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        placement = services.placement_approve(acting_user=request.user, placement=self.get_object())
        return Response(self.get_serializer(placement).data)

    @extend_schema(summary="End an approved placement on its actual last day (at most the planned end); the months "
                           "not yet claimed are recomputed", request=MeasuresPlacementEndSerializer,
                   responses={200: MeasuresPlacementSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        placement = self.get_object()
        serializer = MeasuresPlacementEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.placement_end(acting_user=request.user, placement=placement, **serializer.validated_data)
        return Response(self.get_serializer(selectors.placement_get(cpas=self.cpas, pk=placement.pk)).data)

    @extend_schema(summary="Cancel a draft placement (the record stays, as cancelled)", request=None,
                   responses={200: MeasuresPlacementSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        placement = services.placement_cancel(acting_user=request.user, placement=self.get_object())
        return Response(self.get_serializer(selectors.placement_get(cpas=self.cpas, pk=placement.pk)).data)

    @extend_schema(methods=["GET"], summary="The pay periods of a placement",
                   responses={200: MeasuresPlacementPaySerializer(many=True)})
    @extend_schema(methods=["POST"], summary="Add a pay period from any day (0 = unpaid absence); the open months "
                                             "are recomputed", request=MeasuresPlacementPaySerializer,
                   responses={201: MeasuresPlacementPaySerializer})
    @action(detail=True, methods=["get", "post"], url_path="pay-periods", pagination_class=None, filter_backends=[])
    def pay_periods(self, request, pk=None):
        placement = self.get_object()
        if request.method == "GET":
            return Response(MeasuresPlacementPaySerializer(selectors.placement_pay_periods(placement), many=True).data)
        serializer = MeasuresPlacementPaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pay = services.placement_pay_set(acting_user=request.user, placement=placement, **serializer.validated_data)
        return Response(self._pay_data(placement, pay), status=201)

    @extend_schema(methods=["PUT", "PATCH"], summary="Correct a pay period; the open months are recomputed",
                   request=MeasuresPlacementPaySerializer, responses={200: MeasuresPlacementPaySerializer})
    @extend_schema(methods=["DELETE"], summary="Remove a pay period (not the one at the contract's start)",
                   request=None, responses={204: None})
    @action(detail=True, methods=["put", "patch", "delete"], url_path=r"pay-periods/(?P<pay_pk>[0-9]+)",
            pagination_class=None, filter_backends=[])
    def pay_period(self, request, pk=None, pay_pk=None):
        placement = self.get_object()
        pay = selectors.placement_pay_get(placement, pay_pk)
        if request.method == "DELETE":
            services.placement_pay_delete(acting_user=request.user, pay=pay)
            return Response(status=204)
        serializer = MeasuresPlacementPaySerializer(pay, data=request.data, partial=request.method == "PATCH")
        serializer.is_valid(raise_exception=True)
        values = {"effective_date": pay.effective_date, "gross_monthly_pay": pay.gross_monthly_pay,
                  "gross_wage_cost": pay.gross_wage_cost, **serializer.validated_data}
        pay = services.placement_pay_update(acting_user=request.user, pay=pay, **values)
        return Response(self._pay_data(placement, pay))

    @staticmethod
    def _pay_data(placement, pay):
        period = next(period for period in selectors.placement_pay_periods(placement) if period.pk == pay.pk)
        return MeasuresPlacementPaySerializer(period).data

    @extend_schema(summary="The monthly subsidies of a placement, with how each was computed",
                   responses={200: MeasuresMonthlySubsidySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def subsidies(self, request, pk=None):
        lines = selectors.placement_subsidies(self.get_object())
        return Response(MeasuresMonthlySubsidySerializer(lines, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="List the monthly subsidies of your CPAS"),
    retrieve=extend_schema(summary="One monthly subsidy"),
)
class MonthlySubsidyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = "measures"
    serializer_class = MeasuresMonthlySubsidySerializer
    filterset_fields = ["placement", "beneficiary", "month", "scheme", "counts_against_budget"]

    def get_queryset(self):
        return selectors.subsidy_list(cpas=self.cpas)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=key_or_404(self.kwargs["pk"]))


@extend_schema_view(
    list=extend_schema(summary="List the art. 61 tutoring premiums of your CPAS"),
    retrieve=extend_schema(summary="One tutoring premium"),
    create=extend_schema(summary="Record the tutoring premium of a month (computed within the limits)"),
)
class Art61PremiumViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          CpasScopedViewSet):
    write_area = "measures"
    serializer_class = MeasuresArt61PremiumSerializer
    filterset_fields = ["placement", "firm_employment", "beneficiary", "month"]

    def get_queryset(self):
        return selectors.premium_list(cpas=self.cpas)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=key_or_404(self.kwargs["pk"]))

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.art61_premium_record(
            acting_user=self.request.user, placement=data.get("placement"),
            firm_employment=data.get("firm_employment"), month=data["month"],
            supervision_costs=data.get("supervision_costs"), training_costs=data.get("training_costs"))


@extend_schema_view(
    list=extend_schema(summary="List the people of your CPAS hired by a private firm (art. 61)"),
    retrieve=extend_schema(summary="One employment by a private firm"),
    create=extend_schema(summary="Record an employment by a private firm with a cooperation convention"),
    update=extend_schema(summary="Replace an employment's data"),
    partial_update=extend_schema(summary="Change some of an employment's data"),
)
class FirmEmploymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            mixins.UpdateModelMixin, CpasScopedViewSet):
    write_area = "measures"
    serializer_class = MeasuresFirmEmploymentSerializer
    filterset_fields = ["beneficiary", "organisation"]

    def get_queryset(self):
        return selectors.firm_employment_list(cpas=self.cpas)

    def get_object(self):
        return selectors.firm_employment_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    def perform_create(self, serializer):
        serializer.instance = services.firm_employment_create(
            acting_user=self.request.user, cpas=self.cpas, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.firm_employment_update(
            acting_user=self.request.user, employment=serializer.instance, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="List the social-economy budgets of your CPAS"),
    retrieve=extend_schema(summary="One yearly budget"),
)
class SocialEconomyBudgetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = "budgets"
    serializer_class = MeasuresSocialEconomyBudgetSerializer
    filterset_fields = ["year"]

    def get_queryset(self):
        return selectors.budget_list(cpas=self.cpas)

    def get_object(self):
        return selectors.budget_get(cpas=self.cpas, pk=key_or_404(self.kwargs["pk"]))

    @extend_schema(summary="Consumption and forecast of a year's budget",
                   parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Default: this year")],
                   responses={200: MeasuresBudgetOverviewSerializer})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def overview(self, request):
        today = timezone.localdate()
        year = request.query_params.get("year", "") or str(today.year)
        low, high = selectors.BUDGET_YEARS
        if not year.isdigit() or not low <= int(year) <= high:
            raise ValidationError({"year": _("A year from %(low)s to %(high)s.") % {"low": low, "high": high}})
        overview = selectors.budget_overview(cpas=self.cpas, year=int(year), today=today)
        return Response(MeasuresBudgetOverviewSerializer(overview).data)


@extend_schema_view(
    list=extend_schema(summary="List the regularisations of claimed months of your CPAS (pending by default)",
                       parameters=[OpenApiParameter("state", OpenApiTypes.STR,
                                                    enum=list(selectors.REGULARISATION_STATES),
                                                    description="pending (default), claimed or all")]),
    retrieve=extend_schema(summary="One regularisation"),
)
class RegularisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CpasScopedViewSet):
    write_area = "claims"
    serializer_class = MeasuresRegularisationSerializer
    filterset_fields = ["placement", "beneficiary", "month", "scheme"]

    def get_queryset(self):
        state = self.request.query_params.get("state", "pending")
        if self.action == "list" and state not in selectors.REGULARISATION_STATES:
            raise ValidationError({"state": _("Choose pending, claimed or all.")})
        return selectors.regularisation_list(cpas=self.cpas, state=state if self.action == "list" else "all")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=key_or_404(self.kwargs["pk"]))


class BudgetAllocationViewSet(viewsets.GenericViewSet):
    """The yearly social-economy budgets of every CPAS from the national envelope: administrators across CPAS
    only (a superuser, or a staff account with the permission ``measures.allocate_budgets``)."""

    permission_classes = [IsAdministrator]
    administrator_permission = ALLOCATE_PERMISSION
    serializer_class = MeasuresBudgetAllocationSerializer
    pagination_class = None
    filter_backends = []

    def _allocate(self, request, *, apply):
        serializer = MeasuresBudgetAllocationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            reimbursed = parse_reimbursed(data["reimbursed_csv"], year=data["year"])
            preview = rules.allocate_budgets(data["envelope"], reimbursed, on=date(data["year"], 12, 31))
        except (ValueError, LookupError) as error:
            raise ValidationError({"reimbursed_csv": [str(error)]}) from None
        if apply:
            services.budgets_allocate(
                acting_user=request.user, year=data["year"], envelope=data["envelope"], reimbursed=reimbursed,
                source=allocation_source(year=data["year"], envelope=data["envelope"], on=timezone.localdate()))
        return Response(MeasuresBudgetAllocationResultSerializer({
            "year": data["year"], "applied": apply, "rows": preview,
            "total": sum((row.amount for row in preview), Decimal(0))}).data)

    @extend_schema(summary="Compute every CPAS's budget of a year from the national envelope, without saving",
                   request=MeasuresBudgetAllocationSerializer,
                   responses={200: MeasuresBudgetAllocationResultSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request):
        return self._allocate(request, apply=False)

    @extend_schema(summary="Set every CPAS's budget of a year from the national envelope (replaces that year's "
                           "budgets; refused when a CPAS already committed more than its new budget)",
                   request=MeasuresBudgetAllocationSerializer,
                   responses={200: MeasuresBudgetAllocationResultSerializer})
    @action(detail=False, methods=["post"])
    def apply(self, request):
        return self._allocate(request, apply=True)


router = DefaultRouter()
router.register("placements", PlacementViewSet, basename="placement")
router.register("monthly-subsidies", MonthlySubsidyViewSet, basename="monthly-subsidy")
router.register("art61-premiums", Art61PremiumViewSet, basename="art61-premium")
router.register("firm-employments", FirmEmploymentViewSet, basename="firm-employment")
router.register("social-economy-budgets", SocialEconomyBudgetViewSet, basename="social-economy-budget")
router.register("budget-allocation", BudgetAllocationViewSet, basename="budget-allocation")
router.register("regularisations", RegularisationViewSet, basename="regularisation")
