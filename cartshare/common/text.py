"""Plain-text hygiene shared by every service that stores what people type."""

from __future__ import annotations

import unicodedata

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


# Characters XML 1.0 forbids (so an SVG holding one does not render at all), whatever escaping.
_NOT_IN_XML = frozenset({"Cc", "Cs"})


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold (control characters, lone surrogates,
    U+FFFE, U+FFFF) replaced by a space. Escaping `<`, `&` and quotes is the template's job."""
    return "".join(
        " "
        if unicodedata.category(character) in _NOT_IN_XML or character in "\ufffe\uffff"
        else character
        for character in text
    )
