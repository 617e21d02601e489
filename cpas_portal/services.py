"""Every write of the shared kernel: atomic, validated, attributed to the acting user."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from . import documents, rights
from .concurrency import bump_version
from .identifiers import niss_compact, niss_conflicts
from .models import (
    Beneficiary,
    CaseNote,
    ConsultationKind,
    ConsultationLog,
    Organisation,
    PersonDocument,
    RightDecision,
)

BENEFICIARY_FIELDS = (
    "niss", "first_name", "last_name", "birth_date", "sex", "language", "street", "postal_code",
    "city", "referent",
)
# The first right decision, taken with the person's registration (form and API field names).
FIRST_RIGHT_FIELDS = {"right_type": "right_type", "category": "category", "right_decided_on": "decided_on",
                      "right_start": "start", "right_end": "end"}
RIGHT_DECISION_FIELDS = ("right_type", "category", "decided_on", "start", "end")


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


def _check_niss_matches(beneficiary):
    """The birth date and sex agree with what the national number encodes (a typing error in either shows).
    A number already registered is said first: the birth date is then not the question."""
    _check_niss_free(beneficiary)
    conflicts = niss_conflicts(niss=beneficiary.niss, birth_date=beneficiary.birth_date, sex=beneficiary.sex)
    if conflicts:
        raise ValidationError(conflicts)


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
    """Register a person with their first right decision (``right_type``, ``category``, ``right_start``, and
    optionally ``right_end`` and ``right_decided_on``): one step, one transaction."""
    _check_referent(cpas, data.get("referent"))
    _normalise_niss(data)
    # A new person's letters go out in the CPAS's language unless another is given.
    data.setdefault("language", cpas.language)
    first_right = {field: data.get(key) for key, field in FIRST_RIGHT_FIELDS.items()}
    missing = {key: _("This field is required.") for key in ("right_type", "category", "right_start")
               if data.get(key) in (None, "")}
    if missing:
        raise ValidationError(missing)
    beneficiary = Beneficiary(cpas=cpas, **{key: data[key] for key in BENEFICIARY_FIELDS if key in data})
    if data.get("niss") and data.get("birth_date"):
        _check_niss_matches(beneficiary)
    _save_audited(beneficiary, acting_user)
    try:
        right_decision_create(acting_user=acting_user, beneficiary=beneficiary, **first_right)
    except ValidationError as error:
        # The decision's fields are named ``right_…`` on the registration form and in the API.
        names = {field: key for key, field in FIRST_RIGHT_FIELDS.items()}
        raise ValidationError({names.get(field, field): messages
                               for field, messages in error.message_dict.items()}) from None
    return beneficiary


@transaction.atomic
def beneficiary_update(*, acting_user, beneficiary, version=None, **data) -> Beneficiary:
    """Change a beneficiary; ``version`` is the one the edit was loaded from (a stale one is refused)."""
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    bump_version(beneficiary, version)
    if "referent" in data:
        _check_referent(beneficiary.cpas, data["referent"])
    _normalise_niss(data)
    identity = (beneficiary.niss, beneficiary.birth_date, beneficiary.sex)
    for key in BENEFICIARY_FIELDS:
        if key in data:
            setattr(beneficiary, key, data[key])
    if (beneficiary.niss, beneficiary.birth_date, beneficiary.sex) != identity:
        # Checked when one of them changes: records kept before this check are not refused for an unrelated edit.
        _check_niss_matches(beneficiary)
    return _save_audited(beneficiary, acting_user)


# Right decisions ---------------------------------------------------------------------------------

def _check_no_overlap(decision):
    """A person holds one right at a time: a decision sharing a day with another is refused, on its field."""
    others = RightDecision.objects.select_for_update().filter(beneficiary_id=decision.beneficiary_id)
    clash = rights.overlapping(list(others), start=decision.start, end=decision.end, exclude_pk=decision.pk)
    if clash is not None:
        field = "start" if clash.start <= decision.start else "end"
        raise ValidationError({field: _(
            "This period overlaps the decision in force from %(start)s until %(end)s: end that one first."
        ) % {"start": clash.start.strftime("%d/%m/%Y"),
             "end": clash.end.strftime("%d/%m/%Y") if clash.end else _("no end")}})


def _save_decision(decision, acting_user):
    decision.full_clean()
    _check_no_overlap(decision)
    decision._history_user = acting_user
    decision.save()
    return decision


@transaction.atomic
def right_decision_create(*, acting_user, beneficiary, **data) -> RightDecision:
    """Record a decision granting ``beneficiary`` the integration income or the equivalent aid (DOMAIN.md §3)."""
    # The person's row is the lock that orders concurrent decisions for them (the overlap check).
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
    decision = RightDecision(beneficiary=beneficiary, cpas_id=beneficiary.cpas_id,
                             **{key: data.get(key) for key in RIGHT_DECISION_FIELDS})
    return _save_decision(decision, acting_user)


@transaction.atomic
def right_decision_update(*, acting_user, decision, version=None, **data) -> RightDecision:
    """Correct a decision (its type, category, dates); ``version`` is the one the edit was loaded from."""
    Beneficiary.objects.select_for_update().filter(pk=decision.beneficiary_id).first()
    decision = RightDecision.objects.select_for_update().get(pk=decision.pk)
    bump_version(decision, version)
    for key in RIGHT_DECISION_FIELDS:
        if key in data:
            setattr(decision, key, data[key])
    return _save_decision(decision, acting_user)


@transaction.atomic
def right_decision_end(*, acting_user, decision, end, version=None) -> RightDecision:
    """End a decision on ``end`` (the last day of the right)."""
    if end is None:
        raise ValidationError({"end": _("This field is required.")})
    return right_decision_update(acting_user=acting_user, decision=decision, version=version, end=end)


@transaction.atomic
def right_decision_delete(*, acting_user, decision):
    """Remove a decision recorded by mistake (its history keeps who removed it, and when)."""
    decision = RightDecision.objects.select_for_update().get(pk=decision.pk)
    decision._history_user = acting_user
    decision.delete()


# Case notes ------------------------------------------------------------------------------------------

NOTE_FIELDS = ("day", "text", "confidential")


@transaction.atomic
def case_note_create(*, acting_user, beneficiary, **data) -> CaseNote:
    note = CaseNote(cpas_id=beneficiary.cpas_id, beneficiary=beneficiary, author=acting_user,
                    **{key: data[key] for key in NOTE_FIELDS if key in data})
    if note.day is None:
        note.day = timezone.localdate()
    note.full_clean()
    note._history_user = acting_user
    note.save()
    return note


@transaction.atomic
def case_note_update(*, acting_user, note, version=None, **data) -> CaseNote:
    """Correct a note; only its author or a manager may (``tenancy.may_edit_note`` is checked by the caller)."""
    note = CaseNote.objects.select_for_update().get(pk=note.pk)
    bump_version(note, version)
    for key in NOTE_FIELDS:
        if key in data:
            setattr(note, key, data[key])
    note.full_clean()
    note._history_user = acting_user
    note.save()
    return note


# Documents ------------------------------------------------------------------------------------------

def _check_upload(upload):
    """The size limit and the accepted types (read from the content): ``(extension, content type)``."""
    limit = settings.CPAS_DOCUMENT_MAX_BYTES
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    if upload.size > limit:
        raise ValidationError({"file": _("This file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}})
    if upload.size == 0:
        raise ValidationError({"file": _("This file is empty.")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = documents.sniff(head)
    if found is None:
        raise ValidationError({"file": _("This type of file is refused: send a %(types)s file.") % {
            "types": documents.accepted_types_text()}})
    return found


@transaction.atomic
def document_upload(*, acting_user, beneficiary, kind, upload, title="") -> PersonDocument:
    """Keep ``upload`` on ``beneficiary``'s file, in the private storage of their CPAS."""
    extension, content_type = _check_upload(upload)
    document = PersonDocument(
        cpas_id=beneficiary.cpas_id, beneficiary=beneficiary, kind=kind, title=title or "",
        original_name=(getattr(upload, "name", "") or "document")[-255:], content_type=content_type,
        size=upload.size, uploaded_by=acting_user,
    )
    document.full_clean(exclude=["file"])
    name = documents.stored_name(cpas=beneficiary.cpas, beneficiary_id=beneficiary.pk, extension=extension)
    document.file.save(name, ContentFile(upload.read()), save=False)
    try:
        document._history_user = acting_user
        document.save()
    except Exception:
        # No row, no file: a failed save leaves nothing behind in the CPAS's directory.
        document.file.storage.delete(document.file.name)
        raise
    return document


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


# Organisations (partners and employers) ---------------------------------------------------------

ORGANISATION_FIELDS = ("name", "enterprise_number", "kind", "recognised", "created_by_cpas",
                       "approved_by_employment_service")


def _organisation_in_use(organisation):
    """Whether a measure already points to ``organisation`` (read through the reverse relations, so the kernel
    needs no measure app)."""
    for relation in organisation._meta.related_objects:
        if relation.one_to_many and not relation.related_model.__name__.startswith("Historical"):
            if relation.related_model._default_manager.filter(**{relation.field.name: organisation}).exists():
                return True
    return False


def _save_organisation(organisation, acting_user):
    organisation.enterprise_number = (organisation.enterprise_number or "").replace(".", "").replace(" ", "")
    duplicate = Organisation.objects.filter(cpas=organisation.cpas, enterprise_number=organisation.enterprise_number)
    if organisation.enterprise_number and duplicate.exclude(pk=organisation.pk).exists():
        raise ValidationError({"enterprise_number": _("An organisation of your CPAS already has this enterprise "
                                                      "number.")})
    organisation.full_clean()
    organisation._history_user = acting_user
    organisation.save()
    return organisation


@transaction.atomic
def organisation_create(*, acting_user, cpas, **data) -> Organisation:
    return _save_organisation(Organisation(cpas=cpas, **{k: v for k, v in data.items() if k in ORGANISATION_FIELDS}),
                              acting_user)


@transaction.atomic
def organisation_update(*, acting_user, organisation, **data) -> Organisation:
    """Change a partner or employer; its kind stays once a measure uses it (the measure was checked against it)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "kind" in data and data["kind"] != organisation.kind and _organisation_in_use(organisation):
        raise ValidationError({"kind": _("A measure already uses this organisation: its kind cannot change.")})
    for name, value in data.items():
        if name in ORGANISATION_FIELDS:
            setattr(organisation, name, value)
    return _save_organisation(organisation, acting_user)
