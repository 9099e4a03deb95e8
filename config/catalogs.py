"""The gettext catalogs (docs/decisions/i18n.md): where they are, how `makemessages` is run on
them, and their compilation into the .mo files Django reads.

The .po files are committed; the .mo files are not (binary, and they would conflict on every
merge): `make install` compiles them with Babel, so a fresh machine needs no GNU gettext to run
the shop, and the test suite compiles any that are missing or older than their .po before it
starts. Only updating the .po files from the sources (`make messages`, Django's makemessages)
needs GNU gettext (xgettext, msgmerge).

    python -m config.catalogs             # compile the stale .mo files
    python -m config.catalogs --all       # compile every .mo file again
    python -m config.catalogs --update    # makemessages for every language but English, then
                                          # compile (make messages)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# The catalogs: the project's (base templates, config/) and each app's own.
CATALOG_GLOBS = ("locale/*/LC_MESSAGES/*.po", "cartshare/*/locale/*/LC_MESSAGES/*.po")
# How `make messages` and the CI check (tests/i18n/test_catalogs.py) run makemessages, from ROOT:
# the shop's own sources only (not tests, the benchmark, the chaos run, tools or var/), file
# names without line numbers in the .po (so moving a line does not change a catalog), and no
# obsolete entries kept.
MAKEMESSAGES_OPTIONS: dict[str, object] = {
    "ignore_patterns": ["tests", "bench", "chaos", "tools", "build", "var", "docs", "node_modules"],
    "add_location": "file",
    "no_obsolete": True,
}
# One run per domain: templates and Python ("django"), the static scripts ("djangojs").
MAKEMESSAGES_DOMAINS = {"django": ["html", "txt", "py"], "djangojs": ["js"]}


def makemessages(languages: list[str], **options: object) -> None:
    """Django's makemessages for `languages` and both domains, with the project's options,
    run from the top of the checkout it is called in (a copy of it, in the CI check)."""
    from django.core.management import call_command

    for domain, extensions in MAKEMESSAGES_DOMAINS.items():
        call_command(
            "makemessages",
            locale=languages,
            domain=domain,
            extensions=extensions,
            verbosity=0,
            **(MAKEMESSAGES_OPTIONS | options),
        )


def translated_languages() -> list[str]:
    """Every language of LANGUAGES but the one the sources are written in."""
    from django.conf import settings

    return [code for code, _ in settings.LANGUAGES if code != "en"]


def catalog_files(root: Path = ROOT) -> list[Path]:
    return sorted(path for pattern in CATALOG_GLOBS for path in root.glob(pattern))


def compile_catalogs(root: Path = ROOT, *, everything: bool = False) -> list[Path]:
    """Write the .mo beside each .po that has none or an older one (every one: `everything`).
    Fuzzy entries are left out, as msgfmt does. The .mo files written."""
    written = []
    for po_path in catalog_files(root):
        mo_path = po_path.with_suffix(".mo")
        if (
            not everything
            and mo_path.exists()
            and mo_path.stat().st_mtime >= po_path.stat().st_mtime
        ):
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, abort_invalid=True)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    if "--update" in sys.argv[1:]:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        django.setup()
        os.chdir(ROOT)
        makemessages(translated_languages())
    for path in compile_catalogs(everything="--all" in sys.argv[1:]):
        print(f"compiled {path.relative_to(ROOT)}")
