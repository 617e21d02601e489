"""Finding a person by name or national number: one search for the list, its HTMX search, the API and the
person picker of every form.

Names are matched on normalised columns kept on ``Beneficiary`` (lower case, no accents, no punctuation):
``search_name`` is "last first", ``search_name_reversed`` "first last". So "ines" finds "Inès", "dupont ines"
and "ines dupont" find the same person, and "dup" finds "Dupont".

- On every database the first word typed matches the start of the last or the first name, through a B-tree
  index on each column (on SQLite a range ``>= "dup" AND < "dup\\uffff"``, the columns holding only
  ``[a-z0-9 ]``; on PostgreSQL ``LIKE 'dup%'`` on a ``varchar_pattern_ops`` index); the other words anywhere
  in the name, checked on the rows the range found.
- On PostgreSQL, words of three letters or more also match inside the name ("berg" finds "Van den Berg"),
  served by a trigram GIN index on ``search_name`` (``pg_trgm``, created by a migration on PostgreSQL only).

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
# pg_trgm cannot index a pattern with fewer than three letters in a row.
TRIGRAM_MIN = 3


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


def _name_condition(words: list[str]) -> Q:
    if connection.vendor == "postgresql" and any(len(word) >= TRIGRAM_MIN for word in words):
        condition = Q()
        for word in words:
            condition &= Q(search_name__contains=word)
        return condition
    # The first word starts the last or the first name (the index range); the others are anywhere in the name,
    # checked on the rows that range found.
    first, *others = words
    condition = _prefix_range("search_name", first) | _prefix_range("search_name_reversed", first)
    for word in others:
        condition &= Q(search_name__contains=word)
    return condition


def search_condition(search: str) -> Q | None:
    """The condition matching ``search`` (a name or a national number), ``None`` for an empty search."""
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
    return _name_condition(words)


def search(queryset, text: str):
    """``queryset`` of beneficiaries narrowed to ``text`` (unchanged when empty)."""
    condition = search_condition(text)
    return queryset if condition is None else queryset.filter(condition)
