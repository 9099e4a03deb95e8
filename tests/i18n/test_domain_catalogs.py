"""The German catalogs of the domain apps, the policy, the API and common: every message
translated, none fuzzy, the same placeholders as the English, and the compiled .mo that Django
reads says what the .po says."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "access", "accounts", "activity", "api", "carts", "catalog", "comments", "common", "live",
    "orders", "sharing",
)  # fmt: skip
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalog_path(package: str) -> Path:
    return ROOT / "cartshare" / package / "locale" / "de" / "LC_MESSAGES" / "django.po"


def messages(package: str) -> list:
    with catalog_path(package).open("rb") as po:
        return [message for message in read_po(po) if message.id]


def forms(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list | tuple) else (str(value),)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_message_is_translated_and_none_is_fuzzy(package):
    found = messages(package)
    assert found, f"{package}: an empty catalog"
    untranslated = [m.id for m in found if not all(forms(m.string))]
    fuzzy = [m.id for m in found if m.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("package", PACKAGES)
def test_translations_keep_the_placeholders(package):
    for message in messages(package):
        english = set(PLACEHOLDER.findall(" ".join(forms(message.id))))
        for german in forms(message.string):
            assert set(PLACEHOLDER.findall(german)) == english, message.id


@pytest.mark.parametrize("package", PACKAGES)
def test_the_compiled_catalog_is_up_to_date(package):
    with catalog_path(package).with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in messages(package):
        english = forms(message.id)
        german = forms(message.string)
        prefix = f"{message.context}\x04" if message.context else ""
        if len(english) == 1:
            assert compiled.gettext(prefix + english[0]) == german[0], message.id
        else:
            assert compiled.ngettext(prefix + english[0], english[1], 1) == german[0]
            assert compiled.ngettext(prefix + english[0], english[1], 5) == german[1]
