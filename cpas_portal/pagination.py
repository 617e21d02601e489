"""Pages of a long list without counting the whole list.

A CPAS of 50,000 people has 2,000 pages of beneficiaries; nobody reads the exact total, and counting it
costs a scan of every row on each page view (more as the CPAS grows). :class:`CappedPaginator` counts at
most ``cap`` rows, or up to the page asked for and one row beyond: the page links work as before, and a
list longer than that shows its size as "1.000+" and its pages as "41+".

A page past the first reads its rows' keys first, then the rows with their annotations: with ``OFFSET``
the database would compute every annotation (a right in force, a total) of every skipped row. With
``count_with_rows``, the first page (the one everyone opens) reads its rows and the capped count in one query.

The API's lists page the same way (:class:`CappedPageNumberPagination`).
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import formats
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# Counting 1,000 rows costs well under a millisecond; 40 pages of 25 is more than anyone pages through.
COUNT_CAP = 1000
# A page number typed past this counts no further (the last page is shown): a 40-digit number in the address
# must not reach the database as a LIMIT it cannot hold.
MAX_PAGE = 100_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap=None, count_with_rows=False, rows_of=None, **kwargs):
        """``rows_of(keys)``: the rows of these keys as ``object_list`` gives them, in any order (a compiled query),
        for a page past the first; by default ``object_list`` filtered on the keys."""
        super().__init__(object_list, per_page, **kwargs)
        self.rows_of = rows_of
        self.cap = COUNT_CAP if cap is None else cap
        self.wanted = 1
        self.count_with_rows = count_with_rows and not self.orphans
        self._first_rows = None

    def want(self, number):
        """Count up to page ``number`` (as typed; not a number: the first page), so that any page is reachable."""
        try:
            self.wanted = min(max(1, int(number)), MAX_PAGE)
        except (TypeError, ValueError):
            self.wanted = 1

    def get_page(self, number):
        self.want(number)
        return super().get_page(number)

    @cached_property
    def count(self):
        """The rows up to the cap (or the page asked for), plus one when there are more."""
        limit = max(self.cap, self.wanted * self.per_page) + 1
        rows = self.object_list
        capped_count = getattr(rows, "capped_count", None)
        if capped_count is not None:  # ``person_search.NameMatches``: counted on the search index
            counted = capped_count(limit - 1)
        elif isinstance(rows, list | tuple):
            counted = len(rows[:limit])
        elif self.count_with_rows and self.wanted == 1 and isinstance(rows, QuerySet):
            counted = self._count_with_first_page(rows, limit)
        else:  # only the keys: the page's annotations and ordering cost nothing to count
            counted = rows.order_by().values("pk")[:limit].count()
        self._more = counted >= limit
        return counted

    def _count_with_first_page(self, rows, limit):
        """Read the first page's rows with the capped count as a column. One round trip instead of two."""
        first = list(first_page_with_count(rows, self.per_page, limit))
        self._first_rows = first
        return first[0].list_capped_count if first else 0

    @classmethod
    def read_first_page(cls, rows, per_page, *, cap=None):
        """The first page of a list whose rows were read with their capped count (:func:`first_page_with_count`
        at the default cap), such as by a compiled query."""
        paginator = cls(rows, per_page, cap=cap)
        limit = paginator.cap + 1
        counted = rows[0].list_capped_count if rows else 0
        paginator.count, paginator._more, paginator._first_rows = counted, counted >= limit, rows
        return paginator.get_page(1)

    @staticmethod
    def opens_first_page(number):
        """Whether ``?page=`` as typed shows the first page (none, empty or 1; 0 shows the last, as in Django)."""
        return number in (None, "", "1")

    @property
    def more(self):
        """Whether the list goes on past what was counted."""
        return bool(self.count) and self._more

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom == 0 and self._first_rows is not None:
            return self._get_page(self._first_rows[:top], number, self)
        if bottom == 0 or not isinstance(self.object_list, QuerySet):
            return self._get_page(self.object_list[bottom:top], number, self)
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.rows_of(keys) if self.rows_of is not None else self.object_list.filter(pk__in=keys).order_by()
        found = {row.pk: row for row in rows}
        return self._get_page([found[key] for key in keys if key in found], number, self)

    @property
    def shown_count(self):
        """The number of rows as the page shows it: exact, or "1.000+" past the cap (in the user's format)."""
        count = self.count
        if self.more:
            return f"{formats.number_format(count - 1, force_grouping=True)}+"
        return formats.number_format(count, force_grouping=True)

    @property
    def shown_pages(self):
        pages = self.num_pages
        return f"{pages}+" if self.more else str(pages)


def first_page_with_count(rows, per_page, limit=COUNT_CAP + 1):
    """The first ``per_page`` rows of the queryset ``rows``, each with ``list_capped_count``: how many rows the
    list has, counted up to ``limit``. A subquery that does not depend on the row, which the database computes
    once. A condition that can match nothing (a search of punctuation alone) gives no row."""
    try:
        sql, params = rows.order_by().values("pk")[:limit].query.sql_with_params()
    except EmptyResultSet:
        return rows.none()
    return rows.annotate(list_capped_count=RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params))[:per_page]


def list_page(number, per_page, *, whole, first=None, rows_of=None):
    """Page ``number`` (as typed) of a list: the first page read by ``first()`` when given — its rows with their
    capped count (:func:`first_page_with_count`), typically a query compiled once per process
    (``cpas_portal.compiled``) for the list as it opens, unfiltered — otherwise a page of ``whole()``, the whole
    list as a queryset (built only then), whose rows past the first page are read by ``rows_of`` when given
    (:class:`CappedPaginator`)."""
    if first is not None and CappedPaginator.opens_first_page(number):
        return CappedPaginator.read_first_page(first(), per_page)
    return CappedPaginator(whole(), per_page, count_with_rows=True, rows_of=rows_of).get_page(number)


class CountedPaginator(Paginator):
    """The pages of a list whose length is known already (counted with other figures in one query, such as a
    claim's lines): the list is not counted again."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # instead of the cached property that counts the list


class CappedPageNumberPagination(PageNumberPagination):
    """The API's pages, counted as the HTML lists count them (:class:`CappedPaginator`). ``count`` is exact while
    ``count_is_exact`` is true; past the cap (or the page asked for) it is the number counted, a lower bound, and
    ``next`` leads on. ``?page=last`` is not offered: the last page is what is not counted."""

    django_paginator_class = CappedPaginator
    last_page_strings = ()

    def get_page_number(self, request, paginator):
        number = super().get_page_number(request, paginator)
        paginator.want(number)  # not a number: the paginator then refuses it (404)
        return number

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response({
            "count": paginator.count - 1 if paginator.more else paginator.count,
            "count_is_exact": not paginator.more,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        found = super().get_paginated_response_schema(schema)
        found["required"] = ["count", "count_is_exact", "results"]
        found["properties"] = {
            "count": {**found["properties"]["count"],
                      "description": "Rows in the list; a lower bound when count_is_exact is false."},
            "count_is_exact": {"type": "boolean", "description": "False when the list goes on past what was counted."},
            **{name: value for name, value in found["properties"].items() if name != "count"}}
        return found
