from django.contrib import admin

from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin

from .models import Evaluation, Piis

# A PIIS and its evaluations change only through the services (status pipeline, planning of the meetings,
# versions): the admin shows them, scoped to the user's CPAS, with their history.


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0
    fields = ["planned_on", "planned_time", "held_on", "face_to_face", "evaluator", "notes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Piis)
class PiisAdmin(ServiceWrittenAdmin, HistoryAdmin):
    list_display = ["beneficiary", "kind", "status", "signed_on", "start", "end", "outcome", "cpas"]
    list_filter = ["status", "kind", "outcome"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name"]
    list_select_related = ["beneficiary", "cpas"]
    raw_id_fields = ["beneficiary"]
    inlines = [EvaluationInline]
    history_list_display = ["status", "start", "end", "outcome"]


@admin.register(Evaluation)
class EvaluationAdmin(ServiceWrittenAdmin, HistoryAdmin):
    list_display = ["beneficiary", "piis", "placement", "planned_on", "held_on", "face_to_face", "evaluator"]
    list_filter = ["face_to_face"]
    search_fields = ["beneficiary__last_name", "beneficiary__first_name"]
    list_select_related = ["beneficiary", "piis__beneficiary", "placement__beneficiary", "evaluator"]
    raw_id_fields = ["beneficiary", "piis", "placement"]
    history_list_display = ["planned_on", "held_on", "face_to_face"]
