"""The individualised social-integration project (PIIS/GPMI) and its evaluations (DOMAIN.md §4)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpas_portal.choices import ChoiceDisplay
from cpas_portal.concurrency import version_field
from cpas_portal.models import Beneficiary, Cpas, Organisation


class PiisKind(models.TextChoices):
    # The three types the social-activation report counts (seed 002).
    SOCIO_PROFESSIONAL = "socio_professional", _("Socio-professional path")
    SOCIAL_PARTICIPATION = "social_participation", _("Autonomy and social participation")
    COMMUNITY_SERVICE = "community_service", _("Community service")


class PiisOutcome(models.TextChoices):
    STRONGER_AUTONOMY = "stronger_autonomy", _("Stronger autonomy")
    SOCIO_PROFESSIONAL_PATH = "socio_professional_path", _("Socio-professional path")
    JOB = "job", _("Job")
    COMMUNITY_SERVICE = "community_service", _("Community service or volunteering")
    NONE = "none", _("None")


class PiisStatus(models.TextChoices):
    DRAFT = "draft", _("Being negotiated")
    SIGNED = "signed", _("Signed")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class Piis(ChoiceDisplay, models.Model):
    """A contract between the CPAS and a beneficiary, third parties may join (law of 26 May 2002, art. 11)."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="piis_set", verbose_name=_("beneficiary")
    )
    kind = models.CharField(_("type"), max_length=30, choices=PiisKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=PiisStatus.choices, default=PiisStatus.DRAFT)
    applied_on = models.DateField(_("application date"), null=True, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    signed_on = models.DateField(_("signature date"), null=True, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    third_parties = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("third parties")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=PiisOutcome.choices, blank=True)
    version = version_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[third_parties])

    class Meta:
        verbose_name = _("PIIS")
        verbose_name_plural = _("PIIS")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="piis_end_after_start",
                    violation_error_message=_("The end of the PIIS cannot be before its start."),
            ),
        ]
        indexes = [
            models.Index(fields=["cpas", "status", "end"], name="piis_cpas_status_end_idx"),
            models.Index(fields=["beneficiary", "start"], name="piis_person_idx"),
            # The list's order within a CPAS (newest first), read from the index.
            models.Index(fields=["cpas", "-start", "-id"], name="piis_cpas_list_idx"),
        ]

    def __str__(self):
        return f"PIIS {self.get_kind_display()} — {self.beneficiary}"


class Evaluation(ChoiceDisplay, models.Model):
    """An evaluation meeting of a PIIS or of an art. 60 §7 placement: planned on ``planned_on``,
    recorded as held on ``held_on`` (face to face or not, by whom, notes)."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("beneficiary")
    )
    piis = models.ForeignKey(
        Piis, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluations", verbose_name=_("PIIS")
    )
    placement = models.ForeignKey(
        "measures.Placement", on_delete=models.CASCADE, null=True, blank=True, related_name="evaluations",
        verbose_name=_("art. 60 §7 placement"),
    )
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    planned_time = models.TimeField(_("planned time"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    face_to_face = models.BooleanField(_("face to face"), default=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["beneficiary", "planned_on", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(piis__isnull=False) & Q(placement__isnull=True))
                | (Q(piis__isnull=True) & Q(placement__isnull=False)),
                name="evaluation_of_one_measure",
                    violation_error_message=_("An evaluation belongs either to a PIIS or to a placement, not both."),
            ),
            models.CheckConstraint(
                condition=Q(planned_on__isnull=False) | Q(held_on__isnull=False), name="evaluation_dated",
                    violation_error_message=_("Give the planned date or the date it was held.")
            ),
            # Planning runs every day: one planned meeting per measure and date, whatever runs twice.
            models.UniqueConstraint(fields=["piis", "planned_on"], condition=Q(planned_on__isnull=False),
                                    name="evaluation_piis_planned_once",
                violation_error_message=_("An evaluation is already planned on this day for this PIIS.")),
            models.UniqueConstraint(fields=["placement", "planned_on"], condition=Q(planned_on__isnull=False),
                                    name="evaluation_placement_planned_once",
                violation_error_message=_("An evaluation is already planned on this day for this placement.")),
        ]
        indexes = [
            models.Index(fields=["cpas", "held_on", "planned_on"], name="evaluation_agenda_idx"),
        ]

    def __str__(self):
        return f"{_('Evaluation')} {self.held_on or self.planned_on}"
