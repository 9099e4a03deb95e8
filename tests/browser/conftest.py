"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's
live server. Skipped where /usr/bin/chromium is missing, except under CI (CI=true), where a
missing browser is a failure."""

import os
import shutil
from collections.abc import Callable, Iterator

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (set-up, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "demo1234"


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; .ci/run installs it.")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (run `make browser`)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """`new_page()` opens a page in a fresh browser context (its own cookies: one person)."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def logged_in_page(new_page: Callable, live_server, person):
    """A new page already logged in as `person` (a session made by Django's test client, its
    cookie handed to the browser): for tests whose story starts after the log-in."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page
