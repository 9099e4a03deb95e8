"""Forgotten password (spec §12), through HTTP and a real SMTP server: the same answer whether or
not the address has an account, a one-time link that expires after 3 days, and afterwards no
other session or API token of the account works. Registration with a known address mails its
owner."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from cartshare.notifications.models import Mail
from tests.api.client import ApiClient
from tests.mail_sink import run_worker, text_of

NEW_PASSWORD = "a new long passphrase 42"


def reset_path(text: str) -> str:
    found = re.search(r"http://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)", text)
    assert found, text
    return found.group(1)


def ask(email: str, client: Client | None = None) -> tuple[int, str]:
    client = client or Client()
    response = client.post("/password-reset/", {"email": email}, follow=True)
    page = response.content.decode()
    message = re.search(r'<p role="status">(.*?)</p>', page, re.S)
    assert message, page
    return response.status_code, message.group(1).replace(email, "<address>")


def test_the_answer_is_the_same_with_or_without_an_account_and_only_accounts_get_mail(
    world, smtp_sink
):
    assert ask("alice@acme.example") == ask("nobody@example.org")
    run_worker()
    assert [str(message["To"]) for message in smtp_sink.messages] == ["alice@acme.example"]
    assert smtp_sink.messages[0]["Subject"] == "Reset your Cartshare password"


def test_reset_end_to_end_ends_every_other_session_and_token_and_the_link_works_once(
    world, smtp_sink
):
    other_session = world.logged_in_client(world.alice)
    token_client = world.api_client(world.alice)
    assert token_client.get("/me").status_code == 200
    ask("alice@acme.example")
    run_worker()
    text = text_of(smtp_sink.one_to("alice@acme.example"))
    assert "works once, for 3 days" in text
    path = reset_path(text)
    assert not Mail.objects.filter(context__icontains=path.split("/")[3]).exists()  # not stored

    browser = Client()
    form_page = browser.get(path, follow=True)
    assert b"Choose a new password" in form_page.content
    done = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (done.status_code, done["Location"]) == (302, "/password-reset/done/")

    world.alice.refresh_from_db()
    assert world.alice.check_password(NEW_PASSWORD)
    assert token_client.get("/me").status_code == 401
    assert other_session.get("/carts/").status_code == 302  # logged out
    again = Client().get(path, follow=True)
    assert b"This link was used already or has expired" in again.content
    logged_in = Client().post("/login/", {"email": "alice@acme.example", "password": NEW_PASSWORD})
    assert logged_in.status_code == 302


def test_the_link_expires_after_three_days(world, smtp_sink):
    ask("bob@acme.example")
    run_worker()
    path = reset_path(text_of(smtp_sink.one_to("bob@acme.example")))
    with time_machine.travel(timezone.now() + timedelta(days=3, hours=1)):
        page = Client().get(path, follow=True)
    assert b"This link was used already or has expired" in page.content


def test_requests_are_limited_per_address_and_per_client(world, settings):
    settings.CARTSHARE_PASSWORD_RESET_RATE_LIMIT = "2/h"
    per_address = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").post("/password-reset/", {"email": "bob@acme.example"})
        for n in range(3)
    ]
    assert [response.status_code for response in per_address] == [302, 302, 429]
    assert Mail.objects.filter(to_address="bob@acme.example").count() == 2

    api = ApiClient()
    per_client = [
        api.post("/password-resets", {"email": f"x{n}@example.org"}, REMOTE_ADDR="10.0.1.1")
        for n in range(3)
    ]
    assert [response.status_code for response in per_client] == [202, 202, 429]
    assert per_client[2]["Retry-After"]


def test_the_api_answers_202_whether_or_not_the_address_has_an_account(world):
    api = ApiClient()
    known = api.post("/password-resets", {"email": "frank@acme.example"})
    unknown = api.post("/password-resets", {"email": "nobody@example.org"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.status_code == 202
    assert list(Mail.objects.values_list("to_address", flat=True)) == ["frank@acme.example"]


def test_the_login_page_offers_the_reset(world):
    assert b'href="/password-reset/"' in Client().get("/login/").content


def test_registering_a_known_address_mails_its_owner_a_login_and_reset_link(world, smtp_sink):
    response = Client().post(
        "/register/",
        {
            "name": "Someone",
            "email": "Greta@acme.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    run_worker()
    mail = smtp_sink.one_to("greta@acme.example")
    assert mail["Subject"] == "You already have a Cartshare account"
    text = text_of(mail)
    assert "/login/" in text
    assert Client().get(reset_path(text), follow=True).status_code == 200
