"""Pages of a long list without counting every row: a search matching thousands of people says "more than
1,000" (issue "speed at scale": no full count where a capped count serves)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator counting at most ``cap`` rows (``COUNT(*)`` over a ``LIMIT cap + 1`` subquery, without the
    ordering or the annotations of the page). Past the cap, ``capped`` is true, ``count`` is ``cap`` and the
    pages stop there: whoever needs a later row narrows the search."""

    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def counted(self):
        capped_count = getattr(self.object_list, "capped_count", None)
        if capped_count is not None:
            # ``person_search.NameMatches``: counted on the search index.
            return capped_count(self.cap)
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return self.counted > self.cap

    @cached_property
    def count(self):
        return min(self.counted, self.cap)
