from django.contrib import admin

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin

from .models import Art61Premium, MinimumWage, MonthlySubsidy, Placement, PlacementPay, RisAmount, SocialEconomyBudget


@admin.register(RisAmount)
class RisAmountAdmin(HistoryAdmin):
    """A national parameter table: every CPAS reads it, administrators with the permission edit it."""

    list_display = ["effective_date", "category_1", "category_2", "category_3", "verified", "source"]
    list_filter = ["verified"]
    date_hierarchy = "effective_date"


@admin.register(MinimumWage)
class MinimumWageAdmin(HistoryAdmin):
    """A national parameter table (RMMMG/GGMMI), like the RIS amounts."""

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
class PlacementAdmin(ServiceWrittenAdmin, HistoryAdmin):
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
class MonthlySubsidyAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Computed lines: read here, recomputed by the placement's services, frozen once claimed."""

    list_display = ["placement", "beneficiary", "month", "amount", "scheme", "claimed_at", "claim_reference", "cpas"]
    list_filter = ["scheme", "counts_against_budget"]
    list_select_related = ["placement", "beneficiary", "cpas"]
    date_hierarchy = "month"


@admin.register(SocialEconomyBudget)
class SocialEconomyBudgetAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Budgets are granted nationally, through the allocation service (its page, for administrators): the
    approvals lock and check them, so no admin path writes them, superusers' included. Read here."""

    list_display = ["cpas", "year", "granted_amount", "source"]
    list_filter = ["year"]
    search_fields = ["cpas__name_fr", "cpas__name_nl", "cpas__nis_code"]
    list_select_related = ["cpas"]


@admin.register(Art61Premium)
class Art61PremiumAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Computed by the premium service: read here."""

    list_display = ["placement", "beneficiary", "month", "granted_amount", "carried_over", "claimed_at", "cpas"]
    list_select_related = ["placement", "beneficiary", "cpas"]
