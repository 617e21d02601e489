"""Queries compiled once per process, each later call only putting its own values in.

Building a queryset and compiling it into SQL costs Python about a millisecond for a query with a few
annotations: more than PostgreSQL takes to answer the small indexed reads of a detail page, and a person's
file runs fourteen of them. :func:`compiled` wraps a *builder* — a function of a few scalar values (ids,
days, texts) returning a queryset — so that the queryset is built and compiled once per process (and per
database, time zone and language), and each call runs the kept SQL with its own values.

The plan checks itself when it is made, so that a builder it cannot serve is simply built every time:

- the builder is compiled with two sets of stand-in values, and once more with each value changed alone;
- the SQL text must never change (a value that picks a branch, a list whose length shows in the SQL, an
  empty result);
- each parameter must either stay the same in every compilation (a constant of the query) or be exactly one
  of the values, as given or as the text SQLite binds for a day (a value the builder derives from its
  argument — the day before, a pattern around a text — fails this and the builder is built every time).

At call time a value of another type than planned (``None`` included) is also built the usual way. The
result is a list, never a queryset: a queryset could be filtered further, which the kept SQL would not show.

What the check cannot see is a value the builder takes from elsewhere than its arguments — today's date read
inside it, a setting — which the plan would keep as a constant: a builder takes every such value as an
argument (the lists take ``today``).
"""

import copy
import weakref
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone, translation

# Two stand-ins per kind of value. They differ in every digit, part (year, month, day) and length, so that a
# parameter derived from a value (its successor, its century, its first digit) differs between them too.
STAND_INS = {
    int: (918_273, 1_564_309),
    date: (date(1903, 4, 5), date(2076, 10, 29)),
    str: ("stand-in value one", "other stand-in"),
}


def _stand_in(kind, which, position):
    """Stand-in ``which`` (0 or 1) of the value at ``position``: values at different positions differ too (a list
    of ids given as values, ``pk__in``, keeps them all apart)."""
    value = STAND_INS[kind][which]
    if kind is int:
        return value + (7, 11)[which] * position
    if kind is date:
        return value + timedelta(days=position)
    return f"{value} {position}"


def _kind(value):
    kind = type(value)
    return kind if kind in STAND_INS else None


def _compile(queryset):
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, tuple(params)


def _transform(compiled, value):
    """How a value becomes this parameter: ``None`` as it is, ``str`` as text; ``False`` when neither."""
    if type(compiled) is type(value) and compiled == value:
        return None
    if isinstance(compiled, str) and not isinstance(value, str) and compiled == str(value):
        return str
    return False


class _Plan:
    """The kept SQL of one builder, its compiler (which knows how to read the rows) and where each value goes."""

    def __init__(self, queryset, compiler, sql, params, slots):
        self.queryset, self.compiler, self.sql, self.params, self.slots = queryset, compiler, sql, params, slots
        # How each column's value is read back (dates on SQLite, decimals, choices…): the same for every call,
        # so found once per database connection instead of once per call (a few hundred lookups for a page).
        self.converters = weakref.WeakKeyDictionary()

    def converters_for(self, compiler):
        converters = self.converters.get(compiler.connection)
        if converters is None:
            columns = [selected[0] for selected in compiler.select[0:compiler.col_count]]
            converters = self.converters[compiler.connection] = compiler.get_converters(columns)
        return converters

    def params_for(self, values):
        params = list(self.params)
        for position, (index, transform) in self.slots.items():
            params[position] = values[index] if transform is None else transform(values[index])
        return tuple(params)


def _plan(build, kinds, shape):
    """The plan of ``build`` for values of ``kinds``, or ``None`` when the builder cannot be served by one."""
    base = [_stand_in(kind, 0, position) for position, kind in enumerate(kinds)]
    other = [_stand_in(kind, 1, position) for position, kind in enumerate(kinds)]
    try:
        queryset = build(*base, **shape)
        if not isinstance(queryset, QuerySet):
            return None
        compiler, sql, params = _compile(queryset)
        slots = {}
        for index in range(len(kinds)):
            varied = [*base[:index], other[index], *base[index + 1:]]
            _compiler, varied_sql, varied_params = _compile(build(*varied, **shape))
            if varied_sql != sql or len(varied_params) != len(params):
                return None
            for position, (first, second) in enumerate(zip(params, varied_params, strict=True)):
                if type(first) is type(second) and first == second:
                    continue
                transform = _transform(first, base[index])
                if position in slots or transform is False or _transform(second, other[index]) != transform:
                    return None
                slots[position] = (index, transform)
        # Every value changed at once: exactly the slots change, each as its value does.
        _compiler, other_sql, other_params = _compile(build(*other, **shape))
        if other_sql != sql or len(other_params) != len(params):
            return None
        for position, (first, second) in enumerate(zip(params, other_params, strict=True)):
            if position in slots:
                index, transform = slots[position]
                if _transform(second, other[index]) != transform:
                    return None
            elif type(first) is not type(second) or first != second:
                return None
    except (EmptyResultSet, TypeError, ValueError, AttributeError):
        # No SQL (an empty result), or a builder that does more with a value than put it in the query.
        return None
    return _Plan(queryset, compiler, sql, params, slots)


class _BoundQuery:
    """The planned query with one call's values: what a queryset's iterable asks of its query."""

    __slots__ = ("_plan", "_params")

    def __init__(self, plan, params):
        self._plan, self._params = plan, params

    def __getattr__(self, name):
        return getattr(self._plan.queryset.query, name)

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = copy.copy(self._plan.compiler)
        compiler.connection = connection if connection is not None else connections[using]
        compiler.using = using
        sql, params = self._plan.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        converters = self._plan.converters_for(compiler)
        compiler.get_converters = lambda expressions: converters
        return compiler


def _run(plan, values):
    template = plan.queryset
    queryset = template.__class__(model=template.model, query=_BoundQuery(plan, plan.params_for(values)),
                                  using=template._db, hints=template._hints)
    queryset._prefetch_related_lookups = template._prefetch_related_lookups[:]
    queryset._known_related_objects = template._known_related_objects
    queryset._iterable_class = template._iterable_class
    queryset._fetch_mode = template._fetch_mode
    queryset._fields = template._fields
    return list(queryset)


class CompiledQuery:
    """A builder of scalar values served by plans kept per process; calling it gives the rows as a list.

    Keyword arguments are the query's *shape* (which filter, which order): each shape has its own plan, and they
    must be hashable. Positional arguments are the values put in."""

    def __init__(self, build):
        self.build = build
        self._plans = {}
        _every.append(self)
        self.__doc__ = build.__doc__
        self.__name__ = getattr(build, "__name__", "compiled")

    def __call__(self, *values, **shape):
        kinds = tuple(_kind(value) for value in values)
        if None in kinds:
            return list(self.build(*values, **shape))
        # What the SQL may depend on besides the values: the database, the time zone (the day of a moment), the
        # language (a translated constant).
        default = connections["default"]
        key = (kinds, tuple(sorted(shape.items())), default.vendor, default.settings_dict.get("NAME"),
               timezone.get_current_timezone_name(), translation.get_language(), settings.USE_TZ)
        try:
            plan = self._plans[key]
        except KeyError:
            plan = self._plans[key] = _plan(self.build, kinds, shape)
        if plan is None:
            return list(self.build(*values, **shape))
        return _run(plan, values)


_every = []


def forget_plans():
    """Drop every plan kept (tests: the next calls plan afresh)."""
    for query in _every:
        query._plans.clear()


def compiled(build):
    """``build`` (scalar values → queryset) compiled once per process; see the module's docstring."""
    return CompiledQuery(build)
