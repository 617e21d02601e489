"""Sortable list columns, shared by every list page.

A list declares the columns a user may sort on, each mapped to the ORM ordering it stands for;
``?sort=name`` sorts ascending, ``?sort=-name`` descending. Anything else in ``sort`` falls back to
the list's default, so a hand-edited URL never reaches the database as a raw field name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict


@dataclass(frozen=True)
class Sorting:
    """The sort in force on a list page, and how to link each column header."""

    key: str
    descending: bool
    query: QueryDict = field(repr=False)

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def link(self, key: str) -> str:
        """The query string that sorts on ``key`` (reversing the order when it is the current one);
        other filters are kept, the page number is reset."""
        query = self.query.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if key == self.key and not self.descending else key
        return "?" + query.urlencode()

    def aria(self, key: str) -> str:
        """The ``aria-sort`` value of a column header."""
        if key != self.key:
            return "none"
        return "descending" if self.descending else "ascending"


def sorting_asked(request, columns: dict[str, tuple[str, ...]], default: str) -> Sorting:
    """The sort asked for in ``?sort=`` among ``columns`` (a public column key → its ORM ordering), or ``default``
    (a key, optionally prefixed with ``-``)."""
    asked = request.GET.get("sort", "") or default
    descending = asked.startswith("-")
    key = asked.lstrip("-")
    if key not in columns:
        descending = default.startswith("-")
        key = default.lstrip("-")
    return Sorting(key=key, descending=descending, query=request.GET)


def ordering(columns: dict[str, tuple[str, ...]], sort_param: str) -> tuple[str, ...]:
    """The ORM ordering of a valid ``Sorting.param`` (several fields break ties)."""
    fields = columns[sort_param.lstrip("-")]
    if sort_param.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    return fields


def sort_queryset(request, queryset, columns: dict[str, tuple[str, ...]], default: str):
    """Order ``queryset`` by the column asked for in ``?sort=`` among ``columns``.

    ``columns`` maps a public column key to its ORM ordering (several fields break ties);
    ``default`` is a key, optionally prefixed with ``-``. Returns ``(queryset, Sorting)``.
    """
    sorting = sorting_asked(request, columns, default)
    return queryset.order_by(*ordering(columns, sorting.param)), sorting
