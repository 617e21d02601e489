"""The shared kernel: the CPAS (tenant), its staff, its beneficiaries and its partner organisations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ChoiceDisplay
from .concurrency import version_field
from .identifiers import (
    enterprise_display,
    iban_display,
    niss_display,
    niss_masked,
    validate_enterprise_number,
    validate_iban,
    validate_niss,
)
from .person_search import save_name_words, search_columns


class Region(models.TextChoices):
    BRUSSELS = "brussels", _("Brussels-Capital")
    FLANDERS = "flanders", _("Flanders")
    WALLONIA = "wallonia", _("Wallonia")
    GERMAN_SPEAKING = "german_speaking", _("German-speaking Community")


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    DE = "de", _("German")


class Cpas(models.Model):
    """A public social welfare centre (CPAS/OCMW): the tenant of every other record."""

    nis_code = models.CharField(
        _("NIS code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("A NIS code has 5 digits."))],
    )
    enterprise_number = models.CharField(
        _("enterprise number"), max_length=10, blank=True, validators=[validate_enterprise_number]
    )
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    # Printed on the claims to SPP IS: where to write, whom to call, where to pay.
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True,
        validators=[RegexValidator(r"^[1-9]\d{3}$", _("A Belgian postal code has 4 digits."))],
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=160, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    iban = models.CharField(
        _("bank account (IBAN)"), max_length=34, blank=True, validators=[validate_iban],
        help_text=_("The account SPP IS pays the reimbursements into."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("CPAS")
        verbose_name_plural = _("CPAS")
        ordering = ["nis_code"]

    def __str__(self):
        return f"{self.name} ({self.nis_code})"

    @property
    def name(self):
        """The name in the reader's language, else in the CPAS's own."""
        if get_language() == "nl" or (get_language() not in ("fr", "nl") and self.language == "nl"):
            return self.name_nl or self.name_fr
        return self.name_fr or self.name_nl

    @property
    def enterprise_number_display(self):
        return enterprise_display(self.enterprise_number)

    @property
    def iban_display(self):
        return iban_display(self.iban)

    @property
    def municipality(self):
        """The municipality's name in the CPAS's own language (the default place of its signatures)."""
        return (self.name_nl or self.name_fr) if self.language == Language.NL else (self.name_fr or self.name_nl)

    def clean(self):
        from .identifiers import iban_compact

        if self.iban:
            try:
                self.iban = iban_compact(self.iban)
            except ValidationError as error:
                raise ValidationError({"iban": error.messages}) from None


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    FINANCE = "finance", _("Finance officer")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Auditor (read-only)")


class Membership(ChoiceDisplay, models.Model):
    """A user's place in one CPAS; the role decides what they may change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("CPAS"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The user's own choice of interface language (language selector, account page), applied at login and
    # on every page whatever the browser says; empty: the browser's language (cpas_portal/accounts/language.py).
    language = models.CharField(_("interface language"), max_length=5, blank=True, default="",
                                choices=settings.LANGUAGES)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.cpas}"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")


class RightType(models.TextChoices):
    # Law of 26 May 2002 on the right to social integration.
    INTEGRATION_INCOME = "ris", _("Integration income")
    # Law of 2 April 1965: financial social aid equivalent to the integration income.
    EQUIVALENT_AID = "equivalent_aid", _("Equivalent financial social aid")


class Category(models.IntegerChoices):
    # Law of 26 May 2002, art. 14 §1.
    COHABITANT = 1, _("Category 1 — cohabitant")
    SINGLE = 2, _("Category 2 — single person")
    FAMILY = 3, _("Category 3 — person with a dependent family")


class Beneficiary(ChoiceDisplay, models.Model):
    """A person helped by the CPAS. The national number is stored compact and never logged."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name=_("CPAS"))
    niss = models.CharField(_("national number"), max_length=11, validators=[validate_niss])
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^[1-9]\d{3}$", _("A Belgian postal code has 4 digits."))],
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    # The person's rights over time are their ``RightDecision`` records (read through ``rights.py``).
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_beneficiaries",
        verbose_name=_("referent caseworker"),
    )
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived from the names on every save (``person_search.search_columns``): what a search by name reads.
    search_name = models.CharField(max_length=170, editable=False, default="")
    search_name_reversed = models.CharField(max_length=170, editable=False, default="")

    history = HistoricalRecords(excluded_fields=["updated_at", "search_name", "search_name_reversed"])

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cpas", "niss"], name="beneficiary_niss_unique_per_cpas"),
        ]
        indexes = [
            models.Index(fields=["cpas", "last_name", "first_name"], name="beneficiary_name_idx"),
            # Prefix searches (``person_search``): PostgreSQL needs the pattern operator class for ``LIKE 'x%'``;
            # other databases ignore operator classes.
            models.Index(fields=["cpas", "search_name"], name="beneficiary_search_idx",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
            models.Index(fields=["cpas", "search_name_reversed"], name="beneficiary_search_rev_idx",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.display_name(self.last_name, self.first_name)

    def save(self, *args, **kwargs):
        for field, value in search_columns(first_name=self.first_name, last_name=self.last_name).items():
            setattr(self, field, value)
        names_saved = kwargs.get("update_fields") is None or {"first_name", "last_name"} & set(kwargs["update_fields"])
        if kwargs.get("update_fields") is not None and names_saved:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "search_name_reversed"}
        renamed = names_saved and getattr(self, "_stored_search_name", None) != self.search_name
        adding = self._state.adding
        super().save(*args, **kwargs)
        if renamed:
            save_name_words([self], replace=not adding, using=kwargs.get("using") or self._state.db)
            self._stored_search_name = self.search_name


    @staticmethod
    def display_name(last_name, first_name):
        """How a person is named in lists, files and forms ("DUBOIS Marie"), also from plain rows."""
        return f"{last_name.upper()} {first_name}"
    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        person = super().from_db(db, field_names, values, **kwargs)
        # The name as stored: ``save()`` rewrites the name words only when it changed.
        person._stored_search_name = person.__dict__.get("search_name")
        return person

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def niss_masked(self):
        return niss_masked(self.niss)

    @property
    def niss_display(self):
        return niss_display(self.niss)

    def age_on(self, day):
        """Full years of age on ``day`` (from the stored birth date, never from a BIS number)."""
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class BeneficiaryNameWord(models.Model):
    """One word of a person's normalised name ("van", "den", "berg", "jan"): what a search by name reads
    (``person_search``). A typed word matches the start of a word through the ``(cpas, word)`` index; the person's
    ``search_name`` rides along so that a page of results is ordered and cut from this index alone. Written with
    the person (``Beneficiary.save``, and ``person_search.save_name_words`` after a bulk insert)."""

    cpas = models.ForeignKey(Cpas, on_delete=models.CASCADE, related_name="+", db_index=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="name_words",
                                    db_index=False)
    word = models.CharField(max_length=170)
    search_name = models.CharField(max_length=170)

    class Meta:
        indexes = [
            # ``word LIKE 'ines%'`` on PostgreSQL (pattern operator class), a range on SQLite; the other columns
            # make it a covering index: matches, their order and their count without reading the table.
            models.Index(fields=["cpas", "word", "search_name", "beneficiary"], name="beneficiary_word_idx",
                         opclasses=["int8_ops", "varchar_pattern_ops", "text_ops", "int8_ops"]),
            # A person's words, dropped when renamed or deleted.
            models.Index(fields=["beneficiary", "word"], name="beneficiary_word_person_idx",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.word


class RightDecision(ChoiceDisplay, models.Model):
    """One decision granting a person the integration income (law of 26 May 2002) or the equivalent
    financial social aid (law of 2 April 1965), in force from ``start`` to ``end`` (open-ended when
    empty). A person's rights over time are these records: eligibility and deadlines read the
    decision in force on a day (DOMAIN.md §3), never one pair of dates on the person.
    """

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="right_decisions", verbose_name=_("beneficiary")
    )
    right_type = models.CharField(_("right"), max_length=20, choices=RightType.choices)
    category = models.PositiveSmallIntegerField(_("category"), choices=Category.choices)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    start = models.DateField(_("in force from"))
    end = models.DateField(_("in force until"), null=True, blank=True)
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("right decision")
        verbose_name_plural = _("right decisions")
        ordering = ["beneficiary", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=[1, 2, 3]), name="right_decision_category_valid"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="right_decision_end_after_start"
            ),
        ]
        indexes = [
            # A person's decisions, latest first: ``rights.covering_right_type`` reads the first of them for each of
            # thousands of claim items (the id breaks ties between decisions starting the same day, so no sort).
            models.Index(fields=["beneficiary", "start", "id"], name="right_decision_person_idx"),
            models.Index(fields=["cpas", "end"], name="right_decision_cpas_end_idx"),
        ]

    def __str__(self):
        return f"{self.get_right_type_display()} {self.start.isoformat()}–{self.end.isoformat() if self.end else ''}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The right cannot end before it starts.")})

    def in_force_on(self, day):
        return self.start <= day and (self.end is None or day <= self.end)


class OrganisationKind(models.TextChoices):
    EMPLOYMENT_OFFICE = "employment_office", _("Regional employment office")
    COACHING_PARTNER = "coaching_partner", _("Coaching or training partner")
    SOCIAL_ECONOMY = "social_economy", _("Social-economy initiative")
    PRIVATE_FIRM = "private_firm", _("Private firm")
    NON_PROFIT = "non_profit", _("Non-profit organisation")
    PUBLIC_BODY = "public_body", _("Public body")


class Organisation(models.Model):
    """A partner or employer known to a CPAS (each CPAS keeps its own directory)."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("CPAS"))
    name = models.CharField(_("name"), max_length=150)
    enterprise_number = models.CharField(
        _("enterprise number"), max_length=10, blank=True, validators=[validate_enterprise_number]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    recognised = models.BooleanField(
        _("recognised social-economy initiative"), default=False,
        help_text=_("Recognised by the competent authority (needed for the increased subsidy)."),
    )
    created_by_cpas = models.BooleanField(
        _("created by this CPAS"), default=False,
        help_text=_("Initiatives created by the CPAS may use at most a quarter of its social-economy budget."),
    )
    approved_by_employment_service = models.BooleanField(
        _("approved by the regional employment service"), default=False,
        help_text=_("Under the decree of 23 September 2004 a partnership convention's partners are the regional "
                    "employment service or partners it approved."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpas", "enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="organisation_enterprise_number_unique_per_cpas",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def enterprise_number_display(self):
        return enterprise_display(self.enterprise_number)


class ConsultationKind(models.TextChoices):
    PERSON_PAGE = "person_page", _("Person's file opened (page)")
    PERSON_API = "person_api", _("Person's file read (API)")
    PERSON_ADMIN = "person_admin", _("Person's file opened (administration)")
    EXPORT = "export", _("Export")
    DOCUMENT = "document", _("Document of a person's file downloaded")


class ConsultationLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The consultation log is append-only."))

    def delete(self):
        raise ValidationError(_("The consultation log is append-only."))


class ConsultationLog(models.Model):
    """Who opened which person's file or took which export, and when: the access log the security norms of the
    social-security network (BCSS/KSZ) expect. Append-only: written by ``services.consultation_record``, read by
    the CPAS's managers and auditors. Persons and claims are kept by id, so that the log outlives them."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150)
    at = models.DateTimeField(_("when"), db_index=True)
    kind = models.CharField(_("action"), max_length=20, choices=ConsultationKind.choices)
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+",
        verbose_name=_("person"),
    )
    claim_id = models.PositiveBigIntegerField(_("claim"), null=True, blank=True)
    export = models.CharField(_("export"), max_length=120, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = ConsultationLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation log entry")
        verbose_name_plural = _("consultation log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["cpas", "-at"], name="consultation_cpas_at_idx"),
            models.Index(fields=["cpas", "beneficiary", "-at"], name="consultation_person_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The consultation log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The consultation log is append-only."))


class CaseNote(models.Model):
    """A caseworker's note on a person's file. A confidential note is read by the person's referent and the
    CPAS's managers only (``person_records.may_read_confidential``), on the page, in the API and in the admin."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="case_notes", verbose_name=_("beneficiary")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("author"),
    )
    day = models.DateField(_("date"))
    text = models.TextField(_("note"), max_length=10000)
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Only the person's referent and the managers of the CPAS may read it."),
    )
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["beneficiary", "-day"], name="case_note_person_idx")]

    def __str__(self):
        return f"{self.day.isoformat()} — {self.text[:40]}"


class DocumentKind(models.TextChoices):
    SIGNED_PIIS = "signed_piis", _("Signed PIIS")
    PAYSLIP = "payslip", _("Payslip")
    EMPLOYER_FORM = "employer_form", _("Employer form")
    OTHER = "other", _("Other")


def _document_storage():
    from .documents import private_storage

    return private_storage()


class PersonDocument(ChoiceDisplay, models.Model):
    """A file kept on a person's file (a signed PIIS, a payslip, an employer's form…). Stored outside the
    public media, in a directory of its CPAS, and served only by a view that checks the CPAS and the role."""

    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="documents", verbose_name=_("beneficiary")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=150, blank=True)
    file = models.FileField(_("file"), storage=_document_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["beneficiary", "-uploaded_at"], name="document_person_idx")]

    def __str__(self):
        return self.title or self.original_name
class Notification(models.Model):
    """A due item recorded for one user by the daily job (``cpas_portal/notifications.py``), read in their inbox.

    One per user, item key and due date: the job runs again without adding anything, and an item whose
    date moves is notified again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("user"))
    cpas = models.ForeignKey(Cpas, on_delete=models.PROTECT, related_name="+", verbose_name=_("CPAS"))
    key = models.CharField(_("item"), max_length=120)
    due = models.DateField(_("due on"))
    kind = models.CharField(_("kind"), max_length=60)
    person = models.CharField(_("person"), max_length=170, blank=True)
    text = models.CharField(_("what to do"), max_length=500)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("sent by e-mail at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "due"], name="notification_once_per_item_and_due"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread_idx")]

    def __str__(self):
        return f"{self.due.isoformat()} {self.text}"
