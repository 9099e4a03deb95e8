"""Comments at the domain level: who may write, edit and delete, and what text is accepted."""

import pytest

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.comments.models import Comment
from cartshare.comments.selectors import comment_get_for, comments_for_cart
from cartshare.comments.services import comment_create, comment_delete, comment_update
from cartshare.common.errors import InvalidInput, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("caller", ["owner", "full_access", "read_only"])
def test_owner_and_grantees_can_comment_and_it_is_logged(world, caller):
    person = world.caller(caller)
    comment = comment_create(cart=world.trade_fair, actor=person, text="  Do we need 10 reams?\n ")
    assert comment.text == "Do we need 10 reams?"
    assert comment.author == person and not comment.edited
    activity = CartActivity.objects.get(cart=world.trade_fair, verb=Verb.COMMENTED)
    assert activity.actor == person
    assert activity.details == {"comment_id": comment.pk}


@pytest.mark.parametrize("caller", ["other_unit", "other_company", "b2c"])
def test_people_who_cannot_see_the_cart_cannot_comment(world, caller):
    with pytest.raises(NotFound):
        comment_create(cart=world.trade_fair, actor=world.caller(caller), text="Hello")
    assert not Comment.objects.exists()
    assert not CartActivity.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "\n\n", None, 42])
def test_an_empty_comment_is_refused(world, text):
    with pytest.raises(InvalidInput, match="cannot be empty"):
        comment_create(cart=world.trade_fair, actor=world.alice, text=text)
    assert not Comment.objects.exists()


def test_five_thousand_characters_are_accepted_and_one_more_is_refused(world):
    comment_create(cart=world.trade_fair, actor=world.alice, text="x" * 5_000)
    with pytest.raises(InvalidInput, match="at most 5,000 characters") as refusal:
        comment_create(cart=world.trade_fair, actor=world.alice, text="y" * 5_001)
    assert refusal.value.errors["text"]
    assert list(Comment.objects.values_list("text", flat=True)) == ["x" * 5_000]


def test_windows_line_breaks_count_as_one_character(world):
    comment = comment_create(cart=world.trade_fair, actor=world.alice, text="a\r\n" * 2_000 + "b")
    assert comment.text == "a\n" * 2_000 + "b"


def test_the_author_edits_their_comment_and_it_is_marked_edited(world):
    comment = comment_create(cart=world.trade_fair, actor=world.frank, text="First")
    comment_update(comment=comment, actor=world.frank, text="Second")
    comment.refresh_from_db()
    assert comment.text == "Second" and comment.edited


def test_saving_the_same_text_does_not_mark_it_edited(world):
    comment = comment_create(cart=world.trade_fair, actor=world.frank, text="Same")
    comment_update(comment=comment, actor=world.frank, text=" Same ")
    comment.refresh_from_db()
    assert not comment.edited


@pytest.mark.parametrize("caller", ["owner", "full_access"])
def test_nobody_else_edits_a_comment_not_even_the_owner(world, caller):
    comment = comment_create(cart=world.trade_fair, actor=world.frank, text="Mine")
    with pytest.raises(PermissionDenied, match="Only its author"):
        comment_update(comment=comment, actor=world.caller(caller), text="Changed")
    comment.refresh_from_db()
    assert comment.text == "Mine" and not comment.edited


def test_the_author_deletes_their_comment(world):
    comment = comment_create(cart=world.trade_fair, actor=world.bob, text="Oops")
    comment_delete(comment=comment, actor=world.bob)
    assert not Comment.objects.exists()


def test_the_owner_deletes_any_comment(world):
    comment = comment_create(cart=world.trade_fair, actor=world.bob, text="Off topic")
    comment_delete(comment=comment, actor=world.alice)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("caller", ["full_access", "read_only"])
def test_grantees_cannot_delete_other_peoples_comments(world, caller):
    comment = comment_create(cart=world.trade_fair, actor=world.alice, text="Keep this")
    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, actor=world.caller(caller))
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_comment_of_a_cart_out_of_sight_is_not_found(world):
    comment = comment_create(cart=world.trade_fair, actor=world.alice, text="Internal")
    with pytest.raises(NotFound):
        comment_get_for(world.dave, comment.pk)
    with pytest.raises(NotFound):
        comment_get_for(world.alice, "not-a-number")


def test_comments_are_listed_newest_first_with_their_authors(world, django_assert_num_queries):
    for index in range(5):
        comment_create(cart=world.trade_fair, actor=world.frank, text=f"Comment {index}")
    with django_assert_num_queries(1):  # one page with authors joined (no COUNT: it is all)
        page = comments_for_cart(world.trade_fair, 1)
        names = [(comment.text, comment.author.name) for comment in page.object_list]
    assert names[0] == ("Comment 4", "Frank Fischer")
    assert len(names) == 5
