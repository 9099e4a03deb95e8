"""Cart names, cart notes and comments refuse control characters, with a message that says
which ones, through the API (422 naming the field) and the pages (the form's error); notes and
comments keep their line breaks and tabs, names stay on one line. Nothing is stored on refusal."""

from __future__ import annotations

import pytest
from django.test import Client

from cartshare.carts.models import Cart
from cartshare.comments.models import Comment
from tests.api.client import assert_problem, client_for
from tests.factories import CartFactory, CustomerFactory

pytestmark = pytest.mark.django_db

# Escape, bell, backspace, DEL, a C1 "next line" and a vertical tab: none shows as text.
CONTROL = ["\x1b[31m", "\x07", "\x08", "\x7f", "\x85", "\x0b"]
LINE_BREAKS = ["\n", "\r\n", "\t"]


@pytest.fixture
def owner():
    return CustomerFactory()


@pytest.fixture
def cart(owner):
    return CartFactory(owner=owner, name="Office", note="")


def stored(cart) -> tuple:
    return (
        Cart.objects.values_list("name", "note", "version").get(pk=cart.pk),
        Cart.objects.count(),
        Comment.objects.count(),
    )


@pytest.mark.parametrize("character", CONTROL + LINE_BREAKS)
def test_the_api_refuses_a_cart_name_with_a_control_character(owner, cart, character):
    before = stored(cart)
    api = client_for(owner)
    created = assert_problem(api.post("/carts", {"name": f"Bad{character}name"}), 422)
    renamed = assert_problem(api.patch(f"/carts/{cart.pk}", {"name": f"A{character}B"}), 422)
    for problem in (created, renamed):
        assert "control characters" in problem["errors"]["name"][0]
        assert set(problem["errors"]) == {"name"}
    assert stored(cart) == before


@pytest.mark.parametrize("character", CONTROL)
def test_the_api_refuses_a_note_or_comment_with_a_control_character(owner, cart, character):
    before = stored(cart)
    api = client_for(owner)
    note = assert_problem(api.patch(f"/carts/{cart.pk}", {"note": f"x{character}y"}), 422)
    assert "control characters" in note["errors"]["note"][0]
    posted = api.post(f"/carts/{cart.pk}/comments", {"text": f"x{character}y"})
    comment = assert_problem(posted, 422)
    assert "control characters" in comment["errors"]["text"][0]
    assert stored(cart) == before


def test_the_message_names_the_character_found(owner):
    problem = assert_problem(client_for(owner).post("/carts", {"name": "Red\x1b[31m"}), 422)
    assert "(found: \\x1b)" in problem["detail"]


def test_notes_and_comments_keep_line_breaks_and_tabs(owner, cart):
    api = client_for(owner)
    response = api.patch(f"/carts/{cart.pk}", {"note": "Booth 12\r\nHall\t3"})
    assert response.status_code == 200, response.content
    assert response.json()["note"] == "Booth 12\nHall\t3"
    response = api.post(f"/carts/{cart.pk}/comments", {"text": "Two lines\nand\ta tab"})
    assert response.status_code == 201, response.content
    assert Comment.objects.get().text == "Two lines\nand\ta tab"


def test_the_new_cart_form_refuses_a_name_with_a_line_break(owner):
    client = Client()
    client.force_login(owner)
    before = Cart.objects.count()
    response = client.post("/carts/new/", {"name": "Two\nlines"})
    assert response.status_code == 422
    assert "one line of text without control characters" in response.content.decode()
    assert Cart.objects.count() == before


def test_the_cart_form_refuses_a_note_with_an_escape_character(owner, cart):
    client = Client()
    client.force_login(owner)
    before = stored(cart)
    response = client.post(
        f"/carts/{cart.pk}/edit/", {"name": "Office", "note": "\x1b[2J", "version": cart.version}
    )
    assert stored(cart) == before
    assert response.status_code == 302  # back to the cart page, with the message
    assert "no other control characters" in client.get(response["Location"]).content.decode()


def test_the_comment_form_refuses_a_control_character_and_keeps_the_draft(owner, cart):
    client = Client()
    client.force_login(owner)
    response = client.post(f"/carts/{cart.pk}/comments/", {"text": "Hello\x07there"})
    assert response.status_code == 422
    assert "no other control characters" in response.content.decode()
    assert not Comment.objects.exists()
