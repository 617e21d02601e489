from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from cpas_portal.tenancy import CpasScopedAdmin, ServiceWrittenAdmin

from . import regularisations
from .models import (
    Art61Premium,
    MinimumWage,
    MonthlySubsidy,
    Placement,
    PlacementPay,
    Regularisation,
    RisAmount,
    SocialEconomyBudget,
)


class RetroactiveTableAdmin(SimpleHistoryAdmin):
    """A national amount table: a row added, corrected or removed recomputes every month from its date on
    (months claimed get a regularisation on the next claim, the others take the new amount)."""

    table = None
    amount_fields = ()

    def _row(self, obj):
        return regularisations.row(self.table, obj, [getattr(obj, name) for name in self.amount_fields])

    def save_model(self, request, obj, form, change):
        previous = type(obj).objects.filter(pk=obj.pk).first() if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and not form.has_changed():
                return
            since = min(obj.effective_date, previous.effective_date) if previous else obj.effective_date
            recorded = regularisations.regularisations_after_table_change(
                acting_user=request.user, table=self.table, since=since,
                change=regularisations.CORRECTED if change else regularisations.ADDED, rows=[self._row(obj)])
        self._report(request, recorded)

    def delete_model(self, request, obj):
        row, since = self._row(obj), obj.effective_date
        with transaction.atomic():
            super().delete_model(request, obj)
            recorded = regularisations.regularisations_after_table_change(
                acting_user=request.user, table=self.table, since=since, change=regularisations.REMOVED,
                rows=[row])
        self._report(request, recorded)

    def _report(self, request, recorded):
        if recorded:
            self.message_user(request, _("%(count)s claimed months recomputed with a difference: their "
                                         "regularisations are pending for the next claims.") % {
                "count": len(recorded)}, messages.WARNING)


@admin.register(RisAmount)
class RisAmountAdmin(RetroactiveTableAdmin):
    """A national parameter table: every CPAS reads it, administrators with the permission edit it."""

    table = regularisations.RIS_TABLE
    amount_fields = ("category_1", "category_2", "category_3")
    list_display = ["effective_date", "category_1", "category_2", "category_3", "verified", "source"]
    list_filter = ["verified"]
    date_hierarchy = "effective_date"


@admin.register(MinimumWage)
class MinimumWageAdmin(RetroactiveTableAdmin):
    """A national parameter table (RMMMG/GGMMI), like the RIS amounts."""

    table = regularisations.MINIMUM_WAGE_TABLE
    amount_fields = ("monthly_amount",)
    list_display = ["effective_date", "monthly_amount", "verified", "source"]
    list_filter = ["verified"]


class PlacementPayInline(admin.TabularInline):
    model = PlacementPay
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(ServiceWrittenAdmin, SimpleHistoryAdmin):
    """Placements change through their services (subsidies recomputed, budget checked): read here."""

    list_display = ["id", "beneficiary", "workplace", "organisation", "start", "planned_end", "scheme", "status",
                    "cpas"]
    list_filter = ["status", "scheme", "workplace"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name", "organisation__name"]
    list_select_related = ["beneficiary", "organisation", "cpas"]
    raw_id_fields = ["beneficiary", "organisation", "approved_by"]
    readonly_fields = ["status", "approved_at", "approved_by"]
    inlines = [PlacementPayInline]


@admin.register(MonthlySubsidy)
class MonthlySubsidyAdmin(ServiceWrittenAdmin, SimpleHistoryAdmin):
    """Computed lines: read here, recomputed by the placement's services, frozen once claimed."""

    list_display = ["placement", "beneficiary", "month", "amount", "scheme", "claimed_at", "claim_reference", "cpas"]
    list_filter = ["scheme", "counts_against_budget"]
    list_select_related = ["placement", "beneficiary", "cpas"]
    date_hierarchy = "month"


@admin.register(SocialEconomyBudget)
class SocialEconomyBudgetAdmin(CpasScopedAdmin, SimpleHistoryAdmin):
    """Budgets are granted nationally (the allocation tool): a CPAS's staff read theirs, never change it."""

    list_display = ["cpas", "year", "granted_amount", "source"]
    list_filter = ["year"]
    search_fields = ["cpas__name_fr", "cpas__name_nl", "cpas__nis_code"]
    list_select_related = ["cpas"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Art61Premium)
class Art61PremiumAdmin(ServiceWrittenAdmin, SimpleHistoryAdmin):
    """Computed by the premium service: read here."""

    list_display = ["placement", "beneficiary", "month", "granted_amount", "carried_over", "claimed_at", "cpas"]
    list_select_related = ["placement", "beneficiary", "cpas"]


@admin.register(Regularisation)
class RegularisationAdmin(ServiceWrittenAdmin, SimpleHistoryAdmin):
    """Recorded by the regularisation service when a claimed month is recomputed: read here."""

    list_display = ["placement", "beneficiary", "month", "claimed_amount", "recomputed_amount", "difference",
                    "claimed_at", "claim_reference", "cpas"]
    list_filter = ["scheme"]
    list_select_related = ["placement", "beneficiary", "cpas"]
    date_hierarchy = "month"
