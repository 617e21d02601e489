"""Every write of the shared kernel: atomic, validated, attributed to the acting user."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .concurrency import bump_version
from .identifiers import niss_compact
from .models import Beneficiary, ConsultationKind, ConsultationLog

BENEFICIARY_FIELDS = (
    "niss", "first_name", "last_name", "birth_date", "sex", "language", "street", "postal_code",
    "city", "right_type", "category", "right_start", "right_end", "referent",
)


def _normalise_niss(data):
    if "niss" in data:
        try:
            data["niss"] = niss_compact(data["niss"])
        except ValidationError as error:
            raise ValidationError({"niss": error.messages}) from None


def _check_niss_free(beneficiary):
    taken = Beneficiary.objects.filter(cpas_id=beneficiary.cpas_id, niss=beneficiary.niss)
    if beneficiary.pk:
        taken = taken.exclude(pk=beneficiary.pk)
    if taken.exists():
        raise ValidationError({"niss": _("This national number is already registered in your CPAS.")})


def _save_audited(instance, acting_user):
    """``full_clean`` then save, the history row naming ``acting_user``."""
    _check_niss_free(instance)
    instance.full_clean()
    instance._history_user = acting_user
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        if "niss" in str(error) or "beneficiary_niss_unique_per_cpas" in str(error):
            raise ValidationError({"niss": _("This national number is already registered in your CPAS.")}) from None
        raise
    return instance


def _check_referent(cpas, referent):
    if referent is not None and getattr(getattr(referent, "membership", None), "cpas_id", None) != cpas.pk:
        raise ValidationError({"referent": _("The referent must be a member of your CPAS.")})


@transaction.atomic
def beneficiary_create(*, acting_user, cpas, **data) -> Beneficiary:
    _check_referent(cpas, data.get("referent"))
    _normalise_niss(data)
    beneficiary = Beneficiary(cpas=cpas, **{key: data[key] for key in BENEFICIARY_FIELDS if key in data})
    return _save_audited(beneficiary, acting_user)


@transaction.atomic
def beneficiary_update(*, acting_user, beneficiary, version=None, **data) -> Beneficiary:
    """Change a beneficiary; ``version`` is the one the edit was loaded from (a stale one is refused)."""
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    bump_version(beneficiary, version)
    if "referent" in data:
        _check_referent(beneficiary.cpas, data["referent"])
    _normalise_niss(data)
    for key in BENEFICIARY_FIELDS:
        if key in data:
            setattr(beneficiary, key, data[key])
    return _save_audited(beneficiary, acting_user)


def consultation_record(*, acting_user, cpas, kind, beneficiary=None, claim_id=None, export="", ip=None):
    """Write who opened which person's file or took which export (``ConsultationKind``), and when.

    ``cpas`` is the CPAS of what was consulted (the user's own, or any for a superuser in the admin).
    Measure apps call this for their exports: the kernel never imports them.
    """
    if kind not in ConsultationKind.values:
        raise ValueError(f"Unknown consultation kind {kind!r}")
    return ConsultationLog.objects.create(
        cpas=cpas, user=acting_user, username=acting_user.get_username(), at=timezone.now(), kind=kind,
        beneficiary=beneficiary, claim_id=claim_id, export=export[:120], ip=ip or None,
    )


# Who may hold files as referent (a manager may follow people too).
FILE_HOLDING_ROLES = ("caseworker", "manager")


@transaction.atomic
def files_hand_over(*, acting_user, cpas, from_caseworker, to_caseworker, beneficiary_ids=None) -> int:
    """A manager hands the files of ``from_caseworker`` to ``to_caseworker``: all of them, or those of
    ``beneficiary_ids``. One update for any number of files; each file's version is raised and its history
    names the manager and the reason ("handover from X to Y"). Returns the number of files handed over."""
    from simple_history.utils import bulk_update_with_history

    from .models import Membership, Role

    if getattr(Membership.objects.filter(user=acting_user, cpas=cpas).first(), "role", None) != Role.MANAGER:
        raise PermissionDenied(_("Only a manager hands files over."))
    caseworkers = set(Membership.objects.filter(cpas=cpas, role__in=FILE_HOLDING_ROLES, user_id__in=[
        getattr(from_caseworker, "pk", None), getattr(to_caseworker, "pk", None)]).values_list("user_id", flat=True))
    errors = {}
    if from_caseworker is None or from_caseworker.pk not in caseworkers:
        errors["from_caseworker"] = _("Choose a caseworker of your CPAS.")
    if to_caseworker is None or to_caseworker.pk not in caseworkers:
        errors["to_caseworker"] = _("Choose a caseworker of your CPAS.")
    elif from_caseworker is not None and from_caseworker.pk == to_caseworker.pk:
        errors["to_caseworker"] = _("Choose another caseworker than the one handing over.")
    if errors:
        raise ValidationError(errors)
    files = Beneficiary.objects.select_for_update().filter(cpas=cpas, referent=from_caseworker).order_by("pk")
    if beneficiary_ids is not None:
        wanted = {int(pk) for pk in beneficiary_ids}
        files = list(files.filter(pk__in=wanted))
        if not wanted or len(files) != len(wanted):
            raise ValidationError({"beneficiaries": _("Choose files followed by %(name)s.") % {
                "name": from_caseworker.get_full_name() or from_caseworker.get_username()}})
    files = list(files)
    if not files:
        raise ValidationError({"from_caseworker": _("This caseworker follows no file.")})
    reason = _("handover from %(from)s to %(to)s") % {
        "from": from_caseworker.get_full_name() or from_caseworker.get_username(),
        "to": to_caseworker.get_full_name() or to_caseworker.get_username()}
    now = timezone.now()
    for beneficiary in files:
        beneficiary.referent = to_caseworker
        beneficiary.version += 1
        beneficiary.updated_at = now
    bulk_update_with_history(files, Beneficiary, ["referent", "version", "updated_at"], batch_size=1000,
                             default_user=acting_user, default_change_reason=reason[:100])
    return len(files)
