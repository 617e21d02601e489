"""The CPAS financial interventions in the wage cost of a hired beneficiary (DOMAIN.md §8, seed 001 §4.3)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpas_portal.choices import ChoiceDisplay
from cpas_portal.concurrency import version_field
from cpas_portal.models import Beneficiary, Cpas, Organisation
from measures.models import ClaimFreeze, FirmEmployment

from . import rules
from .explain import render_all


class Programme(models.TextChoices):
    ACTIVA = rules.ACTIVA, _("Activa")
    INTERIM = rules.INTERIM, _("Intérim d'insertion")
    PTP = rules.PTP, _("Transition programme (PTP)")
    SINE = rules.SINE, _("SINE (social insertion economy)")


class DocumentKind(models.TextChoices):
    PAYSLIP = rules.PAYSLIP, _("Payslip")
    EMPLOYER_FORM = rules.EMPLOYER_FORM, _("Employer's monthly form")


class InterventionProgramme(models.Model):
    """One of the four programmes, with its legal source and up to when its amounts are confirmed.

    Seeded by a data migration with the decree each programme rests on; administrators keep the
    ``rates_confirmed_up_to`` date."""

    code = models.CharField(_("programme"), max_length=20, choices=Programme.choices, unique=True)
    legal_source = models.CharField(_("legal source"), max_length=400)
    rates_confirmed_up_to = models.DateField(
        _("amounts confirmed up to"), null=True, blank=True,
        help_text=_("An administrator has checked that no amount row changes a month up to this day."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financial-intervention programme")
        verbose_name_plural = _("financial-intervention programmes")
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()


class InterventionRate(models.Model):
    """The full-time monthly amount of a programme's financial intervention, in force from ``effective_date``.

    The seeds give no amount (they say only that Activa and intérim d'insertion amounts are equal and
    rounded, not indexed): administrators add the rows from the decrees, with their source."""

    programme = models.ForeignKey(InterventionProgramme, on_delete=models.PROTECT, related_name="rates",
                                  verbose_name=_("programme"))
    effective_date = models.DateField(_("in force from"))
    full_time_monthly_amount = models.DecimalField(
        _("monthly amount for full time"), max_digits=12, decimal_places=2,
        help_text=_("A part-time hire receives it pro rata of its regime."))
    source = models.CharField(_("source"), max_length=250)
    verified = models.BooleanField(_("verified against a published text"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financial-intervention amount")
        verbose_name_plural = _("financial-intervention amounts")
        ordering = ["programme", "-effective_date"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "effective_date"], name="intervention_rate_unique_date",
                violation_error_message=_("This programme already has an amount from this date.")),
            models.CheckConstraint(condition=Q(full_time_monthly_amount__gt=0), name="intervention_rate_positive",
                violation_error_message=_("The monthly amount must be above zero.")),
        ]

    def __str__(self):
        return f"{self.programme} {self.effective_date.isoformat()}: {self.full_time_monthly_amount}"


class Hire(ChoiceDisplay, models.Model):
    """A beneficiary hired by an employer under one of the programmes, the CPAS paying part of the wage."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="intervention_hires",
                                    verbose_name=_("beneficiary"))
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="intervention_hires",
                                 verbose_name=_("employer"))
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty while the contract lasts."))
    regime = models.DecimalField(_("work regime (fraction of full time)"), max_digits=4, decimal_places=3,
                                 default=Decimal("1.000"), help_text=_("1 = full time, 0,5 = half time."))
    firm_employment = models.ForeignKey(
        FirmEmployment, on_delete=models.PROTECT, null=True, blank=True, related_name="intervention_hires",
        verbose_name=_("employment by a private firm (art. 61)"),
        help_text=_("Optional: the same job recorded for the art. 61 tutoring premium, which may be granted "
                    "alongside."))
    version = version_field()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("hire with a financial intervention")
        verbose_name_plural = _("hires with a financial intervention")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(regime__gt=0) & Q(regime__lte=1), name="intervention_hire_regime",
                violation_error_message=_("The regime must be above 0 and at most 1 (full-time).")),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="intervention_hire_end_after_start",
                                       violation_error_message=_("The end cannot be before the start.")),
        ]
        indexes = [
            models.Index(fields=["cpas", "start"], name="intervention_hire_cpas_idx"),
            models.Index(fields=["cpas", "end"], name="intervention_hire_end_idx"),
            models.Index(fields=["beneficiary", "start"], name="intervention_hire_person_idx"),
        ]

    def __str__(self):
        return _("%(programme)s — %(name)s at %(employer)s") % {
            "programme": self.get_programme_display(), "name": self.beneficiary, "employer": self.employer}

    @property
    def paid_to(self):
        return rules.PAID_TO[self.programme]

    @property
    def paid_to_worker(self):
        return self.paid_to == rules.WORKER

    @property
    def supporting_document(self):
        return rules.SUPPORTING_DOCUMENT[self.programme]


class InterventionPayment(ClaimFreeze):
    """The intervention of one calendar month of a hire, on its supporting document, frozen once claimed."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    hire = models.ForeignKey(Hire, on_delete=models.PROTECT, related_name="payments", verbose_name=_("hire"))
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="intervention_payments",
                                    verbose_name=_("beneficiary"))
    month = models.DateField(_("month"), help_text=_("First day of the calendar month."))
    document_kind = models.CharField(_("supporting document"), max_length=20, choices=DocumentKind.choices)
    document_date = models.DateField(_("document date"))
    document_reference = models.CharField(_("document reference"), max_length=60)
    net_pay_due = models.DecimalField(_("net pay due for the month"), max_digits=12, decimal_places=2)
    unpaid_absence = models.BooleanField(_("unpaid absence in the month"), default=False)
    full_time_amount = models.DecimalField(_("full-time monthly amount used"), max_digits=12, decimal_places=2)
    rate_since = models.DateField(_("amount row in force from"))
    regime = models.DecimalField(_("work regime"), max_digits=4, decimal_places=3)
    days_covered = models.PositiveSmallIntegerField(_("days covered"))
    days_in_month = models.PositiveSmallIntegerField(_("days in the month"))
    amount = models.DecimalField(_("intervention"), max_digits=12, decimal_places=2)
    paid_to = models.CharField(_("paid to"), max_length=20)
    legal_basis = models.CharField(_("legal basis"), max_length=250)
    legislation = models.CharField(_("legislation"), max_length=4,
                                   help_text=_("Of the person's right in force on the month: 2002 or 1965."))
    explanation = models.JSONField(_("how it was computed"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financial-intervention payment")
        verbose_name_plural = _("financial-intervention payments")
        ordering = ["month", "hire_id"]
        constraints = [
            models.UniqueConstraint(fields=["hire", "month"], name="intervention_payment_unique_month",
                violation_error_message=_("A payment is already recorded for this month.")),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(net_pay_due__gte=0),
                                   name="intervention_payment_not_negative",
                                       violation_error_message=_("The amounts cannot be negative.")),
        ]
        indexes = [models.Index(fields=["cpas", "month"], name="intervention_payment_cpas_idx")]

    def __str__(self):
        return f"H{self.hire_id} {self.month:%Y-%m}: {self.amount}"

    @property
    def capped(self):
        return any(reason.get("code") == "net_pay_cap" for reason in self.explanation)

    @property
    def explanation_lines(self):
        return render_all(self.explanation)
