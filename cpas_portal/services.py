"""Every write of the shared kernel: atomic, validated, attributed to the acting user."""

from django.core.exceptions import ValidationError
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
