"""`page_get`: Django's `Paginator(items, per_page).get_page(number)`, without its COUNT query
when the first page is all there is (the usual case for a cart's comments and activity log)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet


class _Counted:
    """An ordered queryset for the Paginator whose first `len(head)` rows are already read."""

    def __init__(self, items: QuerySet[Any], head: list[Model]) -> None:
        self._items, self._head = items, head

    def count(self) -> int:
        return self._items.count()

    def __getitem__(self, window: slice) -> list[Model]:
        if (window.start or 0) == 0 and window.stop is not None and window.stop <= len(self._head):
            return self._head[: window.stop]
        return list(self._items[window])


def page_get(items: QuerySet[Any], number: int | str | None, per_page: int) -> Page:
    """The page `number` of an ordered queryset (an invalid or too-high number: the nearest
    real page, as `Paginator.get_page`). The first page reads one row more than it shows: if
    that row is not there, the page is the whole list and its length the count (one query);
    otherwise the COUNT follows, as Django's Paginator does."""
    if str(number or "1").strip() == "1":
        head = list(items[: per_page + 1])
        if len(head) <= per_page:
            return Paginator(head, per_page).get_page(1)
        # Sliceable with count(): what the Paginator documents it takes (not its stubs' type).
        counted: Any = _Counted(items, head[:per_page])
        return Paginator(counted, per_page).get_page(1)
    return Paginator(items, per_page).get_page(number)
