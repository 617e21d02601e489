from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin

from . import regularisations, rules, services
from .models import (
    AmountTable,
    Art61Premium,
    FirmEmployment,
    MinimumWage,
    MonthlySubsidy,
    Placement,
    PlacementPay,
    Regularisation,
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


class RetroactiveTableAdmin(HistoryAdmin):
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
    actions = [_confirm_action(AmountTable.RIS)]


@admin.register(MinimumWage)
class MinimumWageAdmin(RetroactiveTableAdmin):
    """A national parameter table (RMMMG/GGMMI), like the RIS amounts; one row per age and seniority band."""

    table = regularisations.MINIMUM_WAGE_TABLE
    amount_fields = ("monthly_amount",)
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


@admin.register(Regularisation)
class RegularisationAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Recorded by the regularisation service when a claimed month is recomputed: read here."""

    list_display = ["placement", "beneficiary", "month", "claimed_amount", "recomputed_amount", "difference",
                    "claimed_at", "claim_reference", "cpas"]
    list_filter = ["scheme"]
    list_select_related = ["placement", "beneficiary", "cpas"]
    date_hierarchy = "month"
