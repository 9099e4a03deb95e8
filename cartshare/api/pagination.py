"""List envelopes: `{"results": [...], "next": url | null, "has_more": bool}` with `limit` (1 to
100, default 20) and an opaque cursor carried in `next` (with the list's filters)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from django.http import HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from cartshare.common.errors import InvalidInput

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
CURSOR_MESSAGE = gettext_lazy("This cursor is not valid; use the `next` URL of the previous page.")

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Sliceable(Protocol[T_co]):
    """A list, or a queryset (sliced in the database)."""

    def __getitem__(self, index: slice, /) -> Iterable[T_co]: ...


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of domain objects; the operation's `...Page` schema shows them."""

    results: list[T]
    next: str | None

    @property
    def has_more(self) -> bool:
        return self.next is not None


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page, 1 to 100.")
    cursor: str = Field("", max_length=200, description="Opaque; take it from the `next` URL.")


def cursor_encode(offset: int) -> str:
    raw = json.dumps({"o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["o"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        offset = None
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(CURSOR_MESSAGE, errors={"cursor": [CURSOR_MESSAGE]})
    return offset


def paginate(request: HttpRequest, items: Sliceable[T], params: PageParams) -> Page[T]:
    """One page of `items` (a list or a queryset; querysets are sliced in the database)."""
    offset = cursor_decode(params.cursor)
    page = list(items[offset : offset + params.limit + 1])
    next_url = None
    if len(page) > params.limit:
        query = request.GET.copy()
        query["cursor"] = cursor_encode(offset + params.limit)
        query["limit"] = str(params.limit)
        next_url = request.build_absolute_uri(
            f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}"
        )
    return Page(results=page[: params.limit], next=next_url)
