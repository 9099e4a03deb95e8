"""Tokens are masked in every log line: `mask_tokens` for addresses and query strings, the
`MaskTokens` filter on the console handler for any record (Django's "Not Found: /share/…"
included, tracebacks too), and the access-log middleware that replaces the server's access log.
With the database cache table, as production runs."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client

from cartshare.common.logmask import MASK, MaskTokens, mask_tokens
from cartshare.sharing.link_services import share_link_get_or_create
from cartshare.sharing.tokens import token_new
from tests.factories import CartFactory, CompanyUserFactory

TOKEN = "Zm9vYmFyYmF6cXV4cXV1eF9zZWNyZXQtdG9rZW4tNDM"


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        (f"GET /share/{TOKEN} HTTP/1.1", f"GET /share/{MASK} HTTP/1.1"),
        (f"/share/{TOKEN}/accept", f"/share/{MASK}/accept"),
        (f"https://shop.example/share/{TOKEN}", f"https://shop.example/share/{MASK}"),
        (f"/api/v1/shared/{TOKEN}/copy", f"/api/v1/shared/{MASK}/copy"),
        (f"/share/{TOKEN}?utm_source=chat", f"/share/{MASK}?utm_source=chat"),
        (f"/login/?next=/share/{TOKEN}", f"/login/?next=/share/{MASK}"),
        (f"/login/?next=%2Fshare%2F{TOKEN}&a=1", f"/login/?next=%2Fshare%2F{MASK}&a=1"),
        (f"/products/?q=pen&token={TOKEN}", f"/products/?q=pen&token={MASK}"),
        (f"/x?access_token={TOKEN}#top", f"/x?access_token={MASK}#top"),
        ("/share/join/12", "/share/join/12"),
        ("/carts/7/share/", "/carts/7/share/"),
        ("/products/?q=share", "/products/?q=share"),
    ],
)
def test_mask_tokens_hides_tokens_and_keeps_the_rest(logged, expected):
    assert mask_tokens(logged) == expected


def records_through_the_console_filter(*log_calls) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskTokens())
    logger = logging.getLogger("tests.log_masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for call in log_calls:
            call(logger)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return stream.getvalue()


def test_the_filter_masks_messages_with_arguments_and_tracebacks():
    def crash(logger):
        try:
            raise ValueError(f"bad link /share/{TOKEN}")
        except ValueError:
            logger.exception("Failed on %s", f"/share/{TOKEN}")

    output = records_through_the_console_filter(
        lambda logger: logger.warning("%s: %s", "Not Found", f"/share/{TOKEN}"),
        lambda logger: logger.error(f"Gone: /api/v1/shared/{TOKEN}"),
        crash,
    )
    assert TOKEN not in output
    assert f"Not Found: /share/{MASK}" in output
    assert f"bad link /share/{MASK}" in output


def test_the_console_handler_of_the_settings_masks_tokens():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["mask_tokens"]
    assert settings.LOGGING["filters"]["mask_tokens"]["()"] == "cartshare.common.logmask.MaskTokens"
    assert logging.getLogger("django").handlers == []  # Django's unmasked console handler is gone


@pytest.mark.django_db
def test_the_access_log_middleware_logs_every_request_with_tokens_masked(database_cache, caplog):
    owner = CompanyUserFactory().customer
    cart = CartFactory(owner=owner)
    _, url, _ = share_link_get_or_create(
        cart=cart, actor=owner, share_option="PREVIEW", base_url="http://testserver"
    )
    token = url.rsplit("/", 1)[-1]
    unknown = token_new()
    caplog.set_level(logging.INFO, logger="cartshare.access")
    client = Client()
    client.get(f"/share/{token}")
    client.get(f"/share/{unknown}")
    client.get(f"/api/v1/shared/{token}?token={token}")
    lines = [r.getMessage() for r in caplog.records if r.name == "cartshare.access"]
    assert len(lines) == 3
    assert lines[0] == f'127.0.0.1 "GET /share/{MASK} HTTP/1.1" 200 ' + lines[0].rsplit(" ", 1)[1]
    assert f'"GET /share/{MASK} HTTP/1.1" 404' in lines[1]
    assert f'"GET /api/v1/shared/{MASK}?token={MASK} HTTP/1.1" 200' in lines[2]
    everything = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in everything
