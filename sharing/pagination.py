"""Pages of a ranked listing search: the page's ids first, then only the page's rows, and a
capped count.

A search used to run as one query: filter, join enterprise, industry, region and park to
*every* match, sort, then keep 20 rows. :class:`RankedPaginator` instead asks for the page's
ids alone (the same filters and the same ORDER BY, without the joins: the top-N sort needs
only the listing table and its indexes), then fetches those rows with their relations.

The paginator also counts at most :data:`COUNT_CAP` + 1 matches (``COUNT(*)`` over a
LIMITed subquery) instead of all of them: the page says "1,000+" beyond the cap. Paging
goes on past the cap: each page asks for one id more than it shows, so it knows whether a
next page exists without knowing the total. Only a page number past the end, typed by
hand, costs the exact count (to fall back to the real last page), as before.

A search ordered by relevance (title matches first, then the others; newest first within
each) is paged group after group: each group's ids come from a query of their own, newest
first, which an index can serve without reading every match (see ``_groups``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from math import ceil

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import BooleanField, QuerySet
from django.utils.functional import cached_property

from sharing.search import matched_in_order, text_tested_last

# The most matches a list counts; above it the count reads "1,000+" (``count_capped``).
COUNT_CAP = 1000
# In a group of more than ``COUNT_CAP`` rows, pages that start before this position are
# read in the order's index (``RankedPaginator._in_order``).
IN_ORDER_BELOW = 100


class RankedPage(Page):
    """A page that knows whether another follows from the extra id it fetched."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def next_page_number(self) -> int:
        """The next page, as the extra id found it, without checking it against the count:
        a listing published between the count and the page's ids (both queries of one
        request) makes the last counted page have a next one, and Page.next_page_number
        then raised EmptyPage from the API's ``next`` link (a 500, seen while listings were
        being loaded at 1M, issue 7)."""
        if not self._has_next:
            raise EmptyPage(self.paginator.error_messages["no_results"])
        return self.number + 1

    def end_index(self) -> int:
        # Page.end_index asks for num_pages, which above the cap would count every match.
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class RankedPaginator(Paginator):
    """Paginate ``object_list`` (filtered and ordered; its ORDER BY must end with a unique
    column, as the listing sorts end with ``-pk``) by ids first; see the module docstring.

    ``fetch(ids)`` returns the rows of those ids with what the page shows (in any order); by
    default the same queryset restricted to the ids. A row gone between the two queries is
    left out of the page.
    """

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        *,
        fetch: Callable[[list[int]], Iterable] | None = None,
        cap: int | None = None,
    ):
        if orphans:
            raise ValueError("RankedPaginator does not support orphans")
        super().__init__(object_list, per_page, 0, allow_empty_first_page)
        self.cap = COUNT_CAP if cap is None else cap
        self._fetch = fetch or (lambda ids: object_list.order_by().filter(pk__in=ids))

    @cached_property
    def _ids(self) -> QuerySet:
        """The same filters and order, without the joins and prefetches of the rows."""
        return self.object_list.select_related(None).prefetch_related(None)

    @cached_property
    def _counted(self) -> int:
        """How many matches there are, counting no further than ``cap + 1``."""
        return min(sum(n for n in self._group_counts if n is not None), self.cap + 1)

    @cached_property
    def _group_counts(self) -> list[int | None]:
        """Each group's rows, counted no further than ``cap + 1``, one query per group, until
        those counted pass ``cap`` (the later groups are then left uncounted: None). Their
        sum is the capped count; ``_in_order`` reads how to read each group."""
        counts: list[int | None] = []
        for group in self._groups:
            if sum(filter(None, counts)) > self.cap:
                counts.append(None)
            else:
                counts.append(group.order_by().values("pk")[: self.cap + 1].count())
        return counts

    @property
    def count_capped(self) -> bool:
        """There are more than ``count`` (= ``cap``) matches."""
        return self._counted > self.cap

    @cached_property
    def count(self) -> int:
        """The number of matches, but at most ``cap`` (see ``count_capped``)."""
        return min(self._counted, self.cap)

    @cached_property
    def exact_count(self) -> int:
        return self._ids.count() if self.count_capped else self.count

    @cached_property
    def num_pages(self) -> int:
        """Exact; above the cap this counts every match (only for an out-of-range page)."""
        if self.exact_count == 0 and not self.allow_empty_first_page:
            return 0
        return ceil(max(1, self.exact_count) / self.per_page)

    def validate_number(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        # Above the cap the last page is unknown: page() finds out whether this one is empty.
        if not self.count_capped and number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    @cached_property
    def _flag(self) -> str | None:
        """The descending boolean annotation the ORDER BY begins with (relevance:
        ``-title_hit``, sharing/filters.py), if any: the order is then in two groups."""
        ordering = self._ids.query.order_by
        first = ordering[0] if ordering else None
        name = first[1:] if isinstance(first, str) and first.startswith("-") else None
        flag = self._ids.query.annotations.get(name) if name else None
        return name if flag is not None and isinstance(flag.output_field, BooleanField) else None

    @cached_property
    def _groups(self) -> list[QuerySet]:
        """The ids queryset as its groups, in order (the flag's rows, then the others), each
        ordered by the rest of the ORDER BY; without a flag, the ids queryset alone.

        Ordered by the flag first, a page needs every match's flag, so PostgreSQL reads every
        match's row to sort them (200 ms for a word with 18,630 matches at 1M listings). Each
        group on its own is ordered by the rest (newest first), which an index can give."""
        if self._flag is None:
            return [self._ids]
        rest = self._ids.query.order_by[1:]
        return [self._ids.filter(**{self._flag: value}).order_by(*rest) for value in (True, False)]

    def _page_ids(self, bottom: int, size: int) -> list[int]:
        """``size`` ids from position ``bottom``, group after group. A group that ends before
        ``bottom`` is counted (no further than ``bottom``) to know where the next one starts."""
        ids: list[int] = []
        for number, group in enumerate(self._groups):
            dense = self._in_order(number, bottom)
            with matched_in_order() if dense else nullcontext():
                read = text_tested_last(group) if dense else group
                rows = list(read.values_list("pk", flat=True)[bottom : bottom + size - len(ids)])
            if rows:
                ids += rows
                bottom = 0
            elif bottom:
                bottom -= group.order_by().values("pk")[:bottom].count()
            if len(ids) == size:
                break
        return ids

    def _in_order(self, group: int, bottom: int) -> bool:
        """On PostgreSQL, for the first pages of a group of more than ``cap`` rows: read
        the group in the order's index (newest first) and test each row until the page is
        full, the words of the text last (``sharing.search.text_tested_last``).

        PostgreSQL estimates a search's matches as if its words were independent, and a
        query is asked as its two-character pieces (加工 & 工中 & 中心), which nearly always
        come together: it expects a few hundred matches where there are 18,630, and then
        collects every match through the GIN index and sorts them (200-380 ms at 1M
        listings). A group of more than ``cap`` rows holds at least one published listing
        in 400, so reading in order finds a page after a few thousand rows at most. A
        smaller group is left to the GIN index, which finds it exactly (a title group
        through the index of the titles' words), and deeper pages to the planner: reading
        that far in order could cost more than a sort."""
        connection = connections[self._ids.db]
        dense = (
            connection.vendor == "postgresql"
            and bottom < IN_ORDER_BELOW
            and (self._group_counts[group] or 0) > self.cap
        )
        return dense

    def page(self, number) -> RankedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self._page_ids(bottom, self.per_page + 1)
        has_next = len(ids) > self.per_page
        ids = ids[: self.per_page]
        if not ids and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return RankedPage(self._rows(ids), number, self, has_next=has_next)

    def get_page(self, number) -> RankedPage:
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        try:
            return self.page(number)
        except EmptyPage:  # past the end of more than ``cap`` matches
            return self.page(self.num_pages)

    def _rows(self, ids: Sequence[int]) -> list:
        if not ids:
            return []
        by_pk = {row.pk: row for row in self._fetch(list(ids))}
        return [by_pk[pk] for pk in ids if pk in by_pk]


def paginate_ranked(request, queryset: QuerySet, *, fetch=None, per_page: int = 20) -> RankedPage:
    """The requested page (``?page=``); a malformed or out-of-range number gives the nearest
    page, as :func:`clusters.web.paginate` does."""
    return RankedPaginator(queryset, per_page, fetch=fetch).get_page(request.GET.get("page"))
