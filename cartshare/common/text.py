"""Plain-text hygiene shared by every service that stores what people type."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from cartshare.common.errors import InvalidInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LINE_BREAKS_AND_TABS = "\n\t"


def control_characters_in(text: str, *, allowed: str = "") -> list[str]:
    """The control characters (Unicode category Cc: C0, DEL, C1) in `text`, except `allowed`,
    as readable escapes (`\\x1b`, `\\u0085`), each once, in order of appearance."""
    found: list[str] = []
    for character in text:
        if character in allowed or unicodedata.category(character) != "Cc":
            continue
        escaped = character.encode("unicode_escape").decode("ascii")
        if escaped not in found:
            found.append(escaped)
    return found


def control_characters_refuse(
    text: str, *, field: str, message: StrOrPromise, allowed: str = ""
) -> None:
    """InvalidInput on `field` when `text` holds control characters other than `allowed`;
    `message` (translated) names them with its `%(found)s`."""
    if found := control_characters_in(text, allowed=allowed):
        refusal = str(message) % {"found": ", ".join(found)}
        raise InvalidInput(refusal, errors={field: [refusal]})


# Characters no font draws (control characters, lone surrogates, non-characters).
_UNDRAWABLE = frozenset({"Cc", "Cs"})


def renderable_text(text: str) -> str:
    """`text` with every character that no font draws and that images cannot encode (control
    characters, lone surrogates, U+FFFE, U+FFFF) replaced by a space: for drawing a name."""
    return "".join(
        " "
        if unicodedata.category(character) in _UNDRAWABLE or character in "\ufffe\uffff"
        else character
        for character in text
    )


def whole_number_parse(text: str, *, maximum: int) -> int | None:
    """`text` (surrounding spaces aside) as a whole number from 0 to `maximum`, or None when it
    is none: empty, a sign or other characters, or too large. Never raises: `int()` refuses
    strings of more than 4,300 digits with a ValueError, and a number beyond a column's range
    would overflow the database driver (SQLite's is 64 bits), so a posted field of digits is
    checked here before it reaches either."""
    text = text.strip()
    if not text.isdecimal():
        return None
    try:
        value = int(text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits())
        return None
    return value if value <= maximum else None
