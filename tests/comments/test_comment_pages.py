"""The discussion page and the comment forms over HTTP, for every kind of caller."""

import pytest
from django.urls import reverse

from cartshare.comments.models import Comment
from cartshare.comments.services import comment_create
from tests.factories import CartFactory
from tests.world import CALLERS

pytestmark = pytest.mark.django_db

CAN_DISCUSS = {"owner", "full_access", "read_only"}


def discussion_url(cart):
    return reverse("storefront:cart_discussion", args=[cart.pk])


@pytest.mark.parametrize("caller", CALLERS)
def test_discussion_page_for_every_caller(world, caller):
    comment_create(cart=world.trade_fair, actor=world.alice, text="Check the paper count")
    response = world.logged_in_client(world.caller(caller)).get(discussion_url(world.trade_fair))
    if caller == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("storefront:login") + "?next=")
    elif caller in CAN_DISCUSS:
        assert response.status_code == 200
        assert b"Check the paper count" in response.content
        assert b'<label for="comment-text">Add a comment</label>' in response.content
    else:
        assert response.status_code == 404
        assert b"Check the paper count" not in response.content
        assert b"Trade fair" not in response.content


@pytest.mark.parametrize("caller", CALLERS)
def test_posting_a_comment_for_every_caller(world, caller):
    response = world.logged_in_client(world.caller(caller)).post(
        reverse("storefront:comment_create", args=[world.trade_fair.pk]), {"text": "Looks good"}
    )
    if caller == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("storefront:login"))
        assert not Comment.objects.exists()
    elif caller in CAN_DISCUSS:
        assert response.status_code == 302
        assert response["Location"] == discussion_url(world.trade_fair) + "#comments"
        assert Comment.objects.get().author == world.caller(caller)
    else:
        assert response.status_code == 404
        assert not Comment.objects.exists()


def test_a_comment_goes_back_to_the_page_it_came_from_but_never_off_site(world):
    client = world.logged_in_client(world.alice)
    url = reverse("storefront:comment_create", args=[world.trade_fair.pk])
    cart_page = reverse("storefront:cart_detail", args=[world.trade_fair.pk])
    response = client.post(url, {"text": "One", "next": cart_page})
    assert response["Location"] == cart_page + "#comments"
    response = client.post(url, {"text": "Two", "next": "https://evil.example/"})
    assert response["Location"] == discussion_url(world.trade_fair) + "#comments"


def test_a_comment_with_html_is_shown_as_text_with_its_line_breaks(world):
    client = world.logged_in_client(world.bob)
    text = '<script>alert("x")</script>\n<b>bold</b> & more'
    client.post(reverse("storefront:comment_create", args=[world.trade_fair.pk]), {"text": text})
    page = client.get(discussion_url(world.trade_fair)).content.decode()
    assert "<script>alert" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt; &amp; more"
        in page
    )


def test_a_comment_of_5001_characters_is_refused_with_a_message_and_the_text_is_kept(world):
    client = world.logged_in_client(world.frank)
    response = client.post(
        reverse("storefront:comment_create", args=[world.trade_fair.pk]), {"text": "z" * 5_001}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "A comment can have at most 5,000 characters. This one has 5,001." in page
    assert "z" * 5_001 + "</textarea>" in page
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused_with_a_message(world):
    response = world.logged_in_client(world.alice).post(
        reverse("storefront:comment_create", args=[world.trade_fair.pk]), {"text": "  "}
    )
    assert response.status_code == 422
    assert b"Write a comment first" in response.content
    assert not Comment.objects.exists()


def test_the_author_sees_edit_and_delete_and_others_see_neither(world):
    comment = comment_create(cart=world.trade_fair, actor=world.bob, text="Mine")
    edit_url = reverse("storefront:comment_update", args=[world.trade_fair.pk, comment.pk])
    delete_url = reverse("storefront:comment_delete", args=[world.trade_fair.pk, comment.pk])
    author_page = (
        world.logged_in_client(world.bob).get(discussion_url(world.trade_fair)).content.decode()
    )
    assert edit_url in author_page and delete_url in author_page
    reader_page = (
        world.logged_in_client(world.frank).get(discussion_url(world.trade_fair)).content.decode()
    )
    assert edit_url not in reader_page and delete_url not in reader_page
    owner_page = (
        world.logged_in_client(world.alice).get(discussion_url(world.trade_fair)).content.decode()
    )
    assert edit_url not in owner_page and delete_url in owner_page


@pytest.mark.parametrize("caller", CALLERS)
def test_editing_a_comment_for_every_caller(world, caller):
    comment = comment_create(cart=world.trade_fair, actor=world.frank, text="Original")
    url = reverse("storefront:comment_update", args=[world.trade_fair.pk, comment.pk])
    client = world.logged_in_client(world.caller(caller))
    get_response = client.get(url)
    response = client.post(url, {"text": "Rewritten"})
    comment.refresh_from_db()
    if caller == "read_only":
        assert get_response.status_code == 200
        assert b'<label for="comment-edit-text">Your comment</label>' in get_response.content
        assert response.status_code == 302
        assert comment.text == "Rewritten" and comment.edited
        page = client.get(discussion_url(world.trade_fair)).content.decode()
        assert "comment-edited" in page and ">edited</span>" in page
        return
    assert comment.text == "Original" and not comment.edited
    if caller == "anonymous":
        assert response.status_code == 302
    elif caller in CAN_DISCUSS:
        assert (get_response.status_code, response.status_code) == (403, 403)
        assert b"Only its author can edit a comment." in response.content
    else:
        assert (get_response.status_code, response.status_code) == (404, 404)


def test_an_edit_that_is_too_long_is_refused_and_the_comment_is_unchanged(world):
    comment = comment_create(cart=world.trade_fair, actor=world.alice, text="Short")
    url = reverse("storefront:comment_update", args=[world.trade_fair.pk, comment.pk])
    response = world.logged_in_client(world.alice).post(url, {"text": "q" * 5_001})
    assert response.status_code == 422
    assert b"at most 5,000 characters" in response.content
    comment.refresh_from_db()
    assert comment.text == "Short" and not comment.edited


@pytest.mark.parametrize("caller", CALLERS)
def test_deleting_a_colleagues_comment_for_every_caller(world, caller):
    comment = comment_create(cart=world.trade_fair, actor=world.bob, text="Delete me?")
    response = world.logged_in_client(world.caller(caller)).post(
        reverse("storefront:comment_delete", args=[world.trade_fair.pk, comment.pk])
    )
    still_there = Comment.objects.filter(pk=comment.pk).exists()
    if caller in {"owner", "full_access"}:  # the cart's owner, and the author
        assert response.status_code == 302 and not still_there
    elif caller == "anonymous":
        assert response.status_code == 302 and still_there
    elif caller == "read_only":
        assert response.status_code == 403 and still_there
        assert b"the cart&#x27;s owner can delete any" in response.content
    else:
        assert response.status_code == 404 and still_there


def test_a_comment_is_addressed_only_through_its_own_cart(world):
    """Even the owner of both carts cannot delete it through the URL of another cart."""
    other_cart = CartFactory(owner=world.alice, name="Other cart")
    comment = comment_create(cart=other_cart, actor=world.alice, text="X")
    response = world.logged_in_client(world.alice).post(
        reverse("storefront:comment_delete", args=[world.trade_fair.pk, comment.pk])
    )
    assert response.status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_comments_are_paginated(world, settings):
    for index in range(25):
        comment_create(cart=world.trade_fair, actor=world.alice, text=f"Note number {index:02d}")
    client = world.logged_in_client(world.alice)
    first = client.get(discussion_url(world.trade_fair)).content.decode()
    assert "Note number 24" in first and "Note number 04" not in first
    assert "?comments_page=2#comments" in first
    second = client.get(discussion_url(world.trade_fair) + "?comments_page=2").content.decode()
    assert "Note number 04" in second and "Note number 24" not in second


def test_the_discussion_page_query_count_does_not_grow_with_comments(
    world, django_assert_max_num_queries
):
    client = world.logged_in_client(world.frank)
    for index in range(3):
        comment_create(cart=world.trade_fair, actor=world.alice, text=f"c{index}")
    client.get(discussion_url(world.trade_fair))  # warm the session
    with django_assert_max_num_queries(30) as few:
        client.get(discussion_url(world.trade_fair))
    for index in range(15):
        comment_create(cart=world.trade_fair, actor=world.bob, text=f"d{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(discussion_url(world.trade_fair))
