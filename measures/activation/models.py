"""The yearly social-activation subsidy of a CPAS (or of a cluster led by it) and its final reports
(DOMAIN.md §9, seed 002)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpas_portal.concurrency import version_field
from cpas_portal.models import Cpas

from . import parameters as p
from . import rules


class SubsidyKind(models.TextChoices):
    LARGE_CITY = rules.LARGE_CITY, _("CPAS of a large city or municipality")
    CLUSTER = rules.CLUSTER, _("Cluster of small CPAS")


def _amount(label, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class ActivationYear(models.Model):
    """One CPAS's social-activation subsidy for one calendar year: its e-convention, objectives and money.

    For a cluster the lead CPAS (the cluster's promoter) holds the file; the other members are listed.
    SPP IS pays the subsidy on the convention: the advance after signature, the balance after the final
    report's evaluation. Both are claim sources of the measure ``activation`` (``reimbursements.adapters``):
    the advance once the convention is signed, the balance once the final report is sent, each a claim
    line of the CPAS itself (no person). ``*_claim_reference`` names the claim holding each, so it is
    never claimed twice; what SPP IS actually paid is recorded as received.
    """

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of subsidy"), max_length=20, choices=SubsidyKind.choices)
    granted_amount = _amount(_("granted amount"), null=True, blank=True)
    allocation_source = models.CharField(_("source of the granted amount"), max_length=300, blank=True)
    cluster_members = models.ManyToManyField(
        Cpas, blank=True, related_name="+", verbose_name=_("other CPAS of the cluster"),
        help_text=_("For a cluster: the member CPAS other than this one, which leads the cluster."))
    description = models.TextField(_("specific social-activation initiatives"), max_length=p.DESCRIPTION_LENGTH,
                                   blank=True)
    # E-convention steps (seed 002).
    opened_on = models.DateField(_("e-convention application opened on"), null=True, blank=True)
    filed_on = models.DateField(_("convention filed on"), null=True, blank=True)
    analysed_on = models.DateField(_("analysed by the administration on"), null=True, blank=True)
    decided_on = models.DateField(_("decided by the Minister on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Objectives of the official table (art. 3 of the convention).
    objective_social_assessments = _count(_("objective: beneficiaries with a social assessment"))
    objective_piis_total = _count(_("objective: beneficiaries in social activation through a PIIS"))
    objective_piis_socio_professional = _count(_("objective: PIIS preparing a socio-professional path"))
    objective_piis_social_participation = _count(_("objective: PIIS of workshops or socialisation modules"))
    objective_piis_community_service = _count(_("objective: PIIS of community service or volunteering"))
    # Money received from SPP IS.
    advance_received_on = models.DateField(_("advance received on"), null=True, blank=True)
    advance_received_amount = _amount(_("advance received"), null=True, blank=True)
    report_sent_on = models.DateField(_("final report sent on"), null=True, blank=True)
    balance_received_on = models.DateField(_("balance received on"), null=True, blank=True)
    balance_received_amount = _amount(_("balance received"), null=True, blank=True)
    # Set by the claim that holds each instalment, cleared when that claim is cancelled or rejected.
    advance_claimed_at = models.DateTimeField(_("advance claimed at"), null=True, blank=True, editable=False)
    advance_claim_reference = models.CharField(_("advance claimed on"), max_length=60, blank=True, editable=False)
    balance_claimed_at = models.DateTimeField(_("balance claimed at"), null=True, blank=True, editable=False)
    balance_claim_reference = models.CharField(_("balance claimed on"), max_length=60, blank=True, editable=False)
    version = version_field()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[cluster_members])

    class Meta:
        verbose_name = _("social-activation subsidy")
        verbose_name_plural = _("social-activation subsidies")
        ordering = ["-year", "cpas__name_fr"]
        constraints = [
            models.UniqueConstraint(fields=["cpas", "year"], name="activation_one_per_cpas_year",
                violation_error_message=_("Your CPAS already has a social-activation subsidy for this year.")),
            models.CheckConstraint(condition=Q(kind__in=[rules.LARGE_CITY, rules.CLUSTER]),
                                   name="activation_kind_valid",
                                       violation_error_message=_("Unknown kind of social-activation subsidy.")),
            models.CheckConstraint(condition=Q(year__gte=2015) & Q(year__lte=2100), name="activation_year_valid",
                violation_error_message=_("The year must be from 2015 to 2100.")),
            models.CheckConstraint(condition=Q(granted_amount__isnull=True) | Q(granted_amount__gte=0),
                                   name="activation_granted_not_negative",
                                       violation_error_message=_("The amount granted cannot be negative.")),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(decided_on__isnull=True)
                | Q(signed_on__gte=models.F("decided_on")),
                name="activation_signed_after_decision",
                    violation_error_message=_("The convention cannot be signed before the decision.")),
        ]

    def __str__(self):
        return f"{self.year} — {self.get_kind_display()} — {self.cpas}"

    @property
    def instalments(self):
        if self.granted_amount is None:
            return None
        return rules.instalments(self.granted_amount, year=self.year)

    @property
    def report_due(self):
        return rules.report_deadline(self.year).due

    @property
    def filing_due(self):
        return rules.filing_deadline(self.opened_on).due if self.opened_on else None

    @property
    def signature_due(self):
        return rules.signature_deadline(self.decided_on).due if self.decided_on else None

    def objectives(self):
        return {
            "social_assessments": self.objective_social_assessments,
            "piis_total": self.objective_piis_total,
            "piis_socio_professional": self.objective_piis_socio_professional,
            "piis_social_participation": self.objective_piis_social_participation,
            "piis_community_service": self.objective_piis_community_service,
        }


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_REPORT_STATUSES = [ReportStatus.QUEUED, ReportStatus.RUNNING]


class ActivationReport(models.Model):
    """A final report of a social-activation year, made as a PDF by a background job.

    The realised figures are frozen on the report when it is made: later changes to PIIS never rewrite
    a report already given. Progress is written with ``update()`` during the job: no history of it.
    """

    activation = models.ForeignKey(ActivationYear, on_delete=models.PROTECT, related_name="reports",
                                   verbose_name=_("social-activation subsidy"))
    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    realised = models.JSONField(_("realised figures"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(_("pages"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("sent to the queue at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("social-activation final report")
        verbose_name_plural = _("social-activation final reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activation"], condition=Q(status__in=ACTIVE_REPORT_STATUSES),
                                    name="activation_report_one_active",
                violation_error_message=_("A final report is already being prepared for this subsidy.")),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="activation_report_status_valid",
                violation_error_message=_("Unknown report status.")),
            models.CheckConstraint(condition=Q(percent__lte=100), name="activation_report_percent_valid",
                violation_error_message=_("The progress cannot exceed 100 %.")),
        ]

    def __str__(self):
        return f"{_('Final report')} {self.activation.year} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.status in ACTIVE_REPORT_STATUSES

    @property
    def queue_state(self):
        """``waiting`` for the queue, ``stuck``, or the status: the same reading as the claim jobs."""
        from reimbursements.rules import job_state

        return job_state(
            status=self.status, dispatched_at=self.dispatched_at, heartbeat_at=self.heartbeat_at,
            now=timezone.now(), stale_after=timedelta(seconds=settings.CLAIM_JOB_STALE_SECONDS),
            unpicked_after=timedelta(seconds=settings.CLAIM_JOB_UNPICKED_SECONDS),
        )
