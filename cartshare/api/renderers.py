"""The API's JSON renderer: ninja's `JSONRenderer` contract (the data ninja dumped from the
response shapes) serialised by pydantic-core in Rust instead of `json.dumps`, which costs about
a microsecond per value: on a 1,000-item link open it was a fifth of the request
(docs/decisions/api-response-shapes.md). Compact, UTF-8 (no `\\u` escapes), datetimes in RFC 3339
with microseconds. Anything pydantic-core does not know is passed to ninja's own encoder."""

from __future__ import annotations

from typing import Any

import pydantic_core
from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_ENCODER = NinjaJSONEncoder()


class FastJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:  # noqa: ANN401 (ninja's contract: any dumped data)
        return pydantic_core.to_json(data, fallback=_ENCODER.default)
