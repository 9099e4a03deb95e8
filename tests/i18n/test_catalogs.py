"""The CI check of the translations (issue 17): `makemessages` (the project's options,
config/catalogs.py) is run on a copy of the tree, so the working tree is never changed; then
every German catalog must be up to date with the sources (no string missing, none left over)
and fully translated (nothing empty, nothing fuzzy).

makemessages needs GNU gettext (xgettext, msgmerge): .ci/run installs it. Where it is missing
the check is skipped, except under CI, where that fails."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config.catalogs import ROOT, catalog_files, compile_catalogs, translated_languages

# What makemessages reads and writes: the shop's sources and catalogs.
COPIED = ("cartshare", "config", "locale", "manage.py")


def gettext_available() -> bool:
    return all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq"))


@pytest.fixture(scope="module")
def updated_copy(tmp_path_factory) -> Path:
    if not gettext_available():
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext, msgmerge) is missing: apt-get install gettext")
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("tree")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, copy / name)
    script = (
        "import django; django.setup(); "
        "from config.catalogs import makemessages, translated_languages; "
        "makemessages(translated_languages())"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(copy)}
    subprocess.run([sys.executable, "-c", script], cwd=copy, env=env, check=True, timeout=300)
    return copy


def entries(path: Path) -> dict[tuple[str, str | None], object]:
    with path.open("rb") as po_file:
        catalog = read_po(po_file)
    return {
        (message.id if isinstance(message.id, str) else message.id[0], message.context): message
        for message in catalog
        if message.id
    }


def german_catalogs(root: Path) -> list[Path]:
    return [
        path for path in catalog_files(root) if path.parent.parent.name in translated_languages()
    ]


def test_there_is_a_german_catalog():
    assert (ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po").exists()
    assert "de" in translated_languages()


def test_every_catalog_is_up_to_date_with_the_sources(updated_copy):
    made = {path.relative_to(updated_copy) for path in german_catalogs(updated_copy)}
    committed = {path.relative_to(ROOT) for path in german_catalogs(ROOT)}
    assert made == committed, (
        f"catalogs to add: {sorted(map(str, made - committed))}; "
        f"catalogs without strings: {sorted(map(str, committed - made))}. Run `make messages`."
    )
    problems = []
    for relative in sorted(made):
        fresh, ours = entries(updated_copy / relative), entries(ROOT / relative)
        problems += [f"{relative}: new in the sources: {key[0]!r}" for key in fresh.keys() - ours]
        problems += [
            f"{relative}: no longer in the sources: {key[0]!r}" for key in ours - fresh.keys()
        ]
    assert not problems, "Run `make messages`, then translate:\n" + "\n".join(problems)


def test_every_german_string_is_translated_and_none_is_fuzzy():
    problems = []
    for path in german_catalogs(ROOT):
        relative = path.relative_to(ROOT)
        for (msgid, _), message in entries(path).items():
            strings = [message.string] if isinstance(message.string, str) else message.string
            if not all(strings):
                problems.append(f"{relative}: untranslated: {msgid!r}")
            if message.fuzzy:
                problems.append(f"{relative}: fuzzy: {msgid!r}")
    assert not problems, "\n".join(problems)


def test_the_mo_files_are_compiled_without_gnu_gettext_and_leave_fuzzy_out(tmp_path):
    folder = tmp_path / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    text = (ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po").read_text()
    (folder / "django.po").write_text(
        text.replace('msgid "Register"', '#, fuzzy\nmsgid "Register"')
    )
    assert compile_catalogs(tmp_path) == [folder / "django.mo"]
    assert compile_catalogs(tmp_path) == []  # up to date: left alone
    with (folder / "django.mo").open("rb") as mo_file:
        german = gettext.GNUTranslations(mo_file)
    assert german.gettext("Search") == "Suchen"
    assert german.gettext("Register") == "Register"  # fuzzy: not used
    assert german.ngettext("%(units)s unit", "%(units)s units", 3) == "%(units)s Stück"
