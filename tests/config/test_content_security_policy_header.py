"""Every response carries the Content-Security-Policy: our own origin only, no inline script or
style, no framing; and no template of the shop holds an inline script, style or handler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from config.middleware import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
# The apps' templates and the project's (base.html, includes, error pages, the admin's).
TEMPLATE_DIRS = (ROOT / "cartshare" / "storefront" / "templates", ROOT / "cartshare" / "templates")
PAGE_TEMPLATES = sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))
DIRECTIVES = {
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
}


def test_the_policy_allows_our_origin_only():
    assert set(CONTENT_SECURITY_POLICY.split("; ")) >= DIRECTIVES
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    ["/", "/login/", "/share/unknown-token", "/api/v1/products", "/api/v1/docs", "/admin/login/"],
)
def test_every_response_carries_the_policy(database_cache, address):
    response = Client().get(address)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_an_inline_script_style_or_handler(template):
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline <script>"
    assert not re.search(r"<style\b|\sstyle=", html), "inline style"
    assert not re.search(r"\son[a-z]+\s*=|javascript:", html), "inline event handler"
