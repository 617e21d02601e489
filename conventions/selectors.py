"""Reads of partnership conventions, always starting from the user's CPAS."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.lookups import IsNull
from django.utils import formats
from django.utils.translation import gettext as _

from cpas_portal.aggregates import built_once, child_sum
from cpas_portal.compiled import compiled
from cpas_portal.models import Organisation
from cpas_portal.pagination import first_page_with_count
from cpas_portal.tenancy import compiled_get_or_404, get_in_cpas_or_404, scoped

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


def _overdue_balances(today):
    return Payment.objects.filter(
        convention=OuterRef("pk"), kind=PaymentKind.BALANCE, due_date__lt=today,
    ).exclude(status=PaymentStatus.PAID)


@built_once
def _hours_done():
    return child_sum(CoachingHours.objects.exclude(status=HoursStatus.CANCELLED), "convention", "hours",
                     output_field=DecimalField(), default=Decimal("0"))


def convention_list(*, cpas, today: date, status="", partner="", start=None, end=None, overdue=False):
    """Conventions of ``cpas`` with their hours done; filters: status, partner (organisation id or
    ``"cpas"``), conclusion period, and balances not paid by their due date (``overdue``)."""
    queryset = scoped(Convention.objects.select_related("beneficiary"), cpas).annotate(
        hours_done=_hours_done(),
        # A scalar subquery (the first such payment) rather than EXISTS: PostgreSQL reads an EXISTS for 10,000
        # rows as one hashed scan of every overdue balance, where the page needs it for its 25 rows.
        has_overdue_balance=IsNull(Subquery(_overdue_balances(today).values("pk")[:1]), False),
    ).prefetch_related(Prefetch("partners", queryset=_partners()))
    if status:
        queryset = queryset.filter(status=status)
    if partner == "cpas":
        queryset = queryset.filter(partners__is_cpas=True)
    elif partner:
        queryset = queryset.filter(partners__organisation_id=partner)
    if start:
        queryset = queryset.filter(conclusion_date__gte=start)
    if end:
        queryset = queryset.filter(conclusion_date__lte=end)
    if overdue:
        queryset = queryset.filter(has_overdue_balance=True)
    return queryset.order_by("-conclusion_date", "-id")


def _partners():
    return ConventionPartner.objects.select_related("organisation")


def convention_rows(*, cpas, today, order, fields, **criteria):
    """The rows of :func:`convention_list` with only ``fields``, in ``order``, without their partners: a page reads
    its own (:func:`with_partners`)."""
    return convention_list(cpas=cpas, today=today, **criteria).only(*fields).prefetch_related(None).order_by(*order)


@compiled
def convention_first_page(cpas_id, today, *, order, fields, per_page):
    """The convention list as it opens (no filter): its first ``per_page`` rows (:func:`convention_rows`), each with
    the list's capped count (``pagination.first_page_with_count``). One query compiled once per process for each
    order."""
    return first_page_with_count(convention_rows(cpas=cpas_id, today=today, order=order, fields=fields), per_page)


def with_partners(conventions):
    """``conventions`` (a list) with their partners and organisations read in one query and left as
    ``prefetch_related("partners")`` leaves them, without the queryset it builds for each convention (a list page
    of 25 conventions spent more on those than on its rows)."""
    conventions = list(conventions)
    found = {convention.pk: [] for convention in conventions}
    if found:
        for partner in _partners().filter(convention_id__in=list(found)):
            found[partner.convention_id].append(partner)
    for convention in conventions:
        partners = QuerySet(model=ConventionPartner)
        partners._result_cache, partners._prefetch_done = found[convention.pk], True
        for partner in partners._result_cache:
            partner.convention = convention
        convention._prefetched_objects_cache = {"partners": partners}
    return conventions


@compiled
def _convention_in(cpas_id, pk):
    return Convention.objects.select_related("beneficiary", "cpas").filter(cpas_id=cpas_id, pk=pk)


def convention_get(*, cpas, pk):
    return compiled_get_or_404(_convention_in, cpas, pk)


def partner_get(*, convention, pk):
    return get_in_cpas_or_404(
        ConventionPartner.objects.select_related("organisation", "convention"), convention, "convention", pk=pk
    )


def convention_payment_get(*, convention, pk):
    return get_in_cpas_or_404(Payment.objects.select_related("partner__organisation"), convention, "convention", pk=pk)


def partner_organisations(*, cpas):
    """Organisations of the CPAS's directory that may be partners of a convention."""
    return scoped(Organisation.objects.all(), cpas).order_by("name", "id")


def payment_list(*, cpas):
    return scoped(
        Payment.objects.select_related("convention__beneficiary", "partner__organisation"), cpas, "convention__cpas"
    ).order_by("due_date", "id")


def payment_get(*, cpas, pk):
    return get_in_cpas_or_404(Payment.objects.select_related("convention", "partner__organisation"), cpas,
                              "convention__cpas", pk=pk)


def claim_list(*, cpas):
    return scoped(PartnerClaim.objects.select_related("partner__organisation", "convention"), cpas,
                  "convention__cpas").order_by("received_date", "id")


def reimbursable_payments(*, cpas, start: date, end: date):
    """What the CPAS paid under the measure with a paid date in [start, end], to claim from SPP IS.

    Each row gives its CPAS (``convention.cpas``), beneficiary (``convention.beneficiary``), partner
    (``partner.organisation``; ``partner.is_cpas`` for the CPAS's own share, kept and counted as paid on
    its due date), ``kind`` (advance/balance), ``amount``, ``due_date``, ``paid_date`` and ``status``.
    The convention's ``rule_version``, ``form_b_tier`` and ``explanation`` say how the amounts were computed.
    """
    return scoped(Payment.objects.all(), cpas, "convention__cpas").filter(
        status=PaymentStatus.PAID, paid_date__gte=start, paid_date__lte=end,
    ).select_related("convention__cpas", "convention__beneficiary", "partner__organisation").order_by(
        "paid_date", "id")


@dataclass
class PartnerRow:
    """One partner on the detail page: its share, hours, and the amounts paid and still due."""

    partner: ConventionPartner
    hours: Decimal
    advance: Payment | None
    balance: Payment | None
    claim: PartnerClaim | None

    @property
    def paid(self):
        return sum((payment.amount for payment in (self.advance, self.balance)
                    if payment and payment.status == PaymentStatus.PAID), Decimal("0.00"))

    @property
    def due(self):
        return sum((payment.amount for payment in (self.advance, self.balance)
                    if payment and payment.status != PaymentStatus.PAID), Decimal("0.00"))


def partner_rows(convention):
    return _partner_facts(convention)[0]


def _partner_facts(convention, payments=None, claims=None, partners=None, log=None):
    """The partner rows and the hours done (the sum of every partner's): one query for the hours, none when the
    convention's ``log`` of hours (every entry, :func:`hours_log`) is read already."""
    if partners is None:
        partners = list(convention.partners.select_related("organisation").order_by("id"))
    if log is None:
        hours = dict(CoachingHours.objects.filter(convention=convention).exclude(
            status=HoursStatus.CANCELLED).values_list("partner").annotate(
            total=Sum("hours")).values_list("partner", "total"))
    else:
        hours = {}
        for entry in log:
            if entry.status != HoursStatus.CANCELLED:
                hours[entry.partner_id] = hours.get(entry.partner_id, Decimal("0")) + entry.hours
    payments = {(payment.partner_id, payment.kind): payment
                for payment in (convention.payments.all() if payments is None else payments)}
    claims = {claim.partner_id: claim for claim in (convention.claims.all() if claims is None else claims)}
    rows = [
        PartnerRow(partner, hours.get(partner.pk, Decimal("0")), payments.get((partner.pk, PaymentKind.ADVANCE)),
                   payments.get((partner.pk, PaymentKind.BALANCE)), claims.get(partner.pk))
        for partner in partners
    ]
    return rows, sum(hours.values(), Decimal("0"))


def convention_page(convention):
    """What the detail page shows besides the convention: ``partner_rows``, ``hours_done``, ``hours_log`` and
    ``timeline``. The partners are read once with their organisations, and the payments, claims and hours carry
    them rather than joining them again (a partner of these is one of the convention's); the payments and claims
    are read once for the rows and the timeline alike, the hours once for the log and the hours done."""
    partners = list(convention.partners.select_related("organisation").order_by("id"))
    by_pk = {partner.pk: partner for partner in partners}
    payments = _with_partners(convention.payments.all(), by_pk)
    claims = _with_partners(convention.claims.all(), by_pk)
    log = _with_partners(convention.hours_log.order_by("-day", "-id"), by_pk)
    rows, hours = _partner_facts(convention, payments=payments, claims=claims, partners=partners, log=log)
    return {"partner_rows": rows, "hours_done": hours, "hours_log": log,
            "timeline": timeline(convention, payments=payments, claims=claims, log=log)}


def _with_partners(rows, partners):
    """``rows`` (payments, claims or hours of a convention) with the partner objects of ``partners`` by key."""
    rows = list(rows)
    for row in rows:
        if row.partner_id in partners:
            row.partner = partners[row.partner_id]
    return rows


def hours_log(convention):
    return convention.hours_log.select_related("partner__organisation").order_by("-day", "-id")


def hours_done(convention) -> Decimal:
    """The coaching hours that count: every entry but the cancelled ones."""
    return convention.hours_log.exclude(status=HoursStatus.CANCELLED).aggregate(
        total=Sum("hours"))["total"] or Decimal("0")


def hours_entry_get(*, convention, pk):
    return get_in_cpas_or_404(CoachingHours.objects.select_related("partner__organisation", "convention"),
                              convention, "convention", pk=pk)


def sign_blockers(convention):
    """What still keeps a draft from being signed, before anyone clicks: the required plan elements not
    ticked (with the rule's source) and a missing methodology. The service checks them again on signing."""
    missing = [{"field": name, "label": Convention._meta.get_field(name).verbose_name,
                "source": parameters.PLAN_CONTENT_SOURCE}
               for name in rules.missing_plan_elements(convention.plan)]
    if not convention.methodology:
        missing.append({"field": "methodology", "label": Convention._meta.get_field("methodology").verbose_name,
                        "source": parameters.AR_2004})
    return missing


def hours_history(convention):
    """Corrections and cancellations of the convention's hours, newest first, with who and when."""
    return (CoachingHours.history.filter(convention_id=convention.pk)
            .exclude(status=HoursStatus.RECORDED).select_related("history_user")
            .order_by("-history_date", "-history_id"))


def timeline(convention, *, payments=None, claims=None, log=None):
    """What happened, oldest first: status changes (who, when), claims received, payments made, hours corrected or
    cancelled. ``payments``, ``claims`` and ``log`` (its hours): the convention's, in their usual order with their
    partner's organisation, when read already."""
    events = []
    previous = None
    # Status changes are placed on their legal date (conclusion, end), and say who recorded them when.
    legal_day = {"signed": convention.conclusion_date, "completed": convention.end_date,
                 "employed_early": convention.end_date, "stopped": convention.end_date}
    for record in convention.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.status != previous:
            recorded = record.history_date.date()
            if previous is None:
                label, day = _("Created as a draft"), min(recorded, convention.conclusion_date)
            else:
                label, day = record.get_status_display(), legal_day.get(record.status) or recorded
            if record.status == "cancelled" and record.cancel_reason:
                label = _("%(status)s: %(reason)s") % {"status": label, "reason": record.cancel_reason}
            events.append({"day": day, "when": record.history_date, "label": label, "user": record.history_user})
            previous = record.status
    if claims is None:
        claims = convention.claims.select_related("partner__organisation")
    for claim in claims:
        events.append({"day": claim.received_date, "when": claim.received_date, "user": None,
                       "label": _("Claim of %(partner)s received (%(reference)s)") % {
                           "partner": claim.partner.name, "reference": claim.reference},
                       "amount": claim.amount_claimed})
    if payments is None:
        payments = convention.payments.select_related("partner__organisation")
    for payment in (payment for payment in payments
                    if payment.status == PaymentStatus.PAID and not payment.partner.is_cpas):
        events.append({"day": payment.paid_date, "when": payment.paid_date, "user": None, "amount": payment.amount,
                       "label": _("%(kind)s paid to %(partner)s") % {"kind": payment.get_kind_display(),
                                                                     "partner": payment.partner.name}})
    # An entry corrected or cancelled keeps that status (no service sets it back, none deletes an entry): a log
    # without one has no correction to tell.
    corrected = log is None or any(entry.status != HoursStatus.RECORDED for entry in log)
    for record in hours_history(convention) if corrected else ():
        values = {"day": formats.date_format(record.day, "SHORT_DATE_FORMAT"),
                  "hours": formats.localize(record.hours.normalize()), "reason": record.reason}
        label = (_("Hours of %(day)s corrected to %(hours)s h: %(reason)s") if record.status == HoursStatus.CORRECTED
                 else _("Hours of %(day)s (%(hours)s h) cancelled: %(reason)s")) % values
        events.append({"day": record.history_date.date(), "when": record.history_date, "user": record.history_user,
                       "label": label})
    return sorted(events, key=lambda event: event["day"])


@compiled
def _conventions_of(cpas_id, beneficiary_id):
    return _person_conventions().filter(cpas_id=cpas_id, beneficiary_id=beneficiary_id)


def person_conventions(*, beneficiary):
    """Every convention of ``beneficiary`` (in their CPAS), newest first (a list), with what was paid on it: one
    query, compiled once per process."""
    return _conventions_of(beneficiary.cpas_id, beneficiary.pk)


@built_once
def _person_conventions():
    return Convention.objects.annotate(paid_total=_paid_total()).order_by("-conclusion_date", "-id")


@built_once
def _paid_total():
    return child_sum(Payment.objects.filter(status=PaymentStatus.PAID), "convention", "amount",
                     default=Decimal("0.00"))
