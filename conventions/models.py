"""Partnership conventions ("500 € measure"), their partners' shares, coaching hours, payments and claims.

Amounts are decided by ``rules.py`` and frozen here with the rule version and the parameters used
(``explanation``); editing a parameter later never rewrites a signed convention.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpas_portal.choices import ChoiceDisplay
from cpas_portal.concurrency import version_field
from cpas_portal.models import Beneficiary, Cpas, Organisation

from . import parameters
from .rules import ConventionStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class Methodology(models.TextChoices):
    JOB_SEARCH = "job_search", _("Active job search")
    JOB_COACHING = "job_coaching", _("Job coaching")
    BOTH = "both", _("Active job search and job coaching")


class Convention(ChoiceDisplay, models.Model):
    """An individual partnership convention: a coaching plan towards a job, with one or more partners."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="conventions", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="conventions", verbose_name=_("beneficiary")
    )
    conclusion_date = models.DateField(_("conclusion date"))
    planned_hours = models.PositiveIntegerField(_("planned coaching hours"))
    methodology = models.CharField(_("methodology"), max_length=20, choices=Methodology.choices)
    plan_assessment = models.BooleanField(_("socio-professional assessment"), default=False)
    plan_job_offers = models.BooleanField(_("learning to consult job offers"), default=False)
    plan_application_techniques = models.BooleanField(_("job-application and job-search techniques"), default=False)
    plan_work_attitudes = models.BooleanField(_("learning work attitudes"), default=False)
    plan_prospection = models.BooleanField(_("active prospection in firms"), default=False)
    plan_training = models.BooleanField(_("training (optional)"), default=False)
    insertion_measure_end = models.DateField(
        _("insertion measure ends on"), null=True, blank=True,
        help_text=_("Only when the person has no integration income nor equivalent aid: end of their insertion "
                    "measure (e.g. an art. 60 §7 contract)."),
    )
    in_private_employment_measure = models.BooleanField(
        _("already in an employment measure at a private firm"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True,
        help_text=_("For “employed before the end”: the start date of the employment contract."),
    )
    end_note = models.CharField(_("reason or note"), max_length=250, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for the cancellation"), max_length=250, blank=True)
    rule_version = models.CharField(_("rule version"), max_length=10, blank=True)
    form_b_tier = models.PositiveSmallIntegerField(_("form B code"), null=True, blank=True)
    agreed_amount = models.DecimalField(_("agreed amount"), null=True, blank=True, **MONEY)
    advance_amount = models.DecimalField(_("advance"), null=True, blank=True, **MONEY)
    final_amount = models.DecimalField(_("final amount"), null=True, blank=True, **MONEY)
    balance_amount = models.DecimalField(_("balance"), null=True, blank=True, **MONEY)
    explanation = models.JSONField(_("how computed"), default=dict, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("partnership convention")
        verbose_name_plural = _("partnership conventions")
        ordering = ["-conclusion_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConventionStatus.values), name="convention_status_valid",
                violation_error_message=_("Choose a valid status for the convention."),
            ),
            models.CheckConstraint(
                condition=Q(planned_hours__gt=0), name="convention_planned_hours_positive",
                violation_error_message=_("Enter a number of planned coaching hours above zero."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("conclusion_date")),
                name="convention_end_after_conclusion",
                violation_error_message=_("The end date cannot precede the conclusion date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=("draft", "cancelled")) | Q(agreed_amount__isnull=False,
                                                                   advance_amount__isnull=False),
                name="convention_signed_has_amounts",
                violation_error_message=_("A signed convention keeps the amounts decided when it was signed."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="convention_cancelled_has_reason",
                violation_error_message=_("A cancelled convention keeps when and why it was cancelled."),
            ),
        ]
        indexes = [models.Index(fields=["cpas", "status", "conclusion_date"], name="convention_cpas_status_idx"),
                   # The list's order within a CPAS (newest first), read from the index.
                   models.Index(fields=["cpas", "-conclusion_date", "-id"], name="convention_cpas_list_idx")]

    def __str__(self):
        return f"{self.beneficiary} — {self.conclusion_date.isoformat()}"

    @property
    def plan(self):
        return {name: getattr(self, name) for name in (
            "plan_assessment", "plan_job_offers", "plan_application_techniques", "plan_work_attitudes",
            "plan_prospection", "plan_training")}

    @property
    def is_draft(self):
        return self.status == ConventionStatus.DRAFT

    @property
    def is_closed(self):
        return self.status in (ConventionStatus.COMPLETED, ConventionStatus.EMPLOYED_EARLY,
                               ConventionStatus.STOPPED, ConventionStatus.SETTLED)

    @property
    def rule_version_label(self):
        return parameters.VERSION_LABELS.get(self.rule_version, self.rule_version)

    def explanation_lines(self):
        """The stored "how computed" lines with a label in the reader's language."""
        return [
            {**line, "label": parameters.LABELS.get(line["name"], line["name"]),
             "value_label": _shown_value(line["value"]),
             "since": date.fromisoformat(line["since"]) if line.get("since") else None}
            for line in self.explanation.get("parameters", [])
        ]


def _shown_value(value):
    """A number as a Decimal (so the page shows it in the reader's locale), a word by its label."""
    if value in parameters.VALUE_LABELS:
        return parameters.VALUE_LABELS[value]
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return value


class ConventionPartner(models.Model):
    """A partner of a convention and its share of the hours (and so of every payment), in percent."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="partners", verbose_name=_("convention")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="convention_partnerships",
        verbose_name=_("organisation"),
    )
    is_cpas = models.BooleanField(_("the CPAS itself"), default=False)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("convention partner")
        verbose_name_plural = _("convention partners")
        ordering = ["convention", "is_cpas", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_cpas=True, organisation__isnull=True) | Q(is_cpas=False, organisation__isnull=False),
                name="convention_partner_organisation_or_cpas",
                violation_error_message=_("Each partner is either an organisation or the CPAS itself."),
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=100), name="convention_partner_share_range",
                violation_error_message=_("A partner's share is above 0 % and at most 100 %."),
            ),
            models.UniqueConstraint(
                fields=["convention", "organisation"], name="convention_partner_unique",
                violation_error_message=_("The same partner is listed twice."),
            ),
            models.UniqueConstraint(
                fields=["convention"], condition=Q(is_cpas=True), name="convention_partner_cpas_once",
                violation_error_message=_("The CPAS itself can be a partner only once."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        if self.is_cpas:
            return str(_("The CPAS itself"))
        return self.organisation.name


class HoursStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CORRECTED = "corrected", _("Corrected")
    CANCELLED = "cancelled", _("Cancelled")


class CoachingHours(ChoiceDisplay, models.Model):
    """Coaching hours given by a partner on a day.

    A wrong entry is corrected or cancelled, never deleted: the entry keeps the reason of its last
    change and its history says who changed what and when. Cancelled entries count for nothing.
    """

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="hours_log", verbose_name=_("convention")
    )
    partner = models.ForeignKey(
        ConventionPartner, on_delete=models.PROTECT, related_name="hours_log", verbose_name=_("partner")
    )
    day = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=HoursStatus.choices, default=HoursStatus.RECORDED)
    reason = models.CharField(_("reason for the last change"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coaching hours")
        verbose_name_plural = _("coaching hours")
        ordering = ["day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="coaching_hours_positive",
                violation_error_message=_("Enter a number of hours above zero."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=HoursStatus.values), name="coaching_hours_status_valid",
                violation_error_message=_("Choose a valid status for these hours."),
            ),
            models.CheckConstraint(
                condition=Q(status="recorded") | ~Q(reason=""), name="coaching_hours_change_has_reason",
                violation_error_message=_("Say why these hours are corrected or cancelled."),
            ),
        ]
        indexes = [models.Index(fields=["convention", "status"], name="coaching_hours_conv_status_idx")]

    def __str__(self):
        return f"{self.day.isoformat()} {self.hours} h"

    @property
    def is_cancelled(self):
        return self.status == HoursStatus.CANCELLED


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", _("Advance")
    BALANCE = "balance", _("Balance")


class PaymentStatus(models.TextChoices):
    AWAITING_CLAIM = "awaiting_claim", _("Awaiting the partner's claim")
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")


class Payment(ChoiceDisplay, models.Model):
    """A payment of the CPAS to a partner under a convention: the advance, then the balance.

    The CPAS's own share (partner ``is_cpas``) is not paid out: it is kept, recorded as paid on its
    due date, and still claimed from SPP IS [interp, DOMAIN.md §5].
    """

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="payments", verbose_name=_("convention")
    )
    partner = models.ForeignKey(
        ConventionPartner, on_delete=models.PROTECT, related_name="payments", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    due_date = models.DateField(_("due date"))
    paid_date = models.DateField(_("paid on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.DUE)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("convention payment")
        verbose_name_plural = _("convention payments")
        ordering = ["due_date", "kind", "id"]
        constraints = [
            # One advance and one balance per partner: two simultaneous signatures cannot pay twice.
            models.UniqueConstraint(
                fields=["partner", "kind"], name="convention_payment_once_per_kind",
                violation_error_message=_("This partner already has this payment."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="convention_payment_status_valid",
                violation_error_message=_("Choose a valid status for the payment."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PaymentKind.values), name="convention_payment_kind_valid",
                violation_error_message=_("A payment is either the advance or the balance."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="convention_payment_amount_not_negative",
                violation_error_message=_("A payment cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status="paid", paid_date__isnull=False) | (~Q(status="paid") & Q(paid_date__isnull=True)),
                name="convention_payment_paid_has_date",
                violation_error_message=_("A paid payment has its payment date, and only a paid one."),
            ),
        ]
        indexes = [models.Index(fields=["status", "paid_date"], name="convention_payment_paid_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} € — {self.partner}"

    @property
    def cpas(self):
        return self.convention.cpas

    @property
    def beneficiary(self):
        return self.convention.beneficiary

    @property
    def organisation(self):
        return self.partner.organisation

    @property
    def kept_by_cpas(self):
        return self.partner.is_cpas


class PartnerClaim(models.Model):
    """A partner's claim for the balance (déclaration de créance / schuldvordering)."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="claims", verbose_name=_("convention")
    )
    partner = models.OneToOneField(
        ConventionPartner, on_delete=models.PROTECT, related_name="claim", verbose_name=_("partner")
    )
    received_date = models.DateField(_("received on"))
    reference = models.CharField(_("partner's reference"), max_length=60)
    amount_claimed = models.DecimalField(_("amount claimed"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner claim")
        verbose_name_plural = _("partner claims")
        ordering = ["received_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_claimed__gt=0), name="partner_claim_amount_positive",
                violation_error_message=_("Enter the amount claimed, above zero."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.partner}"
