"""What falls due: the items a caseworker, a manager or a finance officer must act on.

The kernel never imports a measure app (arrows point down): each app that knows of deadlines
registers a provider in its ``AppConfig.ready()``; the home pages and the daily notification job
gather here.

A provider is ``(*, cpas, on, until, referent_ids=None) -> items``: every item of ``cpas`` that is
overdue on ``on`` or falls due on or before ``until``. ``referent_ids`` (a collection of user ids)
narrows caseworker items to the people those caseworkers follow; ``None`` means every caseworker of
the CPAS. A provider is set-based: it runs a fixed number of queries, whatever the number of items or
caseworkers.

The items are an iterable of :class:`DueItem`, or — for a provider whose items are many (a large CPAS
has thousands of rights ending, evaluations planned, PIIS to conclude) — a :class:`DueQuery`: the
items' rows as a query whose order gives their due dates. A home page then counts and cuts them in
the database (:func:`summary`) and builds only the items it shows; the notification job still reads
them all. :func:`parts` lets one provider return both.
"""

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q

CASEWORKER = "caseworker"
FINANCE = "finance"
MANAGER = "manager"


@dataclass(frozen=True)
class DueItem:
    """One thing to do by a date.

    ``key`` names the item once and for all (e.g. ``piis.conclude:42``): the daily job records a
    notification per key and due date, so running it twice adds nothing. ``audience`` is the role
    whose home page shows it; caseworker items carry the person and their referent.
    """

    key: str
    kind: str
    due: date
    reason: str
    source: str
    url: str
    audience: str = CASEWORKER
    beneficiary_id: int | None = None
    beneficiary_name: str = ""
    referent_id: int | None = None
    amount: Decimal | None = None
    """Money the item is about, when it is (an amount to claim, a claim still unpaid)."""
    beneficiary_niss_masked: str = ""
    """The person's national number masked (``85.07.30-***.**``): never the full number here."""
    rank: tuple = field(default=(), compare=False, repr=False)
    """Among items of the same kind due the same day, the order of the provider's rows (:class:`DueQuery`)."""

    def is_overdue(self, on):
        return self.due < on


def person(beneficiary):
    """The person fields of a caseworker item, from a beneficiary (loaded with the item's own query)."""
    return {"beneficiary_id": beneficiary.pk, "beneficiary_name": str(beneficiary),
            "beneficiary_niss_masked": beneficiary.niss_masked, "referent_id": beneficiary.referent_id}


PERSON_VALUES = ("id", "first_name", "last_name", "niss", "referent_id")


def person_values(prefix="beneficiary__"):
    """The columns :func:`person_from_values` reads, for a provider reading many rows with ``.values()``."""
    return [prefix + name for name in PERSON_VALUES]


def person_from_values(row, prefix="beneficiary__"):
    from .identifiers import niss_masked
    from .models import Beneficiary

    return {"beneficiary_id": row[prefix + "id"],
            "beneficiary_name": Beneficiary.display_name(row[prefix + "last_name"], row[prefix + "first_name"]),
            "beneficiary_niss_masked": niss_masked(row[prefix + "niss"]), "referent_id": row[prefix + "referent_id"]}


def narrowed(queryset, referent_ids, path="beneficiary__referent_id"):
    """``queryset`` limited to the people followed by ``referent_ids`` (every person when ``None``)."""
    if referent_ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": list(referent_ids)})


@dataclass(frozen=True)
class DueQuery:
    """A provider's items as rows in the database, one row per item.

    ``rows`` holds exactly the provider's items with a key at or before ``until``'s (cpas, referents and
    every condition already applied); ``key`` names a date column or annotation of ``rows`` from which the
    due date follows by ``due_of`` (``None``: the key *is* the due date). ``due_of`` never decreases as the
    key grows — a deadline a fixed number of months after a decision — so that a range of due dates is a
    range of keys and the soonest items are the first rows by key. ``build`` makes the item of one row
    read with ``rows.values(*fields)``. Iterating gives every item, soonest first.
    """

    rows: object
    key: str
    fields: tuple
    build: Callable
    on: date
    until: date
    due_of: Callable | None = None
    referent: str = "beneficiary__referent_id"
    audience: str = CASEWORKER

    def key_after(self, day):
        """The smallest key whose due date is after ``day``: rows with a lower key fall due on or before it."""
        if self.due_of is None:
            return day + timedelta(days=1)
        # A deadline never falls before its key nor more than ten years after it (legal terms are months).
        low = day - timedelta(days=3660)
        span = (day - low).days + 2
        due_of = self.due_of
        offset = bisect.bisect_right(range(span), day, key=lambda days: due_of(low + timedelta(days=days)))
        return low + timedelta(days=offset)

    def bounded(self, upper):
        return self.rows.filter(**{f"{self.key}__lt": self.key_after(upper)})

    def item(self, row):
        return replace(self.build(row), rank=(row[self.key], row["pk"]))

    def __iter__(self):
        for row in self.bounded(self.until).order_by(self.key, "pk").values(*self.fields, self.key):
            yield self.item(row)

    def banded(self, uppers, shown):
        """For each band of due dates — on or before ``uppers[0]``, then after each upper and on or before the
        next — its count and its soonest ``shown`` items (every one with ``None``). One query: each row carries
        its band, its rank in the band and the band's size.

        The window functions wrap the compiled rows in plain SQL: built with the ORM (a ``Case`` per band and a
        filter on a window, which Django compiles into a further subquery) the query took longer to compile
        than the database took to answer it for a caseworker of a few hundred files."""
        keys = [self.key_after(upper) for upper in uppers]
        names = list(dict.fromkeys(("pk", *self.fields, self.key)))
        rows = (self.rows.filter(**{f"{self.key}__lt": keys[-1]}).order_by()
                .values(**{f"c{index}": F(name) for index, name in enumerate(names)}))
        compiler = rows.query.get_compiler(using=rows.db)
        inner_sql, inner_params = compiler.as_sql()
        aliases = [alias for _expression, _sql, alias in compiler.select]
        position = {name: aliases.index(f"c{index}") for index, name in enumerate(names)}
        connection = compiler.connection
        quote = connection.ops.quote_name
        key, pk = quote(aliases[position[self.key]]), quote(aliases[position["pk"]])
        band = ("CASE " + " ".join(f"WHEN {key} < %s THEN {index}" for index in range(len(keys) - 1))
                + f" ELSE {len(keys) - 1} END") if len(keys) > 1 else "0"
        sql = ("SELECT * FROM (SELECT banded.*, COUNT(*) OVER (PARTITION BY due_band) AS band_size, "
               f"ROW_NUMBER() OVER (PARTITION BY due_band ORDER BY {key}, {pk}) AS band_rank "
               f"FROM (SELECT inner_rows.*, {band} AS due_band FROM ({inner_sql}) inner_rows) banded) ranked"
               + (" WHERE band_rank <= %s" if shown is not None else "") + " ORDER BY due_band, band_rank")
        params = [*(connection.ops.adapt_datefield_value(day) for day in keys[:-1]), *inner_params,
                  *([shown] if shown is not None else [])]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        width = len(aliases)
        converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
        values = compiler.apply_converters([list(row[:width]) for row in found], converters) if converters else (
            row[:width] for row in found)
        counts, items = [0] * len(keys), [[] for _key in keys]
        for row, columns in zip(found, values, strict=True):
            due_band, band_size = row[width], row[width + 1]
            counts[due_band] = band_size
            items[due_band].append(self.item({name: columns[position[name]] for name in names}))
        return counts, items

    def counts_by_referent(self, uppers):
        """``{referent id: [count per band]}`` for the bands of :meth:`banded`. One query."""
        keys = [self.key_after(upper) for upper in uppers]
        bands = {f"band{index}": Count("pk", filter=Q(**{f"{self.key}__lt": key}) & (
            Q(**{f"{self.key}__gte": keys[index - 1]}) if index else Q())) for index, key in enumerate(keys)}
        rows = self.rows.filter(**{f"{self.key}__lt": keys[-1]}).order_by().values(self.referent).annotate(**bands)
        return {row[self.referent]: [row[name] for name in bands] for row in rows}


class Parts(tuple):
    """What one provider returns when its items come both as rows (:class:`DueQuery`) and as item lists."""

    def __iter__(self):
        for part in tuple.__iter__(self):
            yield from part


def parts(*found):
    return Parts(found)


def _pieces(result):
    """A provider's result as a list of :class:`DueQuery` and item lists."""
    if isinstance(result, Parts):
        return [piece for part in tuple.__iter__(result) for piece in _pieces(part)]
    if isinstance(result, DueQuery):
        return [result]
    return [list(result)]


_providers = {}
_audiences = {}


def register(name, provider, audiences=None):
    """Register ``provider``; ``audiences`` (optional) names the roles its items are for, so a page that
    wants only other roles' items does not run it."""
    _providers[name] = provider
    _audiences[name] = frozenset(audiences) if audiences is not None else None


def registered():
    return dict(_providers)


def _results(*, cpas, on, until, referent_ids, audiences):
    for name in sorted(_providers):
        declared = _audiences.get(name)
        if audiences is not None and declared is not None and not declared & set(audiences):
            continue
        yield _providers[name](cpas=cpas, on=on, until=until, referent_ids=referent_ids)


def soonest_first(item):
    """Soonest first; then by kind, and within a kind as its provider orders it (the page cuts each provider's
    rows in that order)."""
    return item.due, item.kind, item.rank, item.key


def due_items(*, cpas, on, until, referent_ids=None, audiences=None):
    """Every item due up to ``until`` (overdue ones included) from every provider, soonest first."""
    found = []
    for result in _results(cpas=cpas, on=on, until=until, referent_ids=referent_ids, audiences=audiences):
        for item in result:
            if audiences is None or item.audience in audiences:
                found.append(item)
    return sorted(found, key=soonest_first)


@dataclass
class Band:
    """Items falling due after ``lower`` (``None``: any time before) and on or before ``upper``: how many, and
    the soonest ``shown`` of them."""

    lower: date | None
    upper: date
    count: int = 0
    items: list = field(default_factory=list)


def summary(*, cpas, on, uppers, referent_ids=None, audiences, shown, by_referent=False):
    """The items of ``audiences`` in bands of due dates — up to ``uppers[0]``, then up to each next one — counted
    and cut in the database: ``{audience: [Band…]}`` with each band's count and its soonest ``shown`` items
    (every item with ``shown=None``). With ``by_referent``, also ``{referent id: [count per band]}`` of the
    caseworker items (``None``: people without a referent). A fixed number of queries per provider."""
    uppers = list(uppers)
    bands = {audience: [Band(lower, upper) for lower, upper in zip([None, *uppers[:-1]], uppers, strict=True)]
             for audience in audiences}
    per_referent = {}

    def add_counts(referent, counts):
        totals = per_referent.setdefault(referent, [0] * len(uppers))
        for index, count in enumerate(counts):
            totals[index] += count

    for result in _results(cpas=cpas, on=on, until=uppers[-1], referent_ids=referent_ids, audiences=audiences):
        for piece in _pieces(result):
            if isinstance(piece, DueQuery):
                if piece.audience not in bands:
                    continue
                if by_referent and piece.audience == CASEWORKER and shown == 0:
                    # The counts per caseworker add up to the band's: one query gives both.
                    per_person = piece.counts_by_referent(uppers)
                    for referent, counts in per_person.items():
                        add_counts(referent, counts)
                    counts = [sum(column) for column in zip(*per_person.values(), strict=True)] or [0] * len(uppers)
                    found = [[] for _upper in uppers]
                elif by_referent:
                    raise ValueError("Counts per referent come without items (shown=0).")
                else:
                    counts, found = piece.banded(uppers, shown)
                for band, count, items in zip(bands[piece.audience], counts, found, strict=True):
                    band.count += count
                    band.items.extend(items)
                continue
            for item in piece:
                if item.audience not in bands or item.due > uppers[-1]:
                    continue
                index = bisect.bisect_left(uppers, item.due)
                band = bands[item.audience][index]
                band.count += 1
                band.items.append(item)
                if by_referent and item.audience == CASEWORKER:
                    add_counts(item.referent_id, [int(position == index) for position in range(len(uppers))])
    for audience_bands in bands.values():
        for band in audience_bands:
            band.items = sorted(band.items, key=soonest_first)[:shown]
    return (bands, per_referent) if by_referent else bands
