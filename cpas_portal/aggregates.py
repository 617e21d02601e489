"""Totals and counts of a list's child rows, computed per shown row rather than by grouping the whole list.

``annotate(total=Sum("children__amount"))`` joins every child of every row of the CPAS and groups them all
before the page's ``ORDER BY … LIMIT 25``: at 5,000 placements with 36 months each that is 180,000 rows
grouped to show 25. A correlated subquery is evaluated for the rows the page keeps only, the list's
ordering can be served by an index, and the page's count needs no join at all.
"""

import functools

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

MONEY = DecimalField(max_digits=12, decimal_places=2)


def _per_parent(queryset, via, aggregate, output_field):
    rows = (queryset.filter(**{via: OuterRef("pk")}).order_by().values(via)
            .annotate(result=aggregate).values("result"))
    return Subquery(rows, output_field=output_field)


def child_sum(queryset, via, field, *, output_field=MONEY, default=None):
    """``SUM(field)`` of the rows of ``queryset`` whose ``via`` points at the outer row; ``default`` when none
    (``None`` keeps SQL's NULL, as ``Sum`` over a join does)."""
    total = _per_parent(queryset, via, Sum(field), output_field)
    if default is None:
        return total
    return Coalesce(total, Value(default), output_field=output_field)


def built_once(build):
    """``build`` (a function of no argument returning annotations) run once per process: a query copies an
    expression when it resolves it, so one built subquery serves every query, and building it (the inner
    queryset's clones) cost as much as compiling it, on pages that annotate a handful of them."""
    return functools.cache(build)


def child_count(queryset, via):
    """How many rows of ``queryset`` point at the outer row through ``via`` (0 when none)."""
    return Coalesce(_per_parent(queryset, via, Count("pk"), IntegerField()), Value(0), output_field=IntegerField())
