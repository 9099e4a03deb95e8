"""Run one fuzz target with atheris: `python -m tests.fuzz.run <target> [libFuzzer flags]`,
e.g. `-runs=2000` or `-max_total_time=600` (`make fuzz` runs every target for 10 minutes).
Crashes are written to <var dir>/fuzz/artifacts/ unless -artifact_prefix says otherwise."""

import logging
import sys

import atheris

from tests.fuzz import harness


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: python -m tests.fuzz.run <target> [libFuzzer flags]")
    name = sys.argv[1]
    with atheris.instrument_imports(include=["cartshare"]):
        harness.prepare(name)
        from tests.fuzz import targets

    if name not in targets.TARGETS:
        sys.exit(f"unknown target {name!r}; one of: {', '.join(targets.TARGETS)}")
    targets.setup(harness.world_build())
    # Refusals (4xx) are what most inputs get: only errors are worth a line.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    flags = sys.argv[2:]
    if not any(flag.startswith("-artifact_prefix=") for flag in flags):
        artifacts = harness.var_dir() / "artifacts"
        artifacts.mkdir(exist_ok=True)
        flags.append(f"-artifact_prefix={artifacts}/{name}-")
    atheris.Setup([sys.argv[0], *flags], targets.TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
