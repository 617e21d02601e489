"""Filtering of API lists (the default filter backend, see settings.REST_FRAMEWORK)."""

from django import forms
from django.db import models
from django_filters import rest_framework as filters

from .models import Beneficiary, Category, RightType


class IdFilter(filters.NumberFilter):
    """An id: a positive integer the database can hold (a larger one is a 400, not an overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class CpasFilterSet(filters.FilterSet):
    """Relations filter by id without looking the id up: another CPAS's row and no row at all give the
    same empty result (a lookup over every CPAS would tell which ids exist elsewhere)."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class CpasFilterBackend(filters.DjangoFilterBackend):
    filterset_base = CpasFilterSet


class BeneficiaryFilter(CpasFilterSet):
    """People by sex, language, referent, and by the right they hold today (their decision in force)."""

    right_type = filters.ChoiceFilter(choices=RightType.choices, field_name="right_type_on_day",
                                      label="Right in force today")
    category = filters.TypedChoiceFilter(choices=Category.choices, coerce=int, field_name="category_on_day",
                                         label="Category of the right in force today")

    class Meta:
        model = Beneficiary
        fields = ["sex", "language", "referent"]
