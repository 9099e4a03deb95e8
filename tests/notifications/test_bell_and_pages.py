"""The bell, the notifications page, "mark all read" and the e-mail settings, through HTTP for a
logged-in person and an anonymous visitor; the same through the API."""

from __future__ import annotations

import re

from cartshare.comments.services import comment_create
from cartshare.notifications.models import Notification, NotificationSettings
from cartshare.notifications.services import notification_settings_get
from cartshare.orders.services import cart_checkout
from cartshare.sharing.services import cart_share_create


def tell_bob_two_things(world) -> None:
    comment_create(cart=world.trade_fair, actor=world.frank, text="Shall we order?")
    cart_checkout(cart=world.trade_fair, actor=world.alice)


def unread_badge(html: str) -> str | None:
    found = re.search(r'data-unread="(\d+)"', html)
    return found.group(1) if found else None


def test_the_bell_shows_the_unread_count_and_the_page_tells_it_in_words(world):
    tell_bob_two_things(world)
    client = world.logged_in_client(world.bob)

    assert unread_badge(client.get("/carts/").content.decode()) == "2"
    page = client.get("/notifications/").content.decode()

    ordered = page.index("Alice Archer ordered the cart &#x27;Trade fair&#x27;")
    commented = page.index("Frank Fischer commented on the cart &#x27;Trade fair&#x27;")
    assert ordered < commented  # newest first
    assert page.count(f'href="/carts/{world.trade_fair.pk}/"') >= 2
    assert page.count("notification-unread") == 2


def test_mark_all_read_empties_the_bell(world):
    tell_bob_two_things(world)
    client = world.logged_in_client(world.bob)

    response = client.post("/notifications/read/")

    assert (response.status_code, response["Location"]) == (302, "/notifications/")
    assert not Notification.objects.filter(recipient=world.bob, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.alice, read_at__isnull=True).exists()
    assert unread_badge(client.get("/notifications/").content.decode()) is None


def test_anonymous_visitors_are_sent_to_log_in(world):
    client = world.logged_in_client(None)
    for path in ("/notifications/", "/account/notifications/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post("/notifications/read/").status_code == 302


def test_the_settings_page_switches_kinds_of_mail(world):
    client = world.logged_in_client(world.greta)
    page = client.get("/account/notifications/").content.decode()
    assert page.count('type="checkbox"') == 5 and page.count(" checked") == 5

    response = client.post("/account/notifications/", {"shared_with_me": "1", "orders": "1"})

    assert response.status_code == 302
    assert notification_settings_get(world.greta) == {
        "shared_with_me": True,
        "comments": False,
        "mentions": False,
        "orders": True,
        "access_requests": False,
    }
    assert client.get("/account/notifications/").content.decode().count(" checked") == 2


def test_the_account_page_links_to_the_settings(world):
    page = world.logged_in_client(world.greta).get("/account/password/").content.decode()
    assert 'href="/account/notifications/"' in page


def test_api_lists_newest_first_with_words_and_absolute_links(world):
    tell_bob_two_things(world)
    api = world.api_client(world.bob)

    body = api.get("/notifications").json()

    assert [entry["kind"] for entry in body["results"]] == ["cart.ordered", "comment.created"]
    first = body["results"][0]
    assert first["text"].startswith("Alice Archer ordered the cart 'Trade fair' (CS-")
    assert first["url"] == f"http://testserver/carts/{world.trade_fair.pk}/"
    assert first["cart_id"] == str(world.trade_fair.pk)
    assert first["actor"] == {"id": world.alice.pk, "name": "Alice Archer"}
    assert first["read_at"] is None


def test_api_marks_chosen_ones_read_and_filters_unread(world):
    tell_bob_two_things(world)
    api = world.api_client(world.bob)
    newest = api.get("/notifications").json()["results"][0]["id"]
    alices = Notification.objects.get(recipient=world.alice).pk

    assert api.post("/notifications/read", {"ids": [newest, alices]}).status_code == 204

    unread = api.get("/notifications?unread=true").json()["results"]
    assert [entry["kind"] for entry in unread] == ["comment.created"]
    assert Notification.objects.get(pk=alices).read_at is None  # not bob's: untouched


def test_api_read_needs_ids_or_all(world):
    api = world.api_client(world.bob)
    for body in ({}, {"ids": [1], "all": True}):
        response = api.post("/notifications/read", body)
        assert response.status_code == 422


def test_api_read_refuses_ids_no_database_column_holds_422_not_500(world):
    """schemathesis found it: an id past 64 bits overflowed SQLite's INTEGER (a 500)."""
    api = world.api_client(world.bob)
    for ids in ([2**63], [2**64 + 1], [0]):
        assert api.post("/notifications/read", {"ids": ids}).status_code == 422


def test_api_settings_read_and_patch(world):
    api = world.api_client(world.greta)
    assert api.get("/me/notification-settings").json() == {
        "email": dict.fromkeys(
            ["shared_with_me", "comments", "mentions", "orders", "access_requests"], True
        )
    }

    response = api.request("PATCH", "/me/notification-settings", {"email": {"mentions": False}})

    assert response.status_code == 200
    assert response.json()["email"]["mentions"] is False
    assert NotificationSettings.objects.get(customer=world.greta).mentions is False
    refused = api.request("PATCH", "/me/notification-settings", {"email": {"mentions": "no"}})
    assert refused.status_code == 422


def test_sharing_through_the_api_tells_the_colleague(world):
    cart_share_create(
        cart=world.office_supplies,
        actor=world.alice,
        company_user_id=world.company_user("greta").pk,
        permission="READ_ONLY",
    )
    told = world.api_client(world.greta).get("/notifications").json()["results"]
    assert [entry["text"] for entry in told] == [
        "Alice Archer shared the cart 'Office supplies' with you (read-only access)."
    ]
