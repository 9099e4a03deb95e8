"""Access levels and link options as a sentence names them, in the visitor's language.

A label ("Read-only") lowercased makes the English sentence ("You have read-only to …") but
not the German one, whose nouns keep their capital and whose words differ from the label
(„Zugriff „Nur lesen““, docs/decisions/i18n-glossary.md). So a sentence takes its level from
here, never from `label.lower()`. Keyed by value: AccessLevel, SharePermission and ShareOption
share theirs."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LEVELS_IN_SENTENCE: dict[str, Promise] = {
    "OWNER": pgettext_lazy("access level inside a sentence", "owner"),
    "FULL_ACCESS": pgettext_lazy("access level inside a sentence", "full access"),
    "CONTRIBUTOR": pgettext_lazy("access level inside a sentence", "contributor"),
    "READ_ONLY": pgettext_lazy("access level inside a sentence", "read-only"),
    "PREVIEW": pgettext_lazy("access level inside a sentence", "preview"),
}

LINK_NAMES: dict[str, Promise] = {
    "PREVIEW": _("preview link"),
    "READ_ONLY": _("read-only link"),
    "CONTRIBUTOR": _("contributor link"),
    "FULL_ACCESS": _("full access link"),
}


def level_in_sentence(level: object) -> str:
    """ "read-only" / „Zugriff „Nur lesen““: a level (or its value) where a sentence names it."""
    return str(LEVELS_IN_SENTENCE.get(str(getattr(level, "value", level)), level))


def link_name(option: object) -> str:
    """ "read-only link" / „Link „Nur lesen““: a link by its option (or the level it gives)."""
    return str(LINK_NAMES.get(str(getattr(option, "value", option)), option))
