"""Comment and Activity endpoints keep the promises of ../shared/API.md. Reading and writing the
discussion needs the policy's COMMENT action (owner, full access, read-only)."""

import pytest

from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart, CartStatus
from cartshare.comments.models import Comment
from cartshare.comments.services import comment_create
from tests.api.client import assert_problem, client_for

pytestmark = pytest.mark.django_db

COMMENT_FIELDS = {"id", "author", "text", "created_at", "updated_at", "edited"}
ACTIVITY_FIELDS = {"id", "actor", "verb", "details", "text", "created_at"}


def texts(cart) -> list[str]:
    return list(Comment.objects.filter(cart=cart).order_by("pk").values_list("text", flat=True))


@pytest.fixture
def question(world) -> Comment:
    return comment_create(cart=world.trade_fair, actor=world.frank, text="Do we need two?")


# Comments


def test_comments_are_listed_newest_first(world, question):
    answer = comment_create(cart=world.trade_fair, actor=world.alice, text="Yes, for the booth.")
    response = client_for(world.bob).get(f"/carts/{world.trade_fair.pk}/comments")
    assert response.status_code == 200
    body = response.json()
    assert [comment["id"] for comment in body["results"]] == [answer.pk, question.pk]
    assert all(set(comment) == COMMENT_FIELDS for comment in body["results"])
    first = body["results"][1]
    assert first["author"] == {"id": world.frank.pk, "name": world.frank.name}
    assert first["text"] == "Do we need two?"
    assert first["edited"] is False
    assert body["next"] is None


def test_comments_are_paged(world):
    for number in range(3):
        comment_create(cart=world.trade_fair, actor=world.alice, text=f"Note {number}")
    client = client_for(world.alice)
    first = client.get(f"/carts/{world.trade_fair.pk}/comments?limit=2").json()
    assert [comment["text"] for comment in first["results"]] == ["Note 2", "Note 1"]
    second = client.client.get(first["next"], headers={"Authorization": f"Bearer {client.token}"})
    assert [comment["text"] for comment in second.json()["results"]] == ["Note 0"]


def test_a_read_only_colleague_comments_and_gets_201(world):
    response = client_for(world.frank).post(
        f"/carts/{world.trade_fair.pk}/comments", {"text": "  Please add staples.\r\n  "}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == COMMENT_FIELDS
    assert body["text"] == "Please add staples."
    assert body["author"] == {"id": world.frank.pk, "name": world.frank.name}
    assert texts(world.trade_fair) == ["Please add staples."]
    assert CartActivity.objects.filter(cart=world.trade_fair).latest("pk").verb == "commented"


@pytest.mark.parametrize(
    ("text", "why"),
    [("   \n ", "empty"), ("x" * 5_001, "at most"), ("A\x00B", "NUL"), (42, "string")],
)
def test_a_bad_comment_answers_422_and_adds_nothing(world, text, why):
    response = client_for(world.alice).post(
        f"/carts/{world.trade_fair.pk}/comments", {"text": text}
    )
    body = assert_problem(response, 422)
    assert "text" in body["errors"]
    assert why in " ".join(body["errors"]["text"])
    assert texts(world.trade_fair) == []


def test_the_discussion_goes_on_after_the_order(world):
    Cart.objects.filter(pk=world.trade_fair.pk).update(status=CartStatus.ORDERED)
    response = client_for(world.bob).post(
        f"/carts/{world.trade_fair.pk}/comments", {"text": "Ordered, thanks."}
    )
    assert response.status_code == 201


def test_strangers_neither_read_nor_write_the_discussion(world):
    stranger = client_for(world.carol)
    assert_problem(stranger.get(f"/carts/{world.trade_fair.pk}/comments"), 404)
    assert_problem(stranger.post(f"/carts/{world.trade_fair.pk}/comments", {"text": "Hi"}), 404)
    assert texts(world.trade_fair) == []


def test_the_author_edits_a_comment_and_it_is_marked_edited(world, question):
    response = client_for(world.frank).patch(
        f"/comments/{question.pk}", {"text": "Do we need three?"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == COMMENT_FIELDS
    assert body["text"] == "Do we need three?"
    assert body["edited"] is True
    assert texts(world.trade_fair) == ["Do we need three?"]


def test_nobody_but_the_author_edits_a_comment(world, question):
    body = assert_problem(
        client_for(world.alice).patch(f"/comments/{question.pk}", {"text": "Changed"}), 403
    )
    assert "author" in body["detail"]
    assert texts(world.trade_fair) == ["Do we need two?"]


def test_the_carts_owner_deletes_anyones_comment(world, question):
    assert client_for(world.alice).delete(f"/comments/{question.pk}").status_code == 204
    assert texts(world.trade_fair) == []


def test_a_colleague_cannot_delete_someone_elses_comment(world, question):
    assert_problem(client_for(world.bob).delete(f"/comments/{question.pk}"), 403)
    assert texts(world.trade_fair) == ["Do we need two?"]


def test_an_unknown_comment_answers_404(world):
    assert_problem(client_for(world.alice).delete("/comments/999999"), 404)


# Activity


def test_the_activity_log_is_newest_first_with_a_sentence_per_entry(world):
    owner = client_for(world.alice)
    owner.post(f"/carts/{world.trade_fair.pk}/items", {"sku": world.lamp.sku, "quantity": 3})
    client_for(world.bob).patch(f"/carts/{world.trade_fair.pk}", {"name": "Trade fair 2027"})
    response = client_for(world.frank).get(f"/carts/{world.trade_fair.pk}/activity")
    assert response.status_code == 200
    entries = response.json()["results"]
    assert all(set(entry) == ACTIVITY_FIELDS for entry in entries)
    assert [entry["verb"] for entry in entries[:2]] == ["cart_renamed", "item_added"]
    renamed, added = entries[:2]
    assert renamed["actor"] == {"id": world.bob.pk, "name": world.bob.name}
    assert renamed["details"] == {"old": "Trade fair", "new": "Trade fair 2027"}
    assert renamed["text"] == (
        f"{world.bob.name} renamed the cart from “Trade fair” to “Trade fair 2027”"
    )
    assert added["details"]["quantity"] == 3
    assert added["text"].startswith(f"{world.alice.name} added 3")


def test_an_entry_of_a_deleted_account_has_no_actor(world):
    CartActivity.objects.create(cart=world.trade_fair, actor=None, verb="commented", details={})
    entry = (
        client_for(world.alice).get(f"/carts/{world.trade_fair.pk}/activity").json()["results"][0]
    )
    assert entry["actor"] is None
    assert entry["text"] == "A former user commented"


def test_strangers_do_not_see_the_activity_log(world):
    assert_problem(client_for(world.dave).get(f"/carts/{world.trade_fair.pk}/activity"), 404)
