from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin

from . import rules, services
from .models import (
    AmountTable,
    Art61Premium,
    FirmEmployment,
    MinimumWage,
    MonthlySubsidy,
    Placement,
    PlacementPay,
    RisAmount,
    SocialEconomyBudget,
    TableConfirmation,
)


def _confirm_action(table):
    """Admin action: the selected row (the table's last) is confirmed as still in force to the end of this month."""

    @admin.action(description=gettext_lazy("Confirm: the selected last row is still in force to the end of this "
                                           "month"), permissions=["change"])
    def confirm(modeladmin, request, queryset):
        latest = modeladmin.model.objects.order_by("-effective_date").values_list("effective_date", flat=True).first()
        if not queryset.filter(effective_date=latest).exists():
            modeladmin.message_user(request, _("Select a row of the last date of the table (%(date)s).") % {
                "date": latest}, messages.ERROR)
            return
        up_to = rules.last_of_month(timezone.localdate())
        try:
            services.table_confirm(acting_user=request.user, table=table, confirmed_up_to=up_to,
                                   note=_("Row of %(date)s confirmed in the admin.") % {"date": latest})
        except ValidationError as error:
            modeladmin.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        modeladmin.message_user(request, _("Table confirmed up to %(date)s.") % {"date": up_to}, messages.SUCCESS)

    return confirm


@admin.register(RisAmount)
class RisAmountAdmin(HistoryAdmin):
    """A national parameter table: every CPAS reads it, administrators with the permission edit it."""

    list_display = ["effective_date", "category_1", "category_2", "category_3", "verified", "source"]
    list_filter = ["verified"]
    date_hierarchy = "effective_date"
    actions = [_confirm_action(AmountTable.RIS)]


@admin.register(MinimumWage)
class MinimumWageAdmin(HistoryAdmin):
    """A national parameter table (RMMMG/GGMMI), like the RIS amounts; one row per age and seniority band."""

    list_display = ["effective_date", "min_age", "min_seniority_months", "monthly_amount", "verified", "source"]
    list_filter = ["verified"]
    actions = [_confirm_action(AmountTable.MINIMUM_WAGE)]


@admin.register(TableConfirmation)
class TableConfirmationAdmin(HistoryAdmin):
    """Up to which day each amount table is confirmed; saved through the service (open lines recomputed)."""

    list_display = ["table", "confirmed_up_to", "confirmed_by", "confirmed_at", "note"]
    readonly_fields = ["confirmed_by", "confirmed_at"]

    def save_model(self, request, obj, form, change):
        confirmation = services.table_confirm(acting_user=request.user, table=obj.table,
                                              confirmed_up_to=obj.confirmed_up_to, note=obj.note)
        obj.pk = confirmation.pk

    def has_delete_permission(self, request, obj=None):
        return False


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

    list_display = ["placement", "beneficiary", "month", "amount", "scheme", "unconfirmed_rows", "claimed_at",
                    "claim_reference", "cpas"]
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

    list_display = ["placement", "firm_employment", "beneficiary", "month", "granted_amount", "carried_over",
                    "claimed_at", "cpas"]
    list_select_related = ["placement", "firm_employment", "beneficiary", "cpas"]


@admin.register(FirmEmployment)
class FirmEmploymentAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Employments by private firms change through their services (premiums depend on them): read here."""

    list_display = ["id", "beneficiary", "organisation", "start", "end", "regime", "cpas"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name", "organisation__name"]
    list_select_related = ["beneficiary", "organisation", "cpas"]
    raw_id_fields = ["beneficiary", "organisation", "created_by"]
