"""Employment measures: RIS amounts (the reference of most subsidies), art. 60 §7, art. 61, budgets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpas_portal.choices import ChoiceDisplay
from cpas_portal.concurrency import version_field
from cpas_portal.models import Beneficiary, Cpas, Organisation

from . import rules
from .explain import render_all


class RisAmount(models.Model):
    """Monthly integration income amounts in force from ``effective_date`` (law of 26 May 2002, art. 14).

    Indexed and raised by decree; administrators add and correct rows. ``verified`` says whether a
    published table states the row (True) or it was derived from bases and coefficients (False).
    """

    effective_date = models.DateField(_("in force from"), unique=True)
    category_1 = models.DecimalField(_("category 1 (cohabitant)"), max_digits=12, decimal_places=2)
    category_2 = models.DecimalField(_("category 2 (single)"), max_digits=12, decimal_places=2)
    category_3 = models.DecimalField(_("category 3 (family)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=250)
    verified = models.BooleanField(_("verified against a published table"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("integration income amounts")
        verbose_name_plural = _("integration income amounts")
        ordering = ["-effective_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category_1__gt=0) & Q(category_2__gt=0) & Q(category_3__gt=0),
                name="ris_amounts_positive",
                    violation_error_message=_("The integration income amounts must be above zero."),
            )
        ]

    def __str__(self):
        return f"RIS {self.effective_date.isoformat()}"

    def clean(self):
        if self.category_1 and self.category_2 and self.category_1 > self.category_2:
            raise ValidationError(_("Category 1 is never above category 2."))

    def amount_for(self, category):
        return {1: self.category_1, 2: self.category_2, 3: self.category_3}[int(category)]


class MinimumWage(models.Model):
    """Guaranteed average minimum monthly wage (RMMMG/GGMMI), full-time, of one age and seniority band.

    Caps the increased social-economy subsidy (AR of 11 July 2002). Set by the National Labour
    Council's collective agreement no. 43 and indexed; administrators add and correct rows. Until
    2022-04-01 the amount depended on the worker's age and seniority at the employer (CCT 43, CCT 50
    for under-21s): the rows sharing one ``effective_date`` form the scale in force from that day,
    each row the amount guaranteed from ``min_age`` years with ``min_seniority_months`` of seniority
    (see ``minimum_wage.py`` for which row a placement uses).
    """

    effective_date = models.DateField(_("in force from"))
    min_age = models.DecimalField(_("from the age of (years)"), max_digits=3, decimal_places=1,
                                  default=Decimal("18.0"), help_text=_("21,5 = 21 years and 6 months."))
    min_seniority_months = models.PositiveSmallIntegerField(_("with a seniority at the employer of (months)"),
                                                            default=0)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=250)
    verified = models.BooleanField(_("verified against two public sources"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guaranteed average minimum monthly wage")
        verbose_name_plural = _("guaranteed average minimum monthly wages")
        ordering = ["-effective_date", "min_age", "min_seniority_months"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="minimum_wage_positive",
                violation_error_message=_("The minimum wage must be above zero.")),
            models.UniqueConstraint(fields=["effective_date", "min_age", "min_seniority_months"],
                                    name="minimum_wage_unique_band",
                violation_error_message=_("This age and seniority row already has an amount from this date.")),
        ]

    def __str__(self):
        return f"RMMMG {self.effective_date.isoformat()} {self.min_age}/{self.min_seniority_months}"


class AmountTable(models.TextChoices):
    RIS = "ris", _("Integration income amounts (RIS)")
    MINIMUM_WAGE = "minimum_wage", _("Guaranteed average minimum monthly wage (RMMMG)")


class TableConfirmation(models.Model):
    """Up to which day an administrator has confirmed that an amount table holds every row in force.

    A month past ``confirmed_up_to`` still computes with the table's last row, but its line is marked
    "not confirmed" and a claim holding it cannot be signed (DOMAIN.md §6).
    """

    table = models.CharField(_("table"), max_length=20, choices=AmountTable.choices, unique=True)
    confirmed_up_to = models.DateField(_("rows confirmed up to"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("amount table confirmation")
        verbose_name_plural = _("amount table confirmations")
        ordering = ["table"]
        constraints = [models.CheckConstraint(condition=Q(table__in=AmountTable.values),
                                              name="table_confirmation_table_valid",
                                                  violation_error_message=_("Unknown amount table."))]

    def __str__(self):
        return f"{self.get_table_display()}: {self.confirmed_up_to.isoformat()}"


class Workplace(models.TextChoices):
    CPAS = "cpas", _("At the CPAS itself")
    OTHER_USER = "other_user", _("Another user organisation (e.g. a non-profit)")
    PRIVATE_FIRM = "private_firm", _("A private firm")
    SOCIAL_ECONOMY = "social_economy", _("A social-economy initiative")


class Scheme(models.TextChoices):
    NORMAL = rules.NORMAL, _("Normal subsidy")
    SOCIAL_ECONOMY = rules.SOCIAL_ECONOMY, _("Increased subsidy (social economy)")


class PlacementStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    APPROVED = rules.APPROVED, _("Approved")
    ENDED = rules.ENDED, _("Ended")
    CANCELLED = rules.CANCELLED, _("Cancelled")


class Placement(ChoiceDisplay, models.Model):
    """An art. 60 §7 placement: the CPAS employs the beneficiary, who works at the workplace."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="placements", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="placements",
                                    verbose_name=_("beneficiary"))
    workplace = models.CharField(_("workplace"), max_length=20, choices=Workplace.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="placements", verbose_name=_("user organisation"))
    concluded_on = models.DateField(
        _("contract concluded (signed) on"), null=True, blank=True,
        help_text=_("The signature date decides whether the contract keeps the regime before the budgets of "
                    "15/03/2013; empty: the start."))
    start = models.DateField(_("contract start"))
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    regime = models.DecimalField(_("work regime (fraction of full time)"), max_digits=4, decimal_places=3,
                                 default=Decimal("1.000"), help_text=_("1 = full time, 0,8 = 4/5, 0,5 = half time."))
    counts_as_full_time = models.BooleanField(
        _("opens full unemployment rights (counts as full-time)"), default=True,
        help_text=_("A 4/5 regime that opens full unemployment rights counts as full-time."))
    scheme = models.CharField(_("subsidy"), max_length=20, choices=Scheme.choices, default=Scheme.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=PlacementStatus.choices,
                              default=PlacementStatus.DRAFT)
    trial = models.BooleanField(_("trial period at the private firm"), default=False,
                                help_text=_("A placement at a private firm may serve as a trial of 1 to 6 months."))
    cooperation_convention_date = models.DateField(
        _("cooperation convention with the firm"), null=True, blank=True,
        help_text=_("Needed for the art. 61 tutoring premium."))
    se_convention_date = models.DateField(_("written convention with the initiative"), null=True, blank=True)
    se_staff_count = models.PositiveIntegerField(_("staff count stated by the initiative"), null=True, blank=True)
    se_staff_not_reduced = models.BooleanField(_("the initiative undertakes not to reduce its staff"), default=False)
    se_new_additional_job = models.BooleanField(_("new and additional job (no replacement)"), default=False)
    se_no_service_vouchers = models.BooleanField(_("no service-voucher activity"), default=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("art. 60 §7 placement")
        verbose_name_plural = _("art. 60 §7 placements")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PlacementStatus.values), name="placement_status_valid",
                violation_error_message=_("Unknown placement status.")),
            models.CheckConstraint(condition=Q(scheme__in=Scheme.values), name="placement_scheme_valid",
                violation_error_message=_("Unknown subsidy scheme.")),
            models.CheckConstraint(condition=Q(workplace__in=Workplace.values), name="placement_workplace_valid",
                violation_error_message=_("Unknown workplace.")),
            models.CheckConstraint(condition=Q(regime__gt=0) & Q(regime__lte=1), name="placement_regime_valid",
                violation_error_message=_("The regime must be above 0 and at most 1 (full-time).")),
            models.CheckConstraint(condition=Q(planned_end__gte=models.F("start")),
                                   name="placement_planned_end_after_start",
                                       violation_error_message=_("The planned end cannot be before the start.")),
            models.CheckConstraint(condition=Q(actual_end__isnull=True) | Q(actual_end__gte=models.F("start")),
                                   name="placement_actual_end_after_start",
                                       violation_error_message=_("The actual end cannot be before the start.")),
        ]
        indexes = [models.Index(fields=["cpas", "status", "start"], name="placement_cpas_status_idx"),
                   # The list's order within a CPAS (newest first): the page reads its rows from the index.
                   models.Index(fields=["cpas", "-start", "-id"], name="placement_cpas_list_idx")]

    def __str__(self):
        return _("Placement %(id)s — %(name)s") % {"id": self.pk, "name": self.beneficiary}

    @property
    def end(self):
        return self.actual_end or self.planned_end


class PlacementPay(models.Model):
    """A pay period: the worker's gross monthly pay from ``effective_date`` (for the full regime worked) to the
    day before the next period. A pay of 0 is an unpaid absence: its days are not covered by the subsidy."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="pay_changes",
                                  verbose_name=_("placement"))
    effective_date = models.DateField(_("from"))
    gross_monthly_pay = models.DecimalField(_("gross monthly pay"), max_digits=12, decimal_places=2)
    gross_wage_cost = models.DecimalField(
        _("monthly gross wage cost"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Gross pay plus the employer's costs, for a full month. Caps the under-25 increase; "
                    "empty: the gross pay."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gross pay")
        verbose_name_plural = _("gross pay changes")
        ordering = ["effective_date"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "effective_date"], name="placement_pay_unique_date",
                violation_error_message=_("Another pay period already starts on this day.")),
            models.CheckConstraint(condition=Q(gross_monthly_pay__gte=0), name="placement_pay_not_negative",
                violation_error_message=_("The gross pay cannot be negative.")),
            models.CheckConstraint(condition=Q(gross_wage_cost__isnull=True) | Q(gross_wage_cost__gte=0),
                                   name="placement_pay_wage_cost_not_negative",
                                       violation_error_message=_("The gross wage cost cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.effective_date.isoformat()}: {self.gross_monthly_pay}"


class ClaimFreeze(models.Model):
    """Once claimed from SPP IS, a line is frozen: regeneration never rewrites it."""

    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_reference = models.CharField(_("claim reference"), max_length=60, blank=True)

    class Meta:
        abstract = True

    @property
    def claimed(self):
        return self.claimed_at is not None


class MonthlySubsidy(ClaimFreeze):
    """The subsidy of one calendar month of a placement, with how it was computed (frozen once claimed)."""

    # The CPAS and the placement are served by the indexes that begin with them (CPAS and month, placement and
    # month): an index of their own would only be one more to write for each month computed or claimed.
    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="monthly_subsidies",
                             verbose_name=_("CPAS"), db_index=False)
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="monthly_subsidies",
                                  verbose_name=_("placement"), db_index=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="monthly_subsidies",
                                    verbose_name=_("beneficiary"))
    month = models.DateField(_("month"), help_text=_("First day of the calendar month."))
    amount = models.DecimalField(_("subsidy"), max_digits=12, decimal_places=2, null=True, blank=True,
                                 help_text=_("Empty when a parameter is missing for the month."))
    scheme = models.CharField(_("subsidy"), max_length=20, choices=Scheme.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=250)
    rule_set = models.CharField(_("rule set"), max_length=40)
    days_covered = models.PositiveSmallIntegerField(_("days covered"))
    days_in_month = models.PositiveSmallIntegerField(_("days in the month"))
    gross_pay = models.DecimalField(_("gross pay of the month"), max_digits=12, decimal_places=2)
    counts_against_budget = models.BooleanField(_("counts against the social-economy budget"), default=False)
    unconfirmed_rows = models.CharField(
        _("table rows not confirmed for this month"), max_length=120, blank=True,
        help_text=_("e.g. minimum_wage@2025-02-01: the month is past the table's confirmed date."))
    explanation = models.JSONField(_("how it was computed"), default=list)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly subsidy")
        verbose_name_plural = _("monthly subsidies")
        ordering = ["month", "placement_id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="monthly_subsidy_unique_month",
                violation_error_message=_("This placement already has a subsidy for this month.")),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="monthly_subsidy_not_negative",
                                       violation_error_message=_("A monthly subsidy cannot be negative.")),
            models.CheckConstraint(condition=Q(claimed_at__isnull=True) | Q(amount__isnull=False),
                                   name="monthly_subsidy_claimed_has_amount",
                                       violation_error_message=_("A month without an amount cannot be claimed.")),
        ]
        # The scheme too, so that the months of one scheme (the claims, the deadline panel) are told from the
        # index rather than by reading every subsidy of the CPAS in those months.
        indexes = [models.Index(fields=["cpas", "month", "scheme"], name="monthly_subsidy_cpas_month_idx")]

    def __str__(self):
        return f"{self.placement_id} {self.month:%Y-%m}: {self.amount}"

    @property
    def has_error(self):
        return self.amount is None

    @property
    def unconfirmed(self):
        return bool(self.unconfirmed_rows)

    @property
    def explanation_lines(self):
        return render_all(self.explanation)


class SocialEconomyBudget(models.Model):
    """The yearly budget of a CPAS for the increased social-economy subsidy (circular of 15 March 2013)."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="social_economy_budgets",
                             verbose_name=_("CPAS"))
    year = models.PositiveSmallIntegerField(_("year"))
    granted_amount = models.DecimalField(_("granted budget"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=250)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("social-economy budget")
        verbose_name_plural = _("social-economy budgets")
        ordering = ["-year", "cpas__nis_code"]
        permissions = [("allocate_budgets", _("Can allocate the social-economy budgets from a national envelope"))]
        constraints = [
            models.UniqueConstraint(fields=["cpas", "year"], name="social_economy_budget_unique_year",
                violation_error_message=_("This CPAS already has a budget for this year.")),
            models.CheckConstraint(condition=Q(granted_amount__gte=0), name="social_economy_budget_not_negative",
                violation_error_message=_("A budget cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.cpas} {self.year}: {self.granted_amount}"


class FirmEmployment(ChoiceDisplay, models.Model):
    """A beneficiary hired directly by a private firm that has a cooperation convention with the CPAS.

    The main case of the art. 61 tutoring premium (seed 001 §4.2): the firm is the employer; the CPAS
    pays the premium for supervision and training. Combinable with a financial intervention.
    """

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="firm_employments",
                             verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="firm_employments",
                                    verbose_name=_("beneficiary"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="firm_employments",
                                     verbose_name=_("private firm"))
    cooperation_convention_date = models.DateField(_("cooperation convention with the firm"))
    start = models.DateField(_("employment start"))
    end = models.DateField(_("employment end"), null=True, blank=True, help_text=_("Empty while it lasts."))
    regime = models.DecimalField(_("work regime (fraction of full time)"), max_digits=4, decimal_places=3,
                                 default=Decimal("1.000"), help_text=_("1 = full time, 0,8 = 4/5, 0,5 = half time."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("employment by a private firm")
        verbose_name_plural = _("employments by private firms")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(regime__gt=0) & Q(regime__lte=1), name="firm_employment_regime_valid",
                violation_error_message=_("The regime must be above 0 and at most 1 (full-time).")),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="firm_employment_end_after_start",
                                       violation_error_message=_("The end cannot be before the start.")),
        ]
        indexes = [models.Index(fields=["cpas", "start"], name="firm_employment_cpas_idx")]

    def __str__(self):
        return _("Employment %(id)s — %(name)s at %(firm)s") % {
            "id": self.pk, "name": self.beneficiary, "firm": self.organisation}


class Art61Premium(ClaimFreeze):
    """An art. 61 tutoring premium granted for one calendar month of work at a private firm: either an
    art. 60 §7 placement there or an employment by the firm itself (exactly one of the two)."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="art61_premiums", verbose_name=_("CPAS"))
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="art61_premiums",
                                  verbose_name=_("placement"), null=True, blank=True)
    firm_employment = models.ForeignKey(FirmEmployment, on_delete=models.PROTECT, related_name="art61_premiums",
                                        verbose_name=_("employment by a private firm"), null=True, blank=True)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="art61_premiums",
                                    verbose_name=_("beneficiary"))
    month = models.DateField(_("month"), help_text=_("First day of the calendar month."))
    supervision_costs = models.DecimalField(_("real supervision costs"), max_digits=12, decimal_places=2,
                                            default=Decimal("0.00"))
    training_costs = models.DecimalField(_("real training costs"), max_digits=12, decimal_places=2,
                                         default=Decimal("0.00"))
    carried_in = models.DecimalField(_("training costs carried over from earlier months"), max_digits=12,
                                     decimal_places=2, default=Decimal("0.00"))
    granted_amount = models.DecimalField(_("granted premium"), max_digits=12, decimal_places=2)
    carried_over = models.DecimalField(_("training costs carried over to later months"), max_digits=12,
                                       decimal_places=2, default=Decimal("0.00"))
    grant_number = models.PositiveSmallIntegerField(_("grant number"))
    legal_basis = models.CharField(_("legal basis"), max_length=250)
    explanation = models.JSONField(_("how it was computed"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("art. 61 tutoring premium")
        verbose_name_plural = _("art. 61 tutoring premiums")
        ordering = ["month", "placement_id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="art61_premium_unique_month",
                violation_error_message=_("A tutoring premium is already recorded for this month.")),
            models.UniqueConstraint(fields=["firm_employment", "month"], name="art61_premium_unique_employment_month",
                violation_error_message=_("A tutoring premium is already recorded for this month.")),
            models.CheckConstraint(
                condition=Q(placement__isnull=False, firm_employment__isnull=True)
                | Q(placement__isnull=True, firm_employment__isnull=False),
                name="art61_premium_one_employment",
                violation_error_message=_("A premium is for a placement or for an employment by a firm, not both.")),
            models.CheckConstraint(
                condition=Q(supervision_costs__gte=0) & Q(training_costs__gte=0) & Q(carried_in__gte=0)
                & Q(granted_amount__gte=0) & Q(carried_over__gte=0),
                name="art61_premium_amounts_not_negative",
                    violation_error_message=_("The costs and the premium cannot be negative.")),
        ]
        indexes = [models.Index(fields=["cpas", "month"], name="art61_premium_cpas_month_idx")]

    def __str__(self):
        return f"{self.employment_label} {self.month:%Y-%m}: {self.granted_amount}"

    @property
    def employment(self):
        """The placement or the firm employment the premium is for."""
        return self.placement if self.placement_id else self.firm_employment

    @property
    def employment_label(self):
        return f"P{self.placement_id}" if self.placement_id else f"E{self.firm_employment_id}"

    @property
    def scheme(self):
        return "art61"

    @property
    def explanation_lines(self):
        return render_all(self.explanation)


class Regularisation(ClaimFreeze):
    """The difference between a month already claimed and the same month recomputed after a retroactive change.

    A RIS or minimum-wage row added or corrected after the fact (indexations are often published late), or a
    pay period entered late: the claimed month is never edited (what was sent stays as sent); the difference
    is claimed on the next claim as a regularisation line (amount types 4–6 of the SPP IS statement). A month
    has at most one pending regularisation: a second change updates it. ``claimed_amount`` is what has been
    claimed for the month so far (the month and its regularisations already claimed).
    """

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="regularisations", verbose_name=_("CPAS"))
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="regularisations",
                                  verbose_name=_("placement"))
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="regularisations",
                                    verbose_name=_("beneficiary"))
    subsidy = models.ForeignKey(MonthlySubsidy, on_delete=models.PROTECT, related_name="regularisations",
                                verbose_name=_("claimed month"))
    month = models.DateField(_("month"), help_text=_("First day of the calendar month regularised."))
    scheme = models.CharField(_("subsidy"), max_length=20, choices=Scheme.choices)
    claimed_amount = models.DecimalField(_("claimed so far"), max_digits=12, decimal_places=2)
    recomputed_amount = models.DecimalField(_("recomputed amount"), max_digits=12, decimal_places=2)
    difference = models.DecimalField(_("difference"), max_digits=12, decimal_places=2,
                                     help_text=_("Recomputed minus claimed: negative is a recovery."))
    reasons = models.JSONField(_("reasons"), default=list, help_text=_("The changes that caused it."))
    rows = models.JSONField(_("rows involved"), default=list)
    explanation = models.JSONField(_("how the month was recomputed"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("regularisation")
        verbose_name_plural = _("regularisations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subsidy"], condition=Q(claimed_at__isnull=True),
                                    name="regularisation_one_pending_per_month",
                                        violation_error_message=_("This month already has a pending regularisation.")),
            models.CheckConstraint(condition=~Q(difference=0), name="regularisation_difference_not_zero",
                violation_error_message=_("A regularisation records a difference: it cannot be zero.")),
            models.CheckConstraint(condition=Q(claimed_amount__gte=0) & Q(recomputed_amount__gte=0),
                                   name="regularisation_amounts_not_negative",
                violation_error_message=_("The amounts of a regularisation cannot be negative.")),
        ]
        indexes = [models.Index(fields=["cpas", "claimed_at"], name="regularisation_cpas_idx")]

    def __str__(self):
        return f"{self.placement_id} {self.month:%Y-%m}: {self.difference}"

    @property
    def explanation_lines(self):
        return render_all(self.explanation)

    @property
    def reason_lines(self):
        from .regularisations import render_reason

        return [render_reason(reason) for reason in self.reasons]

    @property
    def row_lines(self):
        from .regularisations import render_row

        return [render_row(row) for row in self.rows]
