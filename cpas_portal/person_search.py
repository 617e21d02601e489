"""Finding a person by name or national number: one search for the list, its HTMX search, the API and the
person picker of every form.

Names are matched on their normalised words (lower case, no accents, no punctuation): "Van den Bergh-Inès"
is the words "van", "den", "bergh", "ines", one ``BeneficiaryNameWord`` row each, written with the person.
Every typed word must start a word of the name, in any order: "ines" finds "Inès", "dupont ines" and
"ines dupont" find the same person, "dup" finds "Dupont", "berg" finds "Van den Berg". A typed word inside a
name word ("upont") is not a match, on either database: a caseworker types the start of a name, and a start
is what an index serves on SQLite and PostgreSQL alike.

- The longest typed word is read from the ``(cpas, word, search_name, beneficiary)`` index: a prefix range
  (``LIKE 'dup%'`` on a ``varchar_pattern_ops`` index on PostgreSQL; ``>= "dup" AND < "dup\\uffff"`` on SQLite,
  the words holding only ``[a-z0-9]``); the other words are checked on the person's ``search_name`` held in
  the same index entries. A covering index: the matches, their order (``search_name``) and a capped count come
  from the index alone; only the people of the page are then read (:class:`NameMatches`).
- ``Beneficiary.search_name`` ("last first") is the search order, copied on each word row; with a filter or
  another order (the list's filters and sort links) the search is a plain ``pk IN (…)`` condition (:func:`search`).

A national number is matched in any typed form (``85.07.30-033.28``, ``85073003328``, ``85 07 30``): its digits
are the start of the stored compact number, through the ``(cpas, niss)`` unique index.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import Q

# Letters NFKD does not split into a base letter and an accent.
_LIGATURES = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER_SEPARATORS = re.compile(r"[\s.\-/]")
# Past the last character a normalised column may hold: the upper bound of a prefix range.
_AFTER_EVERYTHING = "\uffff"
WORD_BATCH = 5000
# Matches read at once before an exact count: a search finding fewer people is counted and paged from that read.
READ_AHEAD = 1000


# The order of search results: alphabetical without accents. Deliberately not an order an index provides: with
# one, PostgreSQL walks the whole name index hoping to meet 25 matches early, instead of using the search index.
SEARCH_ORDER = ("search_name", "id")


def normalise(text: str) -> str:
    """``"  Van den Bergh-Inès "`` → ``"van den bergh ines"``: lower case, accents and punctuation removed."""
    text = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text).strip()


def search_columns(*, first_name: str, last_name: str) -> dict[str, str]:
    """The values of the normalised search columns of a person (also for bulk inserts, which skip ``save()``)."""
    last, first = normalise(last_name), normalise(first_name)
    return {"search_name": f"{last} {first}".strip(), "search_name_reversed": f"{first} {last}".strip()}


def number_digits(search: str) -> str | None:
    """The digits of a (start of a) national number typed in any form, or ``None`` when it is not one."""
    compact = _NUMBER_SEPARATORS.sub("", search or "")
    return compact if compact.isdigit() else None


def is_number_search(search: str) -> bool:
    """Whether ``search`` is (the start of) a national number: such a search never travels in a URL."""
    return number_digits(search) is not None


def _prefix_range(field: str, prefix: str) -> Q:
    if connection.vendor == "postgresql":
        # ``LIKE 'dup%'``, served by a ``varchar_pattern_ops`` index whatever the database's collation.
        return Q(**{f"{field}__startswith": prefix})
    # SQLite's LIKE ignores case and so skips the index; a range over a binary-ordered column does not.
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + _AFTER_EVERYTHING})


def _number_condition(digits: str) -> Q:
    if len(digits) >= 11:
        return Q(niss=digits[:11])
    # "850730" → [850730, 850731): a range over digit strings the unique index serves on both databases.
    upper = str(int(digits) + 1).zfill(len(digits))
    condition = Q(niss__gte=digits)
    return condition & Q(niss__lt=upper) if len(upper) == len(digits) else condition


def name_words(search_name: str) -> list[str]:
    """The distinct words of a normalised name, each one row of ``BeneficiaryNameWord``."""
    return sorted(set(search_name.split()))


def save_name_words(people, *, replace=False, using=None):
    """Write the name words of ``people`` (saved beneficiaries): after a bulk insert (``replace=False``) or a
    rename (``replace=True`` drops their former words first). Bulk paths call it: ``bulk_create`` skips
    ``save()``."""
    from .models import BeneficiaryNameWord

    words = BeneficiaryNameWord.objects.db_manager(using)
    people = list(people)
    if replace:
        words.filter(beneficiary_id__in=[person.pk for person in people]).delete()
    rows = []
    for person in people:
        name = search_columns(first_name=person.first_name, last_name=person.last_name)["search_name"]
        rows.extend(BeneficiaryNameWord(cpas_id=person.cpas_id, beneficiary_id=person.pk, word=word, search_name=name)
                    for word in name_words(name))
    words.bulk_create(rows, batch_size=WORD_BATCH)


def _starts_a_word(word: str) -> Q:
    """On a word row: the person's whole normalised name (words joined by single spaces) has a word starting
    with ``word``. Checked on the index entry itself, which holds ``search_name``."""
    return Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")


def matching_words(words: list[str], *, cpas_id=None):
    """Rows of ``BeneficiaryNameWord`` of the people whose name has a word starting with each of ``words``: one
    row (or more) per person, read from the ``(cpas, word, search_name, …)`` index for the longest word typed
    (the most selective, as a rule); the other words are checked on the ``search_name`` of the same index
    entries, without visiting anything else."""
    from .models import BeneficiaryNameWord

    words = list(dict.fromkeys(words))
    leading = max(words, key=len)
    rows = BeneficiaryNameWord.objects.filter(_prefix_range("word", leading))
    if cpas_id is not None:
        rows = rows.filter(cpas_id=cpas_id)
    for word in words:
        if word != leading:
            rows = rows.filter(_starts_a_word(word))
    return rows


def search_condition(search: str, *, cpas_id=None) -> Q | None:
    """The condition matching ``search`` (a name or a national number), ``None`` for an empty search. Give the
    CPAS searched (``cpas_id``) so the name index is read for that CPAS only."""
    search = (search or "").strip()
    if not search:
        return None
    digits = number_digits(search)
    if digits is not None:
        return _number_condition(digits)
    words = normalise(search).split()
    if not words:
        # Only punctuation: nothing can match.
        return Q(pk__in=[])
    return Q(pk__in=matching_words(words, cpas_id=cpas_id).values("beneficiary_id"))


def search(queryset, text: str, *, cpas=None):
    """``queryset`` of beneficiaries (of ``cpas``) narrowed to ``text`` (unchanged when empty): right whatever
    filters or order the caller adds; :func:`ordered_matches` is the fast path for the search order."""
    condition = search_condition(text, cpas_id=getattr(cpas, "pk", cpas))
    return queryset if condition is None else queryset.filter(condition)


class NameMatches:
    """The people matching a search by name, in the search order (``SEARCH_ORDER``), for a paginator or a
    picker: the matches, their order, a page of them and their count are read from the name-word index alone
    (no visit of the people's table for thousands of matches); only the page's people are then read through
    ``queryset`` (which adds their columns and annotations, not filters)."""

    def __init__(self, queryset, words, rows_of=None):
        self.queryset = queryset
        self.words = words
        # ``rows_of(ids)``: the people of ``ids`` as ``queryset`` gives them, in the search order (a compiled query).
        self.rows_of = rows_of
        # Every match as (search_name, id) in the search order, once a count has read them all (a few hundred
        # at most): the pages are then cut from it without another query.
        self._every = None

    def _people(self):
        return self.words.values("beneficiary_id").distinct()

    def _read(self, cap):
        """Read the matches' rows, up to a few more than ``cap`` (a person may have two matching words): the
        number of people among them, and whether that is all of them (then kept, in the search order, for the
        pages)."""
        wanted = cap + cap // 10 + 10
        rows = list(self.words.values_list("search_name", "beneficiary_id")[:wanted])
        complete = len(rows) < wanted
        if complete:
            self._every = sorted(set(rows))
        return len({person_id for _name, person_id in rows}), complete

    def count(self):
        people, complete = self._read(READ_AHEAD)
        return people if complete else self._people().count()

    def capped_count(self, cap):
        """The number of matches up to ``cap + 1`` ("more than ``cap``"), from a ``LIMIT``-ed read of the
        index."""
        people, complete = self._read(cap)
        if complete or people > cap:
            return min(people, cap + 1)
        return min(self._people().count(), cap + 1)

    def __len__(self):
        return self.count()

    def _ordered(self):
        return self.words.order_by("search_name", "beneficiary_id").values_list("beneficiary_id", flat=True)

    def page_ids(self, item: slice):
        """The ids of the people at ``item`` in the search order. A person whose name has two words matching
        has two rows, next to each other: they are folded here, reading a few rows more than the page, rather
        than by a ``DISTINCT`` that would group every match before the top of the order is taken."""
        if self._every is not None:
            return [person_id for _name, person_id in self._every[item]]
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        wanted = stop + stop // 10 + 10
        while True:
            rows = list(self._ordered()[:wanted])
            ids = list(dict.fromkeys(rows))
            if len(ids) >= stop or len(rows) < wanted:
                return ids[start:stop]
            wanted *= 2

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item:item + 1][0]
        ids = self.page_ids(item)
        if self.rows_of is not None:
            return self.rows_of(ids)
        return list(_built(self.queryset).filter(pk__in=ids).order_by(*SEARCH_ORDER)) if ids else []

    def explain(self, **options):
        """The plans of the first page's ids and of the capped count (the queries whose cost grows with the
        number of people)."""
        return "\n".join((self._ordered()[:37].explain(**options),
                          self.words.values_list("search_name", "beneficiary_id")[:1110].explain(**options)))


def _built(queryset):
    return queryset() if callable(queryset) else queryset


def ordered_matches(queryset, text: str, *, cpas, rows_of=None):
    """The people of ``queryset`` (those of ``cpas``, no other filter) matching ``text``, in the search order:
    :class:`NameMatches` for a name (``rows_of``: see there), ``queryset`` narrowed and ordered for a national
    number (its index serves it), ``queryset.none()`` for an empty search. ``queryset`` may be a function
    returning it: then it is built only when read, which a search by name with ``rows_of`` never does (building
    the people's queryset with its annotations cost a search page more Python than its index reads)."""
    text = (text or "").strip()
    words = normalise(text).split()
    if not text or number_digits(text) is not None or not words:
        condition, queryset = search_condition(text), _built(queryset)
        return queryset.none() if condition is None else queryset.filter(condition).order_by(*SEARCH_ORDER)
    return NameMatches(queryset, matching_words(words, cpas_id=getattr(cpas, "pk", cpas)), rows_of=rows_of)
