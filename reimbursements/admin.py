from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin, SuperuserOnlyAdmin

from . import selectors, services
from .models import (
    BudgetArticle,
    Claim,
    ClaimBatch,
    ClaimLine,
    ClaimSignature,
    GenerationJob,
    PeriodKind,
    StatementImport,
    StatementRecord,
)


class ReadOnlyAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Claims, lines and statements are written only by the services (pipeline, locks, history)."""


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["reference", "measure", "period_start", "period_end", "version", "status", "line_count", "total",
                    "cpas"]
    list_filter = ["measure", "status", "period_kind"]
    list_select_related = ["cpas"]
    date_hierarchy = "period_start"


@admin.register(ClaimLine)
class ClaimLineAdmin(ReadOnlyAdmin):
    list_display = ["claim", "position", "masked_niss", "beneficiary_name", "covered_start", "amount", "sign", "live"]
    list_filter = ["live", "change", "claim__measure"]
    list_select_related = ["claim", "claim__cpas"]
    search_fields = ["beneficiary_name", "=niss", "source_key"]
    exclude = ["niss"]

    @admin.display(description=_("national number"))
    def masked_niss(self, obj):
        return obj.niss_masked


@admin.register(ClaimSignature)
class ClaimSignatureAdmin(ReadOnlyAdmin):
    cpas_field = "claim__cpas"
    list_display = ["claim", "capacity", "signer_name", "signed_at"]
    list_select_related = ["claim", "claim__cpas"]


@admin.register(GenerationJob)
class GenerationJobAdmin(ServiceWrittenAdmin, admin.ModelAdmin):
    list_display = ["__str__", "cpas", "status", "percent", "step", "claim", "created_at", "finished_at"]
    list_filter = ["status", "measure"]
    list_select_related = ["cpas", "claim", "claim__cpas"]


@admin.register(BudgetArticle)
class BudgetArticleAdmin(HistoryAdmin):
    """A national parameter table: the State's share of each budget article of the statements, by date."""

    list_display = ["article", "effective_date", "state_percentage", "label", "verified", "source"]
    list_filter = ["verified"]
    search_fields = ["article", "label"]


@admin.register(StatementImport)
class StatementImportAdmin(ReadOnlyAdmin):
    list_display = ["year_month", "file_name", "record_count", "total", "imported_at", "cpas"]
    list_select_related = ["cpas"]


@admin.register(StatementRecord)
class StatementRecordAdmin(ReadOnlyAdmin):
    list_display = ["statement", "row", "masked_niss", "first_day", "last_day", "amount", "state_share", "state"]
    list_filter = ["state"]
    list_select_related = ["statement"]
    exclude = ["niss"]

    @admin.display(description=_("national number"))
    def masked_niss(self, obj):
        return obj.niss_masked


class ClaimBatchForm(forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=2002, max_value=2100)
    number = forms.IntegerField(label=_("Month or quarter"), min_value=1, max_value=12)

    class Meta:
        model = ClaimBatch
        fields = ["measure", "period_kind"]


@admin.register(ClaimBatch)
class ClaimBatchAdmin(SuperuserOnlyAdmin, HistoryAdmin):
    """Claims of a period for every CPAS: superusers only (it reaches every tenant)."""

    form = ClaimBatchForm
    list_display = ["__str__", "created_at", "requested_by", "progress"]
    actions = ["start_again"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress(self, obj):
        progress = selectors.batch_progress(obj)
        return format_html('<progress max="100" value="{}"></progress> {} % · <a href="{}">{}</a>',
                           progress["percent"], progress["percent"], reverse("claim_batch", args=[obj.pk]),
                           _("follow"))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        batch = services.claim_batch_start(acting_user=request.user, measure=data["measure"],
                                           period_kind=data["period_kind"], year=data["year"], number=data["number"])
        obj.pk = batch.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        from django.shortcuts import redirect

        return redirect("claim_batch", pk=obj.pk)

    @admin.action(description=_("Generate the claims of the selected batches again for every CPAS"))
    def start_again(self, request, queryset):
        for batch in queryset:
            number = (batch.period_start.month if batch.period_kind == PeriodKind.MONTH
                      else (batch.period_start.month - 1) // 3 + 1)
            services.claim_batch_start(acting_user=request.user, measure=batch.measure,
                                       period_kind=batch.period_kind, year=batch.period_start.year, number=number)
        messages.success(request, _("The claims are being generated for every CPAS."))

