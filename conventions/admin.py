from django.contrib import admin

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin

from .models import CoachingHours, Convention, ConventionPartner, PartnerClaim, Payment

# Conventions and their money change only through the services (pipeline, locks, frozen amounts): the
# admin shows them, with their history.
DECIDED = ["status", "rule_version", "form_b_tier", "agreed_amount", "advance_amount", "final_amount",
           "balance_amount", "explanation", "signed_at", "closed_at"]


class ConventionPartnerInline(admin.TabularInline):
    model = ConventionPartner
    extra = 0
    fields = ["organisation", "is_cpas", "share"]
    readonly_fields = fields
    can_delete = False


@admin.register(Convention)
class ConventionAdmin(ServiceWrittenAdmin, HistoryAdmin):
    list_display = ["beneficiary", "conclusion_date", "planned_hours", "status", "agreed_amount", "final_amount",
                    "rule_version", "cpas"]
    list_filter = ["status", "rule_version", "methodology"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name"]
    list_select_related = ["beneficiary", "cpas"]
    raw_id_fields = ["beneficiary"]
    readonly_fields = DECIDED
    inlines = [ConventionPartnerInline]
    history_list_display = ["status"]


@admin.register(ConventionPartner)
class ConventionPartnerAdmin(ServiceWrittenAdmin, HistoryAdmin):
    cpas_field = "convention__cpas"
    list_display = ["convention", "organisation", "is_cpas", "share"]
    list_select_related = ["convention__beneficiary", "organisation"]
    raw_id_fields = ["convention", "organisation"]


@admin.register(CoachingHours)
class CoachingHoursAdmin(ServiceWrittenAdmin, HistoryAdmin):
    cpas_field = "convention__cpas"
    list_display = ["convention", "partner", "day", "hours"]
    list_select_related = ["convention__beneficiary", "partner__organisation"]
    raw_id_fields = ["convention", "partner"]


@admin.register(Payment)
class PaymentAdmin(ServiceWrittenAdmin, HistoryAdmin):
    cpas_field = "convention__cpas"
    list_display = ["convention", "partner", "kind", "amount", "due_date", "paid_date", "status", "reference"]
    list_filter = ["kind", "status"]
    list_select_related = ["convention__beneficiary", "partner__organisation"]
    raw_id_fields = ["convention", "partner"]
    readonly_fields = ["kind", "amount", "status"]
    history_list_display = ["status", "amount"]


@admin.register(PartnerClaim)
class PartnerClaimAdmin(ServiceWrittenAdmin, HistoryAdmin):
    cpas_field = "convention__cpas"
    list_display = ["convention", "partner", "received_date", "reference", "amount_claimed"]
    list_select_related = ["convention__beneficiary", "partner__organisation"]
    raw_id_fields = ["convention", "partner"]
