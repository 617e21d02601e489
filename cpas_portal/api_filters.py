"""Filtering of API lists (the default filter backend, see settings.REST_FRAMEWORK)."""

from django import forms
from django.db import models
from django_filters import rest_framework as filters


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField


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
