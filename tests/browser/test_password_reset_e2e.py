"""The forgotten password in Chromium, end to end: Alice asks for the link on the log-in page,
the task worker mails it through a real SMTP server, she opens the link from the mail, sets a
new password and logs in with it; the API token she had before is refused."""

from __future__ import annotations

import re

import pytest

from tests.api.client import client_for
from tests.browser.conftest import log_in
from tests.mail_sink import run_worker, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "a new long passphrase 42"


def test_alice_resets_her_password_from_the_mail(new_page, live_server, world, smtp_sink, settings):
    settings.CARTSHARE_BASE_URL = live_server.url
    old_token = client_for(world.alice)
    assert old_token.get("/me").status_code == 200

    page = new_page()
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill("alice@acme.example")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your mail").wait_for()
    assert "If alice@acme.example belongs to an account" in page.content()

    run_worker()
    text = text_of(smtp_sink.one_to("alice@acme.example"))
    link = re.search(rf"{re.escape(live_server.url)}/password-reset/\S+", text)
    assert link, text

    page.goto(link.group(0))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    page.get_by_role("heading", name="Your password is changed").wait_for()

    assert old_token.get("/me").status_code == 401
    log_in(page, "alice@acme.example", NEW_PASSWORD)
    assert page.get_by_role("button", name="Log out").is_visible()
    page.goto(link.group(0))
    assert "This link was used already or has expired" in page.content()
