from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Beneficiary, Cpas, Membership, Organisation
from .tenancy import CpasScopedAdmin

admin.site.site_header = _("CPAS Portal administration")
admin.site.site_title = _("CPAS Portal")


@admin.register(Cpas)
class CpasAdmin(CpasScopedAdmin, SimpleHistoryAdmin):
    cpas_field = "pk"
    list_display = ["nis_code", "name_fr", "name_nl", "region", "language", "enterprise_number"]
    list_filter = ["region", "language"]
    search_fields = ["nis_code", "name_fr", "name_nl"]
    fieldsets = [
        (None, {"fields": ["nis_code", "name_fr", "name_nl", "region", "language", "enterprise_number"]}),
        (_("Address"), {"fields": ["street", "postal_code", "city"]}),
        (_("Contact person for SPP IS"), {"fields": ["contact_name", "contact_phone", "contact_email"]}),
        (_("Bank account"), {"fields": ["iban"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(CpasScopedAdmin, SimpleHistoryAdmin):
    list_display = ["user", "cpas", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "cpas"]
    autocomplete_fields = ["user"]


@admin.register(Beneficiary)
class BeneficiaryAdmin(CpasScopedAdmin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "masked_niss", "right_type", "category", "right_start", "cpas"]
    list_filter = ["right_type", "category", "sex"]
    search_fields = ["last_name", "first_name", "=niss"]
    list_select_related = ["cpas"]
    raw_id_fields = ["referent"]
    history_list_display = ["right_type", "category"]

    @admin.display(description=_("national number"))
    def masked_niss(self, obj):
        return obj.niss_masked


@admin.register(Organisation)
class OrganisationAdmin(CpasScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "enterprise_number_display", "recognised", "created_by_cpas", "cpas"]
    list_filter = ["kind", "recognised", "created_by_cpas"]
    search_fields = ["name", "enterprise_number"]
    list_select_related = ["cpas"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class CpasUserAdmin(CpasScopedAdmin, UserAdmin):
    """Users: a CPAS's staff administrator sees only the accounts of their own CPAS."""

    cpas_field = "membership__cpas"
