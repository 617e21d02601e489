"""Every write on partnership conventions: atomic, validated by ``rules.py``, audited (who, when)."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cpas_portal import employment, rights
from cpas_portal.concurrency import bump_version
from cpas_portal.models import OrganisationKind

from . import parameters, rules
from .models import (
    CoachingHours,
    Convention,
    ConventionPartner,
    HoursStatus,
    PartnerClaim,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from .rules import ConventionStatus
from .selectors import hours_done

CONVENTION_FIELDS = (
    "conclusion_date", "planned_hours", "methodology", "plan_assessment", "plan_job_offers",
    "plan_application_techniques", "plan_work_attitudes", "plan_prospection", "plan_training",
    "insertion_measure_end", "in_private_employment_measure",
)


def _save(instance, acting_user, reason=""):
    instance.full_clean()
    instance._history_user = acting_user
    if reason:
        # The history row keeps why (its column holds 100 characters; the record keeps the whole reason).
        instance._change_reason = reason[:100]
    instance.save()
    return instance


def _reason(reason, field="reason"):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Say why: the reason is kept in the history.")})
    return reason


def _collect_errors(*checks):
    """Run every check and raise one ValidationError holding all their field messages."""
    errors = {}
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _approved_by_employment_service(organisation):
    return organisation is None or (organisation.kind == OrganisationKind.EMPLOYMENT_OFFICE
                                     or organisation.approved_by_employment_service)


def _partner_shares(partners):
    return [rules.PartnerShare(is_cpas=partner["is_cpas"], share=Decimal(partner["share"]),
                               approved_by_employment_service=_approved_by_employment_service(
                                   partner.get("organisation")))
            for partner in partners]


def _check_partner_rows(cpas, partners):
    seen = set()
    for partner in partners:
        organisation = partner.get("organisation")
        if partner["is_cpas"] == (organisation is not None):
            raise ValidationError({"partners": _("Each partner is either an organisation or the CPAS itself.")})
        if organisation is not None and organisation.cpas_id != cpas.pk:
            raise ValidationError({"partners": _("This organisation is not in your CPAS's directory.")})
        key = "cpas" if partner["is_cpas"] else organisation.pk
        if key in seen:
            raise ValidationError({"partners": _("The same partner is listed twice.")})
        seen.add(key)


def _check_eligibility(convention):
    """DOMAIN.md §5: from the person's recorded right dates and measures; the convention's two
    declaration fields only add facts the application does not record."""
    day = convention.conclusion_date
    return rules.check_eligibility(
        has_right=rights.has_right_on(beneficiary=convention.beneficiary, day=day),
        recorded_measures=employment.measures_on(beneficiary=convention.beneficiary, day=day),
        declared_insertion_measure_end=convention.insertion_measure_end,
        declared_in_private_employment_measure=convention.in_private_employment_measure,
        on=day,
    )


def _rules_in_force(day, checks):
    """Whether a rule version is in force on the conclusion date; if not, its error joins ``checks``
    (the other rules have nothing to say about a date before the measure existed)."""
    try:
        rules.rule_version(on=day)
    except ValidationError:
        checks.append(lambda: rules.rule_version(on=day))
        return False
    return True


def _check_draft(convention, cpas, partners):
    """Every check a draft passes, at creation and at each edit: all field messages at once."""
    day = convention.conclusion_date
    checks = [convention.full_clean, lambda: _check_partner_rows(cpas, partners)]
    if day is not None and _rules_in_force(day, checks):
        checks += [lambda: rules.check_shares(_partner_shares(partners), on=day),
                   lambda: _check_eligibility(convention)]
        if convention.planned_hours is not None:
            checks.append(lambda: rules.agreed_amount(convention.planned_hours, on=day))
    _collect_errors(*checks)


def _check_beneficiary(cpas, beneficiary):
    if beneficiary is None or beneficiary.cpas_id != cpas.pk:
        raise ValidationError({"beneficiary": _("Choose a beneficiary of your CPAS.")})


def _add_partners(convention, partners, acting_user):
    for partner in partners:
        _save(ConventionPartner(convention=convention, organisation=partner.get("organisation"),
                                is_cpas=partner["is_cpas"], share=partner["share"]), acting_user)


@transaction.atomic
def convention_create(*, acting_user, cpas, beneficiary, partners, **data) -> Convention:
    """A draft convention and its partners (``partners``: dicts of organisation, is_cpas, share)."""
    _check_beneficiary(cpas, beneficiary)
    partners = list(partners)
    convention = Convention(cpas=cpas, beneficiary=beneficiary, **{key: data[key] for key in CONVENTION_FIELDS
                                                                    if key in data})
    _check_draft(convention, cpas, partners)
    _save(convention, acting_user)
    _add_partners(convention, partners, acting_user)
    return convention


@transaction.atomic
def convention_update(*, acting_user, convention, version=None, beneficiary=None, partners=None,
                      **data) -> Convention:
    """Change a draft: any of its fields, and its partners (``partners`` replaces them all).

    Only a draft changes: signing freezes the terms and the amounts. The same checks as at creation
    apply; ``version`` is the one the edit was loaded from (a stale edit is refused).
    """
    convention = _locked(convention)
    if convention.status != ConventionStatus.DRAFT:
        raise ValidationError(_("Only a draft convention can be changed: signing froze its terms and amounts."))
    bump_version(convention, version)
    if beneficiary is not None:
        _check_beneficiary(convention.cpas, beneficiary)
        convention.beneficiary = beneficiary
    for key in CONVENTION_FIELDS:
        if key in data:
            setattr(convention, key, data[key])
    current = [{"organisation": partner.organisation, "is_cpas": partner.is_cpas, "share": partner.share}
               for partner in convention.partners.select_related("organisation").order_by("id")]
    new_partners = current if partners is None else list(partners)
    _check_draft(convention, convention.cpas, new_partners)
    _save(convention, acting_user)
    if partners is not None:
        # A draft has no payment nor hours yet: its partner rows are replaced (their history keeps the old ones).
        for partner in convention.partners.all():
            partner._history_user = acting_user
            partner.delete()
        _add_partners(convention, new_partners, acting_user)
    return convention


@transaction.atomic
def convention_cancel(*, acting_user, convention, reason, version=None) -> Convention:
    """Cancel a draft that will not be signed: the record stays, with who cancelled it, when and why."""
    convention = _locked(convention)
    rules.check_transition(convention.status, ConventionStatus.CANCELLED)
    reason = _reason(reason)
    bump_version(convention, version)
    convention.status = ConventionStatus.CANCELLED
    convention.cancelled_at = timezone.now()
    convention.cancel_reason = reason
    return _save(convention, acting_user, reason=reason)


def _locked(convention):
    return Convention.objects.select_for_update().select_related("beneficiary").get(pk=convention.pk)


@transaction.atomic
def convention_sign(*, acting_user, convention, version=None) -> Convention:
    """Sign: freeze the rule version and the amounts, and create each partner's 50 % advance.

    The row lock makes a second, simultaneous signature wait and then find the convention signed;
    the unique (partner, kind) constraint of payments is the backstop.
    """
    convention = _locked(convention)
    rules.check_transition(convention.status, ConventionStatus.SIGNED)
    # Signed as the signer saw it: a draft changed since the page was loaded is not signed blindly.
    bump_version(convention, version)
    partners = list(convention.partners.select_related("organisation").order_by("id"))
    day = convention.conclusion_date

    def check_plan():
        missing = rules.missing_plan_elements(convention.plan)
        if missing:
            labels = ", ".join(str(Convention._meta.get_field(name).verbose_name) for name in missing)
            raise ValidationError({"plan": _(
                "The plan must contain the five required elements before signing; missing: %(missing)s "
                "(%(source)s).") % {"missing": labels, "source": parameters.PLAN_CONTENT_SOURCE}})
        if not convention.methodology:
            raise ValidationError({"methodology": _("Choose the methodology of the plan.")})

    eligibility = {}
    _collect_errors(check_plan, lambda: eligibility.update(_check_eligibility(convention)))
    assessment = rules.assess(
        planned_hours=convention.planned_hours,
        partners=[rules.PartnerShare(partner.is_cpas, partner.share,
                                     _approved_by_employment_service(partner.organisation)) for partner in partners],
        on=day)
    convention.status = ConventionStatus.SIGNED
    convention.rule_version = assessment.rule_version
    convention.form_b_tier = assessment.tier
    convention.agreed_amount = assessment.agreed
    convention.advance_amount = assessment.advance
    convention.signed_at = timezone.now()
    convention.explanation = {
        "rule_version": assessment.rule_version,
        "conclusion_date": day.isoformat(),
        "parameters": assessment.parameters + [
            {"name": "eligibility", "value": eligibility["basis"], "since": day.isoformat(),
             "source": parameters.AR_2004, "interpretation": False,
             "recorded": eligibility["recorded"]}],
        "results": {"form_b_tier": assessment.tier, "agreed": str(assessment.agreed),
                    "advance": str(assessment.advance)},
    }
    _save(convention, acting_user)
    try:
        with transaction.atomic():
            for partner, amount in zip(partners, assessment.advance_parts, strict=True):
                _save(_payment(convention, partner, PaymentKind.ADVANCE, amount, day), acting_user)
    except IntegrityError:
        raise ValidationError({"status": _("This convention is already signed.")}) from None
    return convention


def _payment(convention, partner, kind, amount, due_date):
    payment = Payment(convention=convention, partner=partner, kind=kind, amount=amount, due_date=due_date)
    if partner.is_cpas:
        # The CPAS's own share is kept, not paid out; it counts as paid on its due date [interp].
        payment.status, payment.paid_date = PaymentStatus.PAID, due_date
    return payment


def _partner_of(convention, partner):
    if partner is None or partner.convention_id != convention.pk:
        raise ValidationError({"partner": _("Choose a partner of this convention.")})
    return partner


def _counted_hours(convention, excluding=None):
    entries = convention.hours_log.exclude(status=HoursStatus.CANCELLED)
    if excluding is not None:
        entries = entries.exclude(pk=excluding.pk)
    return entries.aggregate(total=Sum("hours"))["total"] or Decimal("0")


def _check_entry(convention, *, day, hours, excluding=None):
    rules.check_hours_entry(day=day, hours=hours, conclusion_date=convention.conclusion_date,
                            today=timezone.localdate(), planned_hours=convention.planned_hours,
                            other_hours=_counted_hours(convention, excluding))


@transaction.atomic
def coaching_hours_record(*, acting_user, convention, partner, day, hours, note="") -> CoachingHours:
    convention = _locked(convention)
    if convention.status != ConventionStatus.SIGNED:
        raise ValidationError({"day": _("Hours are recorded on a signed convention that is not closed.")})
    partner = _partner_of(convention, partner)
    _check_entry(convention, day=day, hours=hours)
    return _save(CoachingHours(convention=convention, partner=partner, day=day, hours=hours, note=note), acting_user)


def _correctable(convention, entry, *, total_after):
    """Whether the hours of ``convention`` may still change, given the total they would then count.

    Open (signed): yes. The tier and the agreed amount were fixed at signing by the hours the plan fixes
    (AR 23/09/2004 art. 3) and the recorded total never exceeds them, so a correction moves the progress,
    the tier the hours reach and whether the plan can be closed as completed, never an amount already
    decided. Closed: the balance was computed on the outcome. While no partner's claim is registered and
    no balance paid out, a correction is accepted if the outcome still holds (a plan closed as completed
    keeps all its hours): the final amount, advance + balance and the shares' split stay exactly as they
    are. Once a partner has claimed its balance or been paid, the hours are what the claim and the payment
    rest on, and SPP IS reimburses what the CPAS paid (circular of 31/01/2013 §3): changing them here
    would leave a paid amount without its basis, so the correction is refused; an overpayment is
    recovered from the partner, outside this convention.
    """
    if entry.status == HoursStatus.CANCELLED:
        raise ValidationError({"hours": _("This entry is cancelled: record the right hours as a new entry.")})
    if convention.status == ConventionStatus.SIGNED:
        return
    if convention.status not in rules.CLOSING_OUTCOMES:
        raise ValidationError({"hours": _(
            "This convention is settled: its hours are the basis of the payments made and can no longer change.")})
    outside_balance = convention.payments.filter(kind=PaymentKind.BALANCE, partner__is_cpas=False)
    if convention.claims.exists() or outside_balance.filter(status__in=(PaymentStatus.DUE,
                                                                      PaymentStatus.PAID)).exists():
        raise ValidationError({"hours": _(
            "A partner's claim is registered (or a balance paid) on the basis of these hours: they can no longer be "
            "corrected. An amount paid on wrong hours is recovered from the partner (circular of 31/01/2013 §3).")})
    if convention.status == ConventionStatus.COMPLETED and total_after < convention.planned_hours:
        raise ValidationError({"hours": _(
            "The convention was closed as completed: after this change only %(done)s of the %(planned)s planned "
            "hours would be recorded. The balance rests on the completed plan, so this change is refused."
        ) % {"done": format(total_after.normalize(), "f"), "planned": convention.planned_hours}})


def _locked_entry(entry):
    convention = _locked(entry.convention)
    return convention, CoachingHours.objects.select_for_update().select_related("partner").get(
        pk=entry.pk, convention=convention)


@transaction.atomic
def coaching_hours_correct(*, acting_user, entry, reason, partner=None, day=None, hours=None,
                           note=None) -> CoachingHours:
    """Correct a wrong entry (its partner, day, hours or note), with the reason; the history keeps the old values."""
    convention, entry = _locked_entry(entry)
    reason = _reason(reason)
    partner = entry.partner if partner is None else _partner_of(convention, partner)
    day = entry.day if day is None else day
    hours = entry.hours if hours is None else hours
    _check_entry(convention, day=day, hours=hours, excluding=entry)
    _correctable(convention, entry, total_after=_counted_hours(convention, excluding=entry) + hours)
    entry.partner, entry.day, entry.hours = partner, day, hours
    if note is not None:
        entry.note = note
    entry.status, entry.reason = HoursStatus.CORRECTED, reason
    return _save(entry, acting_user, reason=reason)


@transaction.atomic
def coaching_hours_cancel(*, acting_user, entry, reason) -> CoachingHours:
    """Cancel a wrong entry: it stays in the log, counts for nothing, and keeps who cancelled it, when and why."""
    convention, entry = _locked_entry(entry)
    reason = _reason(reason)
    _correctable(convention, entry, total_after=_counted_hours(convention, excluding=entry))
    entry.status, entry.reason = HoursStatus.CANCELLED, reason
    return _save(entry, acting_user, reason=reason)


@transaction.atomic
def convention_close(*, acting_user, convention, outcome, end_date, note="", version=None) -> Convention:
    """Close with its outcome and date (for "employed early", the start of the employment contract).

    Freezes the final amount and creates each partner's balance (final part − advance part).
    """
    convention = _locked(convention)
    if outcome not in rules.CLOSING_OUTCOMES:
        raise ValidationError({"outcome": _("Choose how the convention ended.")})
    rules.check_transition(convention.status, outcome)
    bump_version(convention, version)
    if end_date is None or end_date < convention.conclusion_date:
        raise ValidationError({"end_date": _("The end date cannot precede the conclusion date.")})
    if outcome == ConventionStatus.COMPLETED and hours_done(convention) < convention.planned_hours:
        raise ValidationError({"outcome": _(
            "Only %(done)s of the %(planned)s planned hours are recorded: the plan is not completed."
        ) % {"done": format(hours_done(convention).normalize(), "f"), "planned": convention.planned_hours}})
    partners = list(convention.partners.order_by("id"))
    advances = {payment.partner_id: payment.amount for payment in convention.payments.filter(kind=PaymentKind.ADVANCE)}
    settlement = rules.settle(
        agreed=convention.agreed_amount,
        advance_parts=[advances[partner.pk] for partner in partners],
        shares=[partner.share for partner in partners],
        outcome=outcome,
        on=convention.conclusion_date,
    )
    convention.status = outcome
    convention.end_date = end_date
    convention.end_note = note
    convention.final_amount = settlement.final
    convention.balance_amount = settlement.balance
    convention.closed_at = timezone.now()
    convention.explanation = {
        **convention.explanation,
        "parameters": convention.explanation.get("parameters", []) + settlement.parameters,
        "results": {**convention.explanation.get("results", {}), "outcome": str(outcome),
                    "final": str(settlement.final), "balance": str(settlement.balance)},
    }
    _save(convention, acting_user)
    claim_due = end_date + timedelta(days=parameters.CLAIM_EXPECTED_DAYS.at(convention.conclusion_date))
    for partner, amount in zip(partners, settlement.balance_parts, strict=True):
        if amount > 0:
            payment = _payment(convention, partner, PaymentKind.BALANCE, amount, end_date if partner.is_cpas
                               else claim_due)
            if not partner.is_cpas:
                payment.status = PaymentStatus.AWAITING_CLAIM
            _save(payment, acting_user)
    return _settle_if_done(convention, acting_user)


def _settle_if_done(convention, acting_user):
    if convention.status in rules.CLOSING_OUTCOMES and not convention.payments.exclude(
            status=PaymentStatus.PAID).exists():
        rules.check_transition(convention.status, ConventionStatus.SETTLED)
        convention.status = ConventionStatus.SETTLED
        _save(convention, acting_user)
    return convention


@transaction.atomic
def partner_claim_register(*, acting_user, partner, received_date, reference, amount_claimed) -> PartnerClaim:
    """Register a partner's claim for the balance; its balance payment becomes due."""
    convention = _locked(partner.convention)
    if convention.status not in (ConventionStatus.COMPLETED, ConventionStatus.EMPLOYED_EARLY):
        raise ValidationError({"partner": _("A claim is registered once the convention has ended with a balance.")})
    if partner.is_cpas:
        raise ValidationError({"partner": _("The CPAS's own share needs no claim.")})
    payment = Payment.objects.select_for_update().filter(partner=partner, kind=PaymentKind.BALANCE).first()
    if PartnerClaim.objects.filter(partner=partner).exists():
        raise ValidationError({"partner": _("This partner's claim is already registered.")})
    if payment is None or payment.status != PaymentStatus.AWAITING_CLAIM:
        raise ValidationError({"partner": _("No balance is due to this partner.")})
    if received_date is not None and received_date < convention.end_date:
        raise ValidationError({"received_date": _("A claim cannot be received before the convention ended.")})
    if amount_claimed is not None and amount_claimed > payment.amount:
        raise ValidationError({"amount_claimed": _(
            "The claim (%(claimed)s €) is above the balance due to this partner (%(due)s €)."
        ) % {"claimed": amount_claimed, "due": payment.amount}})
    claim = _save(PartnerClaim(convention=convention, partner=partner, received_date=received_date,
                               reference=reference, amount_claimed=amount_claimed), acting_user)
    # The CPAS pays what the partner claims, never more than the balance (circular of 31/01/2013 §3);
    # a smaller claim lowers the convention's balance and final amount alike, so advance + balance = final.
    reduction = payment.amount - amount_claimed
    if reduction:
        convention.balance_amount -= reduction
        convention.final_amount -= reduction
        _save(convention, acting_user)
    payment.amount = amount_claimed
    payment.status = PaymentStatus.DUE
    payment.reference = reference
    payment.due_date = received_date + timedelta(days=parameters.CLAIM_PAYMENT_DAYS.at(convention.conclusion_date))
    _save(payment, acting_user)
    return claim


@transaction.atomic
def payment_mark_paid(*, acting_user, payment, paid_date, reference="") -> Payment:
    # Lock the convention first, then the payment: the same order as every other write (no deadlock).
    convention = _locked(payment.convention)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.DUE:
        message = (_("This payment is already paid.") if payment.status == PaymentStatus.PAID
                   else _("This balance waits for the partner's claim."))
        raise ValidationError({"paid_date": message})
    if paid_date is None or paid_date < convention.conclusion_date:
        raise ValidationError({"paid_date": _("A payment cannot precede the conclusion of the convention.")})
    payment.status = PaymentStatus.PAID
    payment.paid_date = paid_date
    # The page and the API require the transfer's reference (it links the payment to the bank statement);
    # a payment recorded by another service may come without one and keeps the claim's reference.
    reference = (reference or "").strip()
    if reference:
        payment.reference = reference
    _save(payment, acting_user)
    _settle_if_done(convention, acting_user)
    return payment
