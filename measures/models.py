"""Employment measures: RIS amounts (the reference of most subsidies), art. 60 §7, art. 61, budgets."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
            )
        ]

    def __str__(self):
        return f"RIS {self.effective_date.isoformat()}"

    def clean(self):
        if self.category_1 and self.category_2 and self.category_1 > self.category_2:
            raise ValidationError(_("Category 1 is never above category 2."))

    def amount_for(self, category):
        return {1: self.category_1, 2: self.category_2, 3: self.category_3}[int(category)]
