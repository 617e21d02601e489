from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import consultations, person_records, rights, services
from .concurrency import VersionedAdminMixin
from .models import (
    Beneficiary,
    CaseNote,
    ConsultationKind,
    ConsultationLog,
    Cpas,
    Membership,
    Organisation,
    PersonDocument,
    RightDecision,
    Role,
)
from .tenancy import (
    READ_ROLES,
    CpasScopedAdmin,
    HistoryAdmin,
    ServiceWrittenAdmin,
    SuperuserOnlyAdmin,
    grantable_roles,
    may_administer,
    membership_of,
)

admin.site.site_header = _("CPAS Portal administration")
admin.site.site_title = _("CPAS Portal")


@admin.register(Cpas)
class CpasAdmin(CpasScopedAdmin, HistoryAdmin):
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
class MembershipAdmin(CpasScopedAdmin, HistoryAdmin):
    """Roles inside the CPAS: its manager gives any role up to manager, never a place in another CPAS (the CPAS
    field is not offered) nor an account beyond their own powers (``tenancy.may_administer``)."""

    list_display = ["user", "cpas", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "cpas"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            if obj is not None:
                readonly.append("user")
            if not grantable_roles(request.user):
                readonly.append("role")
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            allowed = grantable_roles(request.user)
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_administer(request.user, obj.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_administer(request.user, obj.user))

    def save_model(self, request, obj, form, change):
        # The form offers only grantable roles; this holds even for a form built by hand.
        if not request.user.is_superuser:
            if obj.role not in grantable_roles(request.user):
                raise PermissionDenied(_("You may not give this role."))
            if change and Membership.objects.filter(pk=obj.pk).exclude(user_id=obj.user_id).exists():
                # A history revert saves the old version whole: never onto another account.
                raise PermissionDenied(_("A membership stays with its account."))
        super().save_model(request, obj, form, change)


class RightDecisionFormSet(BaseInlineFormSet):
    """The person's decisions, written through the services (history, no overlap, field messages)."""

    def clean(self):
        super().clean()
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
            if start is None:
                continue
            clash = rights.overlapping(kept, start=start, end=end)
            if clash is not None:
                form.add_error("start", _("This period overlaps another decision of this person."))
            kept.append(RightDecision(start=start, end=end))


class RightDecisionInline(admin.TabularInline):
    model = RightDecision
    formset = RightDecisionFormSet
    fields = ["right_type", "category", "decided_on", "start", "end"]
    extra = 0
    show_change_link = False


@admin.register(Beneficiary)
class BeneficiaryAdmin(VersionedAdminMixin, CpasScopedAdmin, HistoryAdmin):
    list_display = ["last_name", "first_name", "masked_niss", "sex", "cpas"]
    list_filter = ["sex", "right_decisions__right_type", "right_decisions__category"]
    search_fields = ["last_name", "first_name", "=niss"]
    list_select_related = ["cpas"]
    raw_id_fields = ["referent"]

    @admin.display(description=_("national number"))
    def masked_niss(self, obj):
        return obj.niss_masked

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            person = self.get_object(request, unquote(object_id))
            consultations.record(request, ConsultationKind.PERSON_ADMIN, cpas=person.cpas, beneficiary=person)
        return response

    def get_inlines(self, request, obj):
        # A person is registered with the site's form or the API (which take the first decision); the inline
        # edits the decisions of a person who exists.
        return [RightDecisionInline] if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not RightDecision:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads what the formset saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for deleted_form in formset.deleted_forms:
            if deleted_form.instance.pk:
                services.right_decision_delete(acting_user=request.user, decision=deleted_form.instance)
                formset.deleted_objects.append(deleted_form.instance)
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None)
            if not data or data.get("DELETE") or not inline_form.has_changed():
                continue
            values = {key: data.get(key) for key in services.RIGHT_DECISION_FIELDS}
            if inline_form.instance.pk:
                saved = services.right_decision_update(acting_user=request.user, decision=inline_form.instance,
                                                       **values)
                formset.changed_objects.append((saved, inline_form.changed_data))
            else:
                formset.new_objects.append(services.right_decision_create(
                    acting_user=request.user, beneficiary=form.instance, **values))


@admin.register(CaseNote)
class CaseNoteAdmin(VersionedAdminMixin, CpasScopedAdmin, HistoryAdmin):
    """Case notes; a confidential one only for the person's referent and the managers (superusers too)."""

    list_display = ["day", "beneficiary", "author", "confidential", "cpas"]
    list_filter = ["confidential"]
    list_select_related = ["beneficiary", "author", "cpas"]
    raw_id_fields = ["beneficiary", "author"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return person_records.readable_notes(queryset, user=request.user, membership=membership_of(request.user))


@admin.register(PersonDocument)
class PersonDocumentAdmin(ServiceWrittenAdmin, admin.ModelAdmin):
    """Documents are uploaded on the person's file and downloaded through its permission check: the admin lists
    them and never links to the file."""

    list_display = ["uploaded_at", "beneficiary", "kind", "original_name", "size", "uploaded_by", "cpas"]
    list_filter = ["kind"]
    list_select_related = ["beneficiary", "uploaded_by", "cpas"]
    exclude = ["file"]


@admin.register(Organisation)
class OrganisationAdmin(CpasScopedAdmin, HistoryAdmin):
    list_display = ["name", "kind", "enterprise_number_display", "recognised", "created_by_cpas",
                    "approved_by_employment_service", "cpas"]
    list_filter = ["kind", "recognised", "created_by_cpas", "approved_by_employment_service"]
    search_fields = ["name", "enterprise_number"]
    list_select_related = ["cpas"]


@admin.register(ConsultationLog)
class ConsultationLogAdmin(ServiceWrittenAdmin, admin.ModelAdmin):
    """The consultation log, read-only: superusers, and the staff of a CPAS whose role reads it (managers,
    auditors) with the view permission, their CPAS's entries only."""

    list_display = ["at", "username", "kind", "beneficiary", "claim_id", "export", "ip", "cpas"]
    list_filter = ["kind"]
    search_fields = ["username"]
    list_select_related = ["beneficiary", "cpas"]
    date_hierarchy = "at"

    def _may_read(self, request):
        if request.user.is_superuser:
            return True
        membership = membership_of(request.user)
        return membership is not None and membership.role in READ_ROLES["consultations"]

    def has_module_permission(self, request):
        return self._may_read(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._may_read(request) and super().has_view_permission(request, obj)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class CpasUserAdmin(CpasScopedAdmin, UserAdmin):
    """Users: a CPAS's staff administrator sees only the accounts of their own CPAS, and only their names,
    e-mail, password and whether they are active: the superuser, staff, group and permission fields are a
    superuser's (a manager setting them could lend anyone, themselves included, every power)."""

    cpas_field = "membership__cpas"
    STAFF_FIELDSETS = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.STAFF_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["last_login", "date_joined"]
        return readonly

    def get_list_filter(self, request):
        return super().get_list_filter(request) if request.user.is_superuser else ("is_active",)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_administer(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_administer(request.user, obj))


admin.site.unregister(Group)


@admin.register(Group)
class SuperuserGroupAdmin(SuperuserOnlyAdmin, GroupAdmin):
    """Groups carry permissions: only a superuser sees or changes them."""
