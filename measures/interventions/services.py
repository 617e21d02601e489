"""Every write of the financial interventions: atomic, validated, recorded in the history with who.

A hire locks its person's row while it checks the combination and the intérim limit, so two hires
saved at the same time cannot together break them; a payment locks its hire.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cpas_portal import rights
from cpas_portal.bulk_history import CHANGED, record_history
from cpas_portal.concurrency import bump_version
from cpas_portal.dated import NotInForce
from cpas_portal.inputs import far_future_errors
from cpas_portal.models import Beneficiary
from reimbursements.rules import legislation_of

from . import parameters, rules
from .models import Hire, InterventionPayment, Programme
from .rates import rate_in_force

HIRE_FIELDS = ("beneficiary", "employer", "programme", "start", "end", "regime", "firm_employment")


def _day(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def _save(instance, acting_user):
    instance.full_clean()
    instance._history_user = acting_user
    instance.save()
    return instance


def _job(hire):
    return rules.Job(key=hire.pk, programme=hire.programme, start=hire.start, end=hire.end, regime=hire.regime)


def interim_first_day(hires):
    """The first day of the person's first intérim d'insertion among ``hires`` (None without one)."""
    starts = [hire.start for hire in hires if hire.programme == rules.INTERIM]
    return min(starts) if starts else None


def _check_hire(hire):
    errors = {}
    if hire.beneficiary_id and hire.beneficiary.cpas_id != hire.cpas_id:
        errors["beneficiary"] = _("This person is not a beneficiary of your CPAS.")
    if hire.employer_id and hire.employer.cpas_id != hire.cpas_id:
        errors["employer"] = _("This employer is not an organisation of your CPAS.")
    if hire.firm_employment_id:
        employment = hire.firm_employment
        if (employment.cpas_id != hire.cpas_id or employment.beneficiary_id != hire.beneficiary_id
                or employment.organisation_id != hire.employer_id):
            errors["firm_employment"] = _("Link the employment of this person by this employer.")
    if hire.regime is not None and not 0 < hire.regime <= 1:
        errors["regime"] = _("The work regime is above 0 and at most 1 (full time).")
    if hire.start and hire.end and hire.end < hire.start:
        errors["end"] = _("The end comes on or after the start.")
    if hire.start and hire.start < parameters.LAW_IN_FORCE:
        errors["start"] = _("Financial interventions exist from %(day)s (law of 26 May 2002).") % {
            "day": _day(parameters.LAW_IN_FORCE)}
    for field, message in far_future_errors(hire, ("start", "end")).items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)
    # The person's other hires, locked through the person so that two saves check one after the other.
    Beneficiary.objects.select_for_update().filter(pk=hire.beneficiary_id).first()
    others = list(Hire.objects.filter(beneficiary_id=hire.beneficiary_id).exclude(pk=hire.pk))
    conflict = rules.forbidden_combination(_job(hire), [_job(other) for other in others])
    if conflict is not None:
        raise ValidationError({"programme": _(
            "Two part-time jobs in two different programmes may not be combined: this person already has a "
            "part-time %(programme)s job from %(start)s%(until)s (circular of 21 October 2002, §4.3).") % {
            "programme": Programme(conflict.programme).label, "start": _day(conflict.start),
            "until": _(" to %(end)s") % {"end": _day(conflict.end)} if conflict.end else ""}})
    if hire.programme == rules.INTERIM:
        first = interim_first_day([*others, hire])
        last = rules.interim_last_day(first)
        if hire.end is None or hire.end > last:
            raise ValidationError({"end": _(
                "An intérim d'insertion receives the intervention for at most 24 months from its first day "
                "(%(first)s), interruptions included: it ends on %(last)s at the latest.") % {
                "first": _day(first), "last": _day(last)}})


@transaction.atomic
def hire_create(*, acting_user, cpas, **data) -> Hire:
    """Record that a beneficiary was hired under one of the four programmes."""
    hire = Hire(cpas=cpas, created_by=acting_user, **{key: data[key] for key in HIRE_FIELDS if key in data})
    _check_hire(hire)
    return _save(hire, acting_user)


@transaction.atomic
def hire_update(*, acting_user, hire, version=None, **data) -> Hire:
    hire = Hire.objects.select_for_update().get(pk=hire.pk)
    payments = list(hire.payments.order_by("month").values_list("month", flat=True))
    for key in HIRE_FIELDS:
        if key in data:
            setattr(hire, key, data[key])
    if payments:
        if hire.beneficiary_id != Hire.objects.filter(pk=hire.pk).values_list("beneficiary_id", flat=True)[0]:
            raise ValidationError({"beneficiary": _("Payments are recorded for this hire: its person stays.")})
        if hire.start > rules.last_of_month(payments[0]) or (hire.end and hire.end < payments[-1]):
            raise ValidationError({"start": _(
                "Payments are recorded from %(first)s to %(last)s: the hire must cover those months.") % {
                "first": payments[0].strftime("%m/%Y"), "last": payments[-1].strftime("%m/%Y")}})
    _check_hire(hire)
    bump_version(hire, version)
    return _save(hire, acting_user)


def _legislation(hire, day):
    decision = rights.in_force(beneficiary=hire.beneficiary, day=day)
    if decision is None:
        raise ValidationError({"month": _(
            "%(name)s holds no right (integration income or equivalent aid) on %(day)s: a financial "
            "intervention is for a person entitled to social integration.") % {
            "name": hire.beneficiary.full_name, "day": _day(day)}})
    return legislation_of(decision.right_type)


@transaction.atomic
def payment_record(*, acting_user, hire, month, document_kind, document_date, document_reference, net_pay_due,
                   unpaid_absence=False) -> InterventionPayment:
    """Record the intervention of ``month`` paid on its supporting document, computed within the limits."""
    hire = Hire.objects.select_for_update(of=("self",)).select_related("beneficiary").get(pk=hire.pk)
    month = rules.first_of_month(month)
    last = hire.end
    if hire.programme == rules.INTERIM:
        person_hires = list(Hire.objects.filter(beneficiary_id=hire.beneficiary_id))
        limit = rules.interim_last_day(interim_first_day(person_hires))
        last = min(last, limit) if last else limit
        if month > limit:
            raise ValidationError({"month": _(
                "The 24 months of intérim d'insertion ended on %(last)s, interruptions included.") % {
                "last": _day(limit)}})
    if (hire.end and month > hire.end) or rules.last_of_month(month) < hire.start:
        raise ValidationError({"month": _("The hire does not cover this month.")})
    if hire.payments.filter(month=month).exists():
        raise ValidationError({"month": _("The intervention of this month is already recorded.")})
    if document_date < month:
        raise ValidationError({"document_date": _("The supporting document is dated from the month it covers.")})
    covered_from = max(month, hire.start)
    try:
        rate = rate_in_force(hire.programme, covered_from)
    except NotInForce:
        raise ValidationError({"month": _(
            "No amount of the %(programme)s intervention is in force on %(day)s: an administrator adds it to "
            "the amount table from the programme's decree. Nothing is recorded (never 0).") % {
            "programme": hire.get_programme_display(), "day": _day(covered_from)}}) from None
    computed = rules.month_amount(
        programme=hire.programme, month=month, full_time_amount=rate.amount, rate_since=rate.since,
        rate_source=rate.source, regime=hire.regime, start=hire.start, end=last, net_pay_due=net_pay_due,
        unpaid_absence=unpaid_absence)
    payment = InterventionPayment(
        cpas_id=hire.cpas_id, hire=hire, beneficiary_id=hire.beneficiary_id, month=month,
        document_kind=document_kind, document_date=document_date, document_reference=document_reference,
        net_pay_due=net_pay_due, unpaid_absence=unpaid_absence, full_time_amount=rate.amount,
        rate_since=rate.since, regime=hire.regime, days_covered=computed.days_covered,
        days_in_month=computed.days_in_month, amount=computed.amount, paid_to=hire.paid_to,
        legal_basis=parameters.LEGAL_BASIS[hire.programme].at(month),
        legislation=_legislation(hire, covered_from), explanation=computed.reasons, created_by=acting_user)
    return _save(payment, acting_user)


# Claims -------------------------------------------------------------------------------------------

def _set_claim(pks, claimed_at, reference, acting_user, only_open):
    # The rows locked in the order of their keys, then one UPDATE and their history in one INSERT … SELECT with
    # who and when, whatever the number of months.
    rows = InterventionPayment.objects.select_for_update().filter(pk__in=list(pks))
    rows = rows.filter(claimed_at__isnull=True) if only_open else rows
    locked = list(rows.order_by("pk").values_list("pk", flat=True))
    if locked:
        InterventionPayment.objects.filter(pk__in=locked).update(claimed_at=claimed_at, claim_reference=reference)
        record_history(InterventionPayment.objects.filter(pk__in=locked), history_type=CHANGED, user=acting_user)


@transaction.atomic
def payments_freeze(*, acting_user, payments, reference):
    """The payments are now on the claim ``reference``: their amounts never change again."""
    _set_claim(payments, timezone.now(), reference, acting_user, only_open=True)


@transaction.atomic
def payments_release(*, acting_user, payments):
    """Their claim was cancelled or rejected: the payments may be claimed again."""
    _set_claim(payments, None, "", acting_user, only_open=False)
