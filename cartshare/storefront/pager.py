"""A cart's line list, page by page: `settings.CARTSHARE_LINES_PER_PAGE` lines at a time,
`?page=N`, for the preview page (and the owner's cart page). The totals are never a page's:
the caller sums the whole cart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator

# More digits than any page count: "?page=99999999999999999999" is past the last page, and
# never reaches int() (which refuses numbers of more than 4,300 digits with an error).
_MAX_PAGE_DIGITS = 9


def page_number(value: str | None, page_count: int) -> int:
    """The page `?page=` asks for, always one that exists: like the shop's other lists, a bad
    value is never an error page (a live re-read of the last page of a cart that has just lost
    lines must not fail either). Not a number, 0 or below: the first page; past the last: the
    last."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > _MAX_PAGE_DIGITS:
        return page_count
    return min(max(int(text), 1), page_count)


@dataclass(frozen=True)
class LinesPage:
    """One page of a cart's lines (`page`, iterable), with what its pager shows (`page.number`,
    `start_index()`, `end_index()`, `paginator.count`) and the page numbers, with "…" where
    many are left out."""

    page: Page
    page_range: list[int | str]


def lines_page(lines: Sequence[object], value: str | None) -> LinesPage:
    """The page of `lines` that `?page=value` asks for (`page_number`)."""
    paginator = Paginator(lines, settings.CARTSHARE_LINES_PER_PAGE)
    page = paginator.page(page_number(value, paginator.num_pages))
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return LinesPage(page=page, page_range=page_range)
