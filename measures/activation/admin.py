from django.contrib import admin

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin

from .models import ActivationReport, ActivationYear


@admin.register(ActivationYear)
class ActivationYearAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Read-only: the subsidy is written by its pages and API (checks, history, version); the allocation
    across CPAS is the administrators' page ``/activation/allocation/``."""

    list_display = ["year", "cpas", "kind", "granted_amount", "signed_on", "report_sent_on"]
    list_filter = ["year", "kind"]
    list_select_related = ["cpas"]
    search_fields = ["cpas__name_fr", "cpas__name_nl", "cpas__nis_code"]


@admin.register(ActivationReport)
class ActivationReportAdmin(ServiceWrittenAdmin, admin.ModelAdmin):
    list_display = ["activation", "cpas", "status", "percent", "created_at"]
    list_select_related = ["activation", "cpas"]
    list_filter = ["status"]
    exclude = ["pdf"]
