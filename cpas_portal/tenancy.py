"""Tenancy: every user works inside one CPAS and sees nothing of another.

One place decides it for the pages, the API and the admin:
- another CPAS's object is a 404 (``get_object_or_404`` on a queryset scoped to the user's CPAS);
- a role that may not change something gets a 403.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from simple_history.admin import SimpleHistoryAdmin

from .models import Cpas, Membership, Role

# Which roles may change what. The auditor reads everything of their CPAS and changes nothing.
WRITE_ROLES = {
    "beneficiaries": {Role.CASEWORKER, Role.MANAGER},
    "measures": {Role.CASEWORKER, Role.MANAGER},
    # The CPAS's directory of partners and employers, chosen in conventions and placements.
    "organisations": {Role.CASEWORKER, Role.MANAGER},
    "payments": {Role.FINANCE, Role.MANAGER},
    "claims": {Role.FINANCE, Role.MANAGER},
    "budgets": {Role.FINANCE, Role.MANAGER},
    # The social-activation subsidy is the CPAS's convention with the Minister: its management signs it.
    "activation": {Role.MANAGER},
}

# Who may read the consultation log, and take exports showing full national numbers.
READ_ROLES = {
    "consultations": {Role.MANAGER, Role.AUDITOR},
    "full_niss_exports": {Role.FINANCE, Role.MANAGER},
    # Documents of a person's file (signed PIIS, payslips for the subsidies, employer forms): the staff who
    # follow the person or their money, and the auditors.
    "person_documents": {Role.CASEWORKER, Role.FINANCE, Role.MANAGER, Role.AUDITOR},
}


def membership_of(user):
    if not user or not user.is_authenticated:
        return None
    try:
        return Membership.objects.select_related("cpas").get(user=user)
    except Membership.DoesNotExist:
        return None


def can_write(membership, area):
    return membership is not None and membership.role in WRITE_ROLES[area]


def grantable_roles(user):
    """The roles ``user`` may give in the admin: every role for a superuser or a manager (the highest role of
    a CPAS), none for the other roles (they never change anyone's role, their own included)."""
    if user.is_superuser:
        return set(Role)
    membership = membership_of(user)
    return set(Role) if membership is not None and membership.role == Role.MANAGER else set()


def may_administer(user, account):
    """Whether ``user`` may change ``account`` in the admin: a superuser always; anyone else only an account of
    their own CPAS that is no superuser and holds no permission ``user`` lacks (or a password reset would lend
    them more than their own role's powers)."""
    if user.is_superuser:
        return True
    if account is None:
        return True
    if account.is_superuser or (account.is_staff and not user.is_staff):
        return False
    mine, theirs = membership_of(user), membership_of(account)
    if mine is None or theirs is None or mine.cpas_id != theirs.cpas_id:
        return False
    if theirs.role not in grantable_roles(user) and account.pk != user.pk:
        return False
    return account.get_all_permissions() <= user.get_all_permissions()


def can_read(membership, area):
    return membership is not None and membership.role in READ_ROLES[area]


def require_read(request, area):
    if not can_read(current_membership(request), area):
        raise PermissionDenied(_("Your role may not see this."))


def scoped(queryset, cpas, field="cpas"):
    """The rows of ``queryset`` that belong to ``cpas`` (none when there is no CPAS)."""
    if cpas is None:
        return queryset.none()
    return queryset.filter(**{field: cpas.pk if field == "pk" else cpas})


def cpas_path(model):
    """How rows of ``model`` reach their CPAS, as a lookup path (``"cpas"``, ``"convention__cpas"`` …).

    Used where a choice of rows must stay inside the user's CPAS: the CPAS itself, users through their
    membership, a ``cpas`` field, or one relation away (a partner row through its convention).
    """
    if model is Cpas:
        return "pk"
    if model is get_user_model():
        return "membership__cpas"
    fields = {field.name: field for field in model._meta.fields}
    if "cpas" in fields:
        return "cpas"
    for field in fields.values():
        if field.many_to_one and any(f.name == "cpas" for f in field.related_model._meta.fields):
            return f"{field.name}__cpas"
    raise ImproperlyConfigured(f"{model.__name__} has no path to a CPAS: it cannot be offered as a choice.")


def get_in_cpas_or_404(queryset, cpas, field="cpas", **lookup):
    return get_object_or_404(scoped(queryset, cpas, field), **lookup)


def compiled_get_or_404(query, cpas, pk):
    """The row ``pk`` of ``cpas`` read by ``query(cpas_id, pk)`` — a query compiled once per process
    (``cpas_portal.compiled``) filtering on both — or a 404: no CPAS, no such row, another CPAS's row."""
    rows = query(cpas.pk, pk) if cpas is not None else []
    if not rows:
        raise Http404("No row of this CPAS matches the given key.")
    return rows[0]


def current_membership(request):
    """The membership of the request's user, looked up once per request and user."""
    user = request.user
    cached = getattr(request, "_cpas_membership", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, membership_of(user))
        request._cpas_membership = cached
        if user.is_authenticated:
            user._cpas_membership_cache = cached[1:]  # what ``user_membership`` asks for, known already
    return cached[1]


def current_cpas(request):
    membership = current_membership(request)
    return membership.cpas if membership else None


def tenancy_context(request):
    membership = current_membership(request) if hasattr(request, "user") else None
    return {"membership": membership, "current_cpas": membership.cpas if membership else None,
            "can_read_consultations": can_read(membership, "consultations"),
            "can_export_full_niss": can_read(membership, "full_niss_exports")}


def member_required(view):
    """Login required, and a CPAS membership; otherwise a 403 explaining why."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if current_membership(request) is None:
            raise PermissionDenied(_("Your account is not attached to a CPAS. Ask an administrator."))
        return view(request, *args, **kwargs)

    return wrapper


def require_write(request, area):
    if not can_write(current_membership(request), area):
        raise PermissionDenied(_("Your role may not change this."))


class IsCpasMember(permissions.BasePermission):
    """API: an authenticated member of a CPAS; writes only for the roles of ``view.write_area``."""

    message = _("Your account is not attached to a CPAS, or your role may not change this.")

    def has_permission(self, request, view):
        membership = current_membership(request)
        if membership is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_write(membership, getattr(view, "write_area", "beneficiaries"))


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin, whose history-version page saves (reverts) only with the change permission.

    simple_history checks only the view permission before saving a POST to
    ``<pk>/history/<history_id>/``: a user allowed to read could rewrite the row.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied(_("You may not change this."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class IsCpasReader(permissions.BasePermission):
    """API: any member of a CPAS, for a read sent by POST (a search whose terms stay out of URLs)."""

    message = _("Your account is not attached to a CPAS.")

    def has_permission(self, request, view):
        return current_membership(request) is not None


class CpasScopedAdmin:
    """Admin mixin: non-superusers see and edit only their CPAS's rows; others' rows are 404."""

    cpas_field = "cpas"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scoped(queryset, current_cpas(request), self.cpas_field)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such object in your CPAS."))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history reads these from the history table, past the scoped queryset: check first.
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser and self.cpas_field == "cpas":
            exclude.append("cpas")
        return exclude

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            model = db_field.related_model
            kwargs["queryset"] = scoped(model._default_manager.all(), current_cpas(request), cpas_path(model))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and self.cpas_field == "cpas":
            if not change:
                obj.cpas = current_cpas(request)
            elif obj.cpas_id != getattr(current_cpas(request), "pk", None):
                # A history revert saves the old version whole, its CPAS included: never into another CPAS.
                raise PermissionDenied(_("This would move the record to another CPAS."))
        super().save_model(request, obj, form, change)


class SuperuserOnlyAdmin:
    """An admin page whose records reach across every CPAS (or carry permissions): superusers only."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ServiceWrittenAdmin(CpasScopedAdmin):
    """Admin of records that only their services may write (status pipeline, locks, computed amounts).

    Read-only for everyone, superusers included: no add, change, delete, bulk action or history revert.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Nothing is ever chosen here (the page only shows the row): offer no choice, whatever the relation.
        kwargs["queryset"] = db_field.related_model._default_manager.none()
        return super(CpasScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def user_membership(user):
    """``user``'s membership, looked up once per user object (the person's file asks it from every section)."""
    cached = getattr(user, "_cpas_membership_cache", None)
    if cached is None:
        cached = (membership_of(user),)
        user._cpas_membership_cache = cached
    return cached[0]


def is_administrator(user, permission=None):
    """An administrator across every CPAS (the allocation of national envelopes): a superuser, or a staff account
    given ``permission`` in the admin. A CPAS role, the manager's included, is never one: it reads its own CPAS's
    figures only."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(permission and user.is_staff and user.has_perm(permission))


class IsAdministrator(permissions.BasePermission):
    """API: an administrator across CPAS holding ``view.administrator_permission`` (superusers always)."""

    message = _("Only an administrator (across every CPAS) may do this.")

    def has_permission(self, request, view):
        return is_administrator(request.user, getattr(view, "administrator_permission", None))
