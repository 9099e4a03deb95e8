"""`redocly lint` on the served /api/v1/openapi.json, with the pinned CLI of tools/openapi-lint
(`npm ci` there; .ci/run does it) and its rules (tools/openapi-lint/redocly.yaml): no error,
no warning. Skipped only outside CI when the CLI is not installed; in CI a missing CLI fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.api.openapi import openapi_document

pytestmark = pytest.mark.django_db

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "openapi-lint"
CLI = TOOLS / "node_modules" / ".bin" / "redocly"


def test_redocly_finds_nothing_in_the_served_document(tmp_path):
    if not CLI.exists() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CLI} is missing: run `npm ci` in {TOOLS} (.ci/run does)")
        pytest.skip(f"the pinned redocly CLI is not installed (npm ci in {TOOLS})")
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(openapi_document()))
    result = subprocess.run(
        [str(CLI), "lint", str(document), "--config", str(TOOLS / "redocly.yaml")],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "warning" not in report.lower().replace("deprecation warning", ""), report
