"""Keeping secrets out of log lines: share-link tokens in addresses (`/share/<token>`,
`/api/v1/shared/<token>`, also inside a `next=` that carries one, percent-encoded or not) and
values of `token=`-like query parameters become `…masked`. `MaskTokens` applies it to every log
record a handler writes (Django's "Not Found: /share/…", our access log, uvicorn's if it is on)."""

from __future__ import annotations

import logging
import re

MASK = "…masked"
# A slash, written or percent-encoded, as it appears in a path or inside a query value.
_SLASH = r"(?:/|%2[fF])"
_SECRET = r"[^/\s?#&\"']+"  # up to the next slash, query, fragment or quote (over-masks %-runs)
_SHARE_PATH = re.compile(
    # /share/<token> but not the token-free pages (/share/join/<link id>); /shared/<token>.
    rf"(?P<prefix>{_SLASH}share{_SLASH}(?!join(?:{_SLASH}|[\s?#&\"']|$))|{_SLASH}shared{_SLASH})"
    rf"{_SECRET}"
)
_SECRET_PARAMETER = re.compile(
    r"(?P<prefix>[?&;](?:token|access_token|share_token)=)[^&#\s\"']+", re.IGNORECASE
)


def mask_tokens(text: str) -> str:
    """`text` with every share-link token and token-like query value replaced by `…masked`."""
    if "share" not in text and "token" not in text.lower():
        return text
    masked = _SHARE_PATH.sub(rf"\g<prefix>{MASK}", text)
    return _SECRET_PARAMETER.sub(rf"\g<prefix>{MASK}", masked)


class MaskTokens(logging.Filter):
    """A handler filter: the record's message (and formatted traceback) with tokens masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_tokens(record.exc_text)
        return True
