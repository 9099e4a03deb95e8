"""Live events through real servers (issue 13): `GET /api/v1/carts/{id}/events` as `make run`
serves it on SQLite (one process), and as production serves it on PostgreSQL with 2 workers,
with NOTIFY and with Redis pub/sub (the change is made through one server process and heard
through another). Every change a service commits reaches the stream within a second; taking
the access away ends it; a reconnect with Last-Event-ID gets what it missed."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from cartshare.sharing.models import CartShare
from tests.api.client import token_for
from tests.cache_backends import REDIS_URL
from tests.config.test_server_logs_hold_no_tokens import (
    HOST,
    Server,
    base_environment,
    collected_static,  # noqa: F401 (a fixture: production serves collected static files)
    free_port,
    make_run_command,
    production_command,
    production_settings,
)
from tests.live.sse import Stream

pytestmark = pytest.mark.django_db(transaction=True)

WITHIN = 1.0  # seconds: spec §13


def api(port: int, method: str, path: str, token: str, body: dict | None = None) -> int:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/v1{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory):
    """`make run`'s server (one process): the in-process hub alone. One for the module: it
    reads the test database, which every test fills afresh."""
    var = tmp_path_factory.mktemp("live-dev")
    port = free_port()
    env = base_environment("database") | {"CARTSHARE_VAR_DIR": str(var)}
    server = Server(make_run_command(port), env, var / "server.log")
    server.wait_ready(port)
    yield port
    server.stop()


def follow(port: int, cart, person, **headers: str) -> Stream:
    stream = Stream(
        port,
        f"/api/v1/carts/{cart.pk}/events",
        {"Authorization": f"Bearer {token_for(person)}"} | headers,
    )
    assert stream.status == 200, getattr(stream, "body", b"")
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    return stream


def test_a_change_reaches_every_open_view_within_a_second(world, dev_server):
    cart = world.trade_fair
    alice, frank = follow(dev_server, cart, world.alice), follow(dev_server, cart, world.frank)
    bob = token_for(world.bob)
    started = time.monotonic()
    assert api(dev_server, "POST", f"/carts/{cart.pk}/comments", bob, {"text": "Lamp too?"}) == 201
    comment = alice.next("comment.created", timeout=WITHIN)
    assert comment.data["text"] == "Lamp too?" and comment.data["author"]["name"] == "Bob Brandt"
    changed = alice.next("cart.changed", timeout=WITHIN)
    assert time.monotonic() - started < WITHIN
    assert changed.id == comment.id and changed.data["access"] == "OWNER"
    assert frank.next("cart.changed", timeout=WITHIN).data["access"] == "READ_ONLY"
    stapler = world.item(cart, world.stapler)
    status = api(dev_server, "PATCH", f"/carts/{cart.pk}/items/{stapler.pk}", bob, {"quantity": 7})
    assert status == 200
    event = alice.next("cart.changed", timeout=WITHIN)
    assert int(event.id) > int(changed.id)
    quantities = {item["sku"]: item["quantity"] for item in event.data["items"]}
    assert quantities["STAPLER-1"] == 7
    assert event.data["totals"]["subtotal"] == 7 * 1250 + 10 * 499
    alice.close()
    frank.close()


def test_editing_and_deleting_a_comment_reach_the_stream(world, dev_server):
    """comment.updated carries the comment as it is now, comment.deleted the comment without
    its text; both are published after commit by the comment services."""
    from cartshare.comments.models import Comment

    cart = world.trade_fair
    alice = follow(dev_server, cart, world.alice)
    bob = token_for(world.bob)
    assert api(dev_server, "POST", f"/carts/{cart.pk}/comments", bob, {"text": "Lamp?"}) == 201
    created = alice.next("comment.created", timeout=WITHIN)
    comment_id = created.data["id"]
    assert api(dev_server, "PATCH", f"/comments/{comment_id}", bob, {"text": "Two lamps?"}) == 200
    updated = alice.next("comment.updated", timeout=WITHIN)
    assert int(updated.id) > int(created.id)
    assert updated.data["id"] == comment_id and updated.data["text"] == "Two lamps?"
    assert updated.data["edited"] is True and updated.data["author"]["name"] == "Bob Brandt"
    assert alice.next("cart.changed", timeout=WITHIN).id == updated.id
    assert api(dev_server, "DELETE", f"/comments/{comment_id}", bob) == 204
    deleted = alice.next("comment.deleted", timeout=WITHIN)
    assert int(deleted.id) > int(updated.id)
    assert deleted.data["id"] == comment_id and deleted.data["text"] == ""
    assert deleted.data["author"] == {"id": world.bob.pk, "name": "Bob Brandt"}
    assert deleted.data["edited"] is True
    assert not Comment.objects.filter(pk=comment_id).exists()
    alice.close()


def test_taking_the_access_away_ends_the_stream(world, dev_server):
    frank = follow(dev_server, world.trade_fair, world.frank)
    time.sleep(0.2)
    share = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.frank)
    assert api(dev_server, "DELETE", f"/shared-carts/{share.pk}", token_for(world.alice)) == 204
    assert frank.next("access.changed", timeout=WITHIN).data == {"access": None}
    assert frank.ended(timeout=WITHIN)


def test_a_reconnect_with_last_event_id_gets_what_it_missed(world, dev_server):
    cart = world.trade_fair
    first = follow(dev_server, cart, world.alice)
    bob = token_for(world.bob)
    api(dev_server, "POST", f"/carts/{cart.pk}/comments", bob, {"text": "one"})
    seen = first.next("cart.changed", timeout=WITHIN)
    first.close()
    for text in ("two", "three"):
        assert api(dev_server, "POST", f"/carts/{cart.pk}/comments", bob, {"text": text}) == 201
    again = follow(dev_server, cart, world.alice, **{"Last-Event-ID": seen.id})
    assert again.next("comment.created").data["text"] == "two"
    assert again.next("comment.created").data["text"] == "three"
    assert again.next("cart.changed").data["id"] == str(cart.pk)
    again.close()


@pytest.mark.parametrize(
    ("person", "status"), [("anonymous", 401), ("carol", 404), ("dave", 404), ("erin", 404)]
)
def test_who_may_not_see_the_cart_gets_no_stream(world, dev_server, person, status):
    headers = (
        {}
        if person == "anonymous"
        else {"Authorization": f"Bearer {token_for(getattr(world, person))}"}
    )
    stream = Stream(dev_server, f"/api/v1/carts/{world.trade_fair.pk}/events", headers)
    assert stream.status == status
    assert stream.headers["Content-Type"].startswith("application/problem+json")
    assert json.loads(stream.body)["status"] == status


def test_the_shop_s_session_cookie_opens_the_stream_too(world, dev_server):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(world.bob)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    stream = Stream(dev_server, f"/api/v1/carts/{world.trade_fair.pk}/events", {"Cookie": cookie})
    assert stream.status == 200
    api(
        dev_server,
        "POST",
        f"/carts/{world.trade_fair.pk}/comments",
        token_for(world.alice),
        {"text": "hi"},
    )
    assert stream.next("cart.changed", timeout=WITHIN).data["access"] == "FULL_ACCESS"
    stream.close()


@pytest.mark.postgres
@pytest.mark.parametrize("bus", ["postgresql", "redis"])
def test_a_change_made_in_one_process_reaches_a_stream_of_another(
    world,
    tmp_path,
    collected_static,  # noqa: F811 (the fixture imported above)
    bus,
):
    """Two production servers (2 workers each) on one database: the change goes through A,
    the stream listens on B."""
    env = base_environment("redis" if bus == "redis" else "database") | production_settings(
        collected_static
    )
    env |= {"CARTSHARE_SHARE_RATE_LIMIT": "off"}
    ports = [free_port(), free_port()]
    servers = [Server(production_command(port), env, tmp_path / f"{port}.log") for port in ports]
    try:
        for server, port in zip(servers, ports, strict=True):
            server.wait_ready(port)
        cart = world.trade_fair
        streams = [follow(ports[1], cart, world.alice) for _ in range(4)]  # on both workers of B
        time.sleep(0.5)
        bob = token_for(world.bob)
        for round_ in range(3):
            text = f"comment {round_}"
            assert api(ports[0], "POST", f"/carts/{cart.pk}/comments", bob, {"text": text}) == 201
            for stream in streams:
                assert stream.next("comment.created", timeout=WITHIN).data["text"] == text
        share = CartShare.objects.get(cart=cart, company_user__customer=world.bob)
        bobs = follow(ports[1], cart, world.bob)
        time.sleep(0.3)
        assert api(ports[0], "DELETE", f"/shared-carts/{share.pk}", token_for(world.alice)) == 204
        assert bobs.next("access.changed", timeout=WITHIN).data == {"access": None}
        assert bobs.ended(timeout=WITHIN)
    finally:
        logs = [server.stop() for server in servers]
    assert "Traceback" not in "".join(logs), logs
    assert REDIS_URL or bus != "redis"


@pytest.mark.postgres
def test_deactivating_a_colleague_in_the_back_office_ends_their_stream_at_once(
    world,
    tmp_path,
    collected_static,  # noqa: F811 (the fixture imported above)
):
    from django.test import Client
    from django.urls import reverse

    env = base_environment("database") | production_settings(collected_static)
    port = free_port()
    server = Server(production_command(port), env, tmp_path / "server.log")
    try:
        server.wait_ready(port)
        frank = follow(port, world.trade_fair, world.frank)
        time.sleep(0.3)
        staff = Client()
        staff.force_login(world.admin)
        company_user = world.company_user(world.frank)
        response = staff.post(
            reverse("admin:accounts_companyuser_changelist") + f"?q={world.frank.email}",
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-MIN_NUM_FORMS": "0",
                "form-MAX_NUM_FORMS": "1000",
                "form-0-id": str(company_user.pk),
                "form-0-business_unit": str(company_user.business_unit_id),
                "_save": "Save",
            },  # is_active left out: unticked
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        company_user.refresh_from_db()
        assert company_user.is_active is False
        assert frank.next("access.changed", timeout=WITHIN).data == {"access": None}
        assert frank.ended(timeout=WITHIN)
    finally:
        server.stop()


def presence_names(event) -> list[str]:
    return [viewer["name"] for viewer in event.data["viewers"]]


def test_the_owner_and_grantees_see_who_else_has_the_cart_open(world, dev_server):
    cart = world.trade_fair
    alice = follow(dev_server, cart, world.alice)
    assert presence_names(alice.next("presence")) == ["Alice Archer"]
    bob = follow(dev_server, cart, world.bob)
    assert presence_names(alice.next("presence", timeout=WITHIN)) == ["Alice Archer", "Bob Brandt"]
    assert presence_names(bob.next("presence")) == ["Alice Archer", "Bob Brandt"]
    request = urllib.request.Request(
        f"http://{HOST}:{dev_server}/api/v1/carts/{cart.pk}/presence",
        headers={"Authorization": f"Bearer {token_for(world.frank)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        viewers = json.load(response)["viewers"]
    assert [(viewer["id"], viewer["name"]) for viewer in viewers] == [
        (world.alice.pk, "Alice Archer"),
        (world.bob.pk, "Bob Brandt"),
    ]
    assert all(viewer["since"] for viewer in viewers)
    bob.close()  # Bob closes the tab
    assert presence_names(alice.next("presence", timeout=WITHIN)) == ["Alice Archer"]


def test_a_preview_link_streams_what_the_preview_shows_until_it_is_revoked(world, dev_server):
    link = world.share_link(world.trade_fair, "PREVIEW")
    stream = Stream(dev_server, f"/api/v1/shared/{link.token}/events", {})
    assert stream.status == 200
    bob = token_for(world.bob)
    api(dev_server, "POST", f"/carts/{world.trade_fair.pk}/comments", bob, {"text": "secret"})
    changed = stream.next("cart.changed", timeout=WITHIN)
    assert changed.data["access"] == "PREVIEW"
    assert "note" not in changed.data and changed.data["owner"] == {"name": "Alice Archer"}
    assert changed.data["totals"]["subtotal"] == 2 * 1250 + 10 * 499
    assert api(dev_server, "DELETE", f"/share-links/{link.link.pk}", token_for(world.alice)) == 204
    assert stream.next("link.revoked", timeout=WITHIN).data == {}
    assert stream.ended(timeout=WITHIN)
    names = []
    while not stream.events.empty():
        event = stream.events.get()
        names.append(event.name if event else None)
    assert "comment.created" not in names and "presence" not in names


@pytest.mark.parametrize(
    ("option", "status"), [("FULL_ACCESS", 404), ("unknown", 404), ("revoked", 410)]
)
def test_only_a_working_preview_link_has_a_stream(world, dev_server, option, status):
    from cartshare.sharing.link_services import share_link_revoke

    if option == "unknown":
        token = "not-a-token"
    else:
        link = world.share_link(world.trade_fair, "PREVIEW" if option == "revoked" else option)
        if option == "revoked":
            share_link_revoke(link=link.link, actor=world.alice)
        token = link.token
    stream = Stream(dev_server, f"/api/v1/shared/{token}/events", {})
    assert stream.status == status
    assert json.loads(stream.body)["status"] == status
