"""Admin of the financial interventions: the amount table is data administrators edit; hires and payments
change only through their services (limits, locks, computed amounts) and are read-only here."""

from django.contrib import admin

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin

from .models import Hire, InterventionPayment, InterventionProgramme, InterventionRate


class InterventionRateInline(admin.TabularInline):
    model = InterventionRate
    extra = 0
    fields = ["effective_date", "full_time_monthly_amount", "source", "verified"]


@admin.register(InterventionProgramme)
class InterventionProgrammeAdmin(HistoryAdmin):
    """The four programmes (seeded with their decree): their amounts are added here, row by row."""

    list_display = ["code", "legal_source", "rates_confirmed_up_to"]
    readonly_fields = ["code"]
    inlines = [InterventionRateInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InterventionRate)
class InterventionRateAdmin(HistoryAdmin):
    """A national table every CPAS reads; a recorded payment keeps the amount it used (never rewritten)."""

    list_display = ["programme", "effective_date", "full_time_monthly_amount", "verified", "source"]
    list_filter = ["programme", "verified"]
    date_hierarchy = "effective_date"


@admin.register(Hire)
class HireAdmin(ServiceWrittenAdmin, HistoryAdmin):
    list_display = ["id", "beneficiary", "programme", "employer", "start", "end", "regime", "cpas"]
    list_filter = ["programme"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name", "employer__name"]
    list_select_related = ["beneficiary", "employer", "cpas"]
    raw_id_fields = ["beneficiary", "employer", "firm_employment", "created_by"]


@admin.register(InterventionPayment)
class InterventionPaymentAdmin(ServiceWrittenAdmin, HistoryAdmin):
    list_display = ["hire", "beneficiary", "month", "net_pay_due", "amount", "claimed_at", "claim_reference", "cpas"]
    list_select_related = ["hire", "beneficiary", "cpas"]
    date_hierarchy = "month"
