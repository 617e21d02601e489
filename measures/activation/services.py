"""Every write of the social-activation subsidies: atomic, validated, in the change history.

Managers of the CPAS write its subsidy; the allocation across CPAS is an administrator's (superuser's)
act. The final report is made by a background job whose row says what is left to do (as the claim
jobs): a job delivered twice makes one PDF.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpas_portal.concurrency import bump_version
from cpas_portal.dated import NotInForce
from cpas_portal.money import eur
from cpas_portal.tenancy import can_write, membership_of

from . import parameters as p
from . import rules
from .models import ActivationReport, ActivationYear, ReportStatus

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "kind", "granted_amount", "description", "opened_on", "filed_on", "analysed_on", "decided_on", "signed_on",
    "objective_social_assessments", "objective_piis_total", "objective_piis_socio_professional",
    "objective_piis_social_participation", "objective_piis_community_service",
    "advance_received_on", "advance_received_amount", "report_sent_on", "balance_received_on",
    "balance_received_amount",
)
RECEIVED = (("advance_received_on", "advance_received_amount"), ("balance_received_on", "balance_received_amount"))


def _require_manager(user, cpas):
    if user.is_superuser:
        return
    membership = membership_of(user)
    if membership is None or membership.cpas_id != cpas.pk or not can_write(membership, "activation"):
        raise PermissionDenied(_("Only a manager of the CPAS may change its social-activation subsidy."))


def _require_administrator(user):
    if not user.is_superuser:
        raise PermissionDenied(_("Only an administrator may allocate the social-activation subsidies."))


def _check(activation, members):
    members = members or []
    errors = {}
    if ActivationYear.objects.filter(cpas_id=activation.cpas_id, year=activation.year).exclude(
            pk=activation.pk).exists():
        errors["year"] = _("This CPAS already has a social-activation subsidy for that year.")
    try:
        rules.report_deadline(activation.year)
    except NotInForce:
        errors["year"] = _("No social-activation subsidy is known for %(year)s.") % {"year": activation.year}
    for name in rules.steps_in_order({step: getattr(activation, step) for step in rules.STEPS}):
        errors[name] = _("This step cannot come before the previous one.")
    for day_field, amount_field in RECEIVED:
        day, amount = getattr(activation, day_field), getattr(activation, amount_field)
        if (day is None) != (amount is None):
            errors[amount_field if amount is None else day_field] = _("Give both the date and the amount received.")
        elif amount is not None and amount <= 0:
            errors[amount_field] = _("The amount received must be positive.")
    if activation.advance_received_on and not activation.signed_on:
        errors["advance_received_on"] = _("The advance is paid after the convention is signed.")
    if activation.balance_received_on and not activation.report_sent_on:
        errors["balance_received_on"] = _("The balance is paid after the final report's evaluation.")
    if activation.report_sent_on and activation.report_sent_on.year <= activation.year - 1:
        errors["report_sent_on"] = _("The final report comes after the start of its year.")
    if activation.kind == rules.CLUSTER and activation.granted_amount is not None and "year" not in errors:
        cap = p.CLUSTER_CAP.at(rules.year_day(activation.year))
        if activation.granted_amount > cap:
            errors["granted_amount"] = _("A cluster is granted at most %(cap)s.") % {"cap": cap}
    if activation.kind != rules.CLUSTER and members:
        errors["cluster_members"] = _("Only a cluster has other member CPAS.")
    if any(member.pk == activation.cpas_id for member in members):
        errors["cluster_members"] = _("The lead CPAS is not one of the other members.")
    if errors:
        raise ValidationError(errors)


def _save(activation, acting_user, members):
    if activation.granted_amount is not None:
        activation.granted_amount = eur(activation.granted_amount)
    _check(activation, members)
    activation.full_clean(exclude=["cluster_members"])
    activation._history_user = acting_user
    try:
        with transaction.atomic():
            activation.save()
    except IntegrityError:
        raise ValidationError({"year": _("This CPAS already has a social-activation subsidy for that year.")}) \
            from None
    if members is not None:
        activation.cluster_members.set(members)
    return activation


@transaction.atomic
def activation_create(*, acting_user, cpas, year, kind, cluster_members=(), **data) -> ActivationYear:
    _require_manager(acting_user, cpas)
    activation = ActivationYear(cpas=cpas, year=year, kind=kind, created_by=acting_user,
                                **{key: value for key, value in data.items() if key in EDITABLE_FIELDS})
    return _save(activation, acting_user, list(cluster_members))


@transaction.atomic
def activation_update(*, acting_user, activation, version=None, cluster_members=None, **data) -> ActivationYear:
    """Change the subsidy's file; ``version`` is the one the edit was loaded from (a stale one is refused)."""
    _require_manager(acting_user, activation.cpas)
    activation = ActivationYear.objects.select_for_update(of=("self",)).select_related("cpas").get(pk=activation.pk)
    bump_version(activation, version)
    for key in EDITABLE_FIELDS:
        if key in data:
            setattr(activation, key, data[key])
    members = list(cluster_members) if cluster_members is not None else list(activation.cluster_members.all())
    return _save(activation, acting_user, members)


# Allocation across CPAS (administrators) ------------------------------------------------------

def _grant(*, acting_user, cpas, year, kind, amount, source):
    activation = ActivationYear.objects.select_for_update().filter(cpas=cpas, year=year).first()
    if activation is None:
        activation = ActivationYear(cpas=cpas, year=year, kind=kind, created_by=acting_user)
    elif activation.kind != kind:
        raise ValidationError({"year": _("%(cpas)s already has a subsidy of another kind for %(year)s.")
                               % {"cpas": cpas, "year": year}})
    else:
        bump_version(activation)
    activation.granted_amount, activation.allocation_source = amount, source[:300]
    return _save(activation, acting_user, None)


@transaction.atomic
def large_city_allocate(*, acting_user, year, envelope, workers, source) -> list:
    """Grant each large-city CPAS its share of ``envelope`` by its art. 60 §7 workers (``{Cpas: count}``)."""
    _require_administrator(acting_user)
    allocation = rules.split_large_city(envelope, workers, year=year)
    return [_grant(acting_user=acting_user, cpas=row.key, year=year, kind=rules.LARGE_CITY, amount=row.amount,
                   source=source) for row in allocation.rows]


@transaction.atomic
def cluster_allocate(*, acting_user, year, requests, source) -> list:
    """Grant each cluster (``{lead Cpas: requested amount}``) its capped grant."""
    _require_administrator(acting_user)
    allocation = rules.cluster_grants(requests, year=year)
    return [_grant(acting_user=acting_user, cpas=row.key, year=year, kind=rules.CLUSTER, amount=row.amount,
                   source=source) for row in allocation.rows]


# Final report job ------------------------------------------------------------------------------

def report_request(*, acting_user, activation) -> ActivationReport:
    """Queue the making of the final report's PDF, or hand back the one already under way."""
    _require_manager(acting_user, activation.cpas)
    report = ActivationReport(activation=activation, cpas=activation.cpas, requested_by=acting_user)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return ActivationReport.objects.filter(activation=activation, status__in=[
            ReportStatus.QUEUED, ReportStatus.RUNNING]).defer("pdf").get()
    transaction.on_commit(lambda pk=report.pk: report_dispatch(pk))
    return report


def report_retry(*, acting_user, report) -> ActivationReport:
    """Send again a report job waiting for the queue, stuck, or failed (a failed one starts from zero)."""
    _require_manager(acting_user, report.cpas)
    if report.queue_state not in ("waiting", "stuck", ReportStatus.FAILED):
        raise ValidationError({"status": _("This report is under way or done.")})
    if report.status == ReportStatus.FAILED:
        ActivationReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, percent=0, error="",
                                                             attempts=0, dispatched_at=None)
    report_dispatch(report.pk)
    report.refresh_from_db()
    return report


def _broker_errors():
    from kombu.exceptions import OperationalError

    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - the embedded default has no Redis client
        return (OperationalError, OSError)
    return (OperationalError, OSError, RedisError)


def report_dispatch(report_id):
    """Send the job to the queue; a queue that is down leaves it queued (the page says it waits)."""
    from .tasks import make_report

    try:
        make_report.delay(report_id)
    except _broker_errors():
        logger.warning("Activation report %s: the queue is unavailable, the job waits", report_id)
        return False
    ActivationReport.objects.filter(pk=report_id, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return True


def _progress(report_id, **fields):
    ActivationReport.objects.filter(pk=report_id).update(**fields)


def _take(report_id):
    """The job's row if this delivery may work on it (queued, or running without a sign of life)."""
    from reimbursements.rules import job_claimable

    with transaction.atomic():
        report = ActivationReport.objects.select_for_update().defer("pdf").filter(pk=report_id).first()
        now = timezone.now()
        if report is None or not job_claimable(status=report.status, heartbeat_at=report.heartbeat_at, now=now,
                                               stale_after=timedelta(seconds=settings.CLAIM_JOB_STALE_SECONDS)):
            return None
        _progress(report.pk, status=ReportStatus.RUNNING, percent=10, started_at=now, heartbeat_at=now,
                  attempts=report.attempts + 1, step=_("Counting the realised figures"))
        return report


def report_run(report_id) -> ActivationReport | None:
    """Count the realised figures, freeze them on the report, render the PDF. Safe to run twice."""
    from . import report as report_pdf
    from . import selectors

    report = _take(report_id)
    if report is None:
        return ActivationReport.objects.defer("pdf").filter(pk=report_id).first()
    try:
        activation = ActivationYear.objects.select_related("cpas").get(pk=report.activation_id)
        realised = selectors.realised(activation)
        _progress(report.pk, percent=40, realised=realised.as_dict(), heartbeat_at=timezone.now(),
                  step=_("Rendering the PDF"))
        rendered = report_pdf.render(activation, realised.as_dict(), made_on=timezone.localdate(report.created_at))
        _progress(report.pk, status=ReportStatus.DONE, percent=100, step="", pdf=rendered.content,
                  sha256=rendered.sha256, page_count=rendered.page_count, language=rendered.language,
                  finished_at=timezone.now(), heartbeat_at=timezone.now())
    except Exception as error:
        logger.exception("Activation report %s failed", report_id)
        _progress(report.pk, status=ReportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now())
    return ActivationReport.objects.defer("pdf").get(pk=report_id)


# Claims of the advance and the balance (measure ``activation`` of reimbursements) ----------------

CLAIM_FIELDS = {
    rules.ADVANCE: ("advance_claimed_at", "advance_claim_reference"),
    rules.BALANCE: ("balance_claimed_at", "balance_claim_reference"),
}


def _set_claimed(instalments, *, claimed_at, reference, acting_user, claiming):
    """Mark each ``(instalment, activation id)`` as held by the claim ``reference`` (or free again)."""
    pks = sorted({pk for _instalment, pk in instalments})
    locked = {row.pk: row for row in ActivationYear.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    if len(locked) != len(pks):
        raise ValidationError({"instalments": _("Some social-activation subsidies no longer exist.")})
    changed = {}
    for instalment, pk in instalments:
        row = locked[pk]
        at_field, reference_field = CLAIM_FIELDS[instalment]
        if claiming and getattr(row, at_field) is not None:
            raise ValidationError({"instalments": _("This instalment is already claimed on %(reference)s.")
                                   % {"reference": getattr(row, reference_field)}})
        if not claiming and getattr(row, at_field) is None:
            continue
        setattr(row, at_field, claimed_at)
        setattr(row, reference_field, reference)
        changed.setdefault(pk, (row, []))[1].extend([at_field, reference_field])
    for row, fields in changed.values():
        row._history_user = acting_user
        row.save(update_fields=[*fields, "updated_at"])
    return [row for row, _fields in changed.values()]


@transaction.atomic
def instalments_freeze(*, acting_user, instalments, reference):
    """The claim ``reference`` now holds these ``(instalment, activation id)``: no other claim may hold them."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the claim reference.")})
    return _set_claimed(list(instalments), claimed_at=timezone.now(), reference=reference[:60],
                        acting_user=acting_user, claiming=True)


@transaction.atomic
def instalments_release(*, acting_user, instalments):
    """The claim holding these instalments was cancelled or rejected: a later claim may hold them."""
    return _set_claimed(list(instalments), claimed_at=None, reference="", acting_user=acting_user, claiming=False)
