"""`GET /api/v1/carts/{id}/events`: a cart's changes as Server-Sent Events (API.md).

Authorised by the policy like `GET /carts/{id}` on connect, and again at every wake-up and
heartbeat: a grant removed, the cart deleted, an account deactivated end the stream (after an
`access.changed` with `null`). Event ids are the ids of the cart's activity rows, so a
reconnect with `Last-Event-ID` gets what it missed: each new comment (`comment.created`) in
order, then one `cart.changed` with the cart as it is now (the state, not every step to it).

The streams of one cart in one process share their reads after a wake-up (`bus.Hub.round`):
the cart and its presence once, its new rows once, each person's access and active cart once,
each level's event text once. The policy is asked again at every heartbeat and after any
wake-up that may have changed access (`bus.cart_changed(access=...)`, or a row whose verb
is not in `SAME_ACCESS_VERBS`); an edit of the items reuses its last answer."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cartshare.access.policies import Actor, CartAction, access_level, can, link_access_level
from cartshare.accounts.models import AccessToken, Customer
from cartshare.accounts.tokens import access_token_authenticate
from cartshare.activity.models import CartActivity
from cartshare.activity.services import SAME_ACCESS_VERBS, Verb
from cartshare.api.errors import problem_response
from cartshare.carts.models import Cart
from cartshare.carts.selectors import (
    CartLine,
    CartSeen,
    active_cart_id,
    cart_lines,
    cart_lines_totals,
)
from cartshare.comments.models import Comment
from cartshare.common.database import store_unavailable
from cartshare.common.errors import Gone, NotFound
from cartshare.live.bus import hub
from cartshare.live.presence import viewer_arrive, viewer_leave, viewers_of, viewers_touch
from cartshare.live.rounds import Round
from cartshare.live.sending import SCOPE_KEY, StreamSend
from cartshare.sharing.link_visits import share_link_get_usable, share_link_resolve
from cartshare.sharing.models import AccessLevel, ShareLink

CATCH_UP_LIMIT = 200  # activity rows read per wake-up; more wait for the next round
RETRY_MILLISECONDS = 2000
P = ParamSpec("P")
R = TypeVar("R")
logger = logging.getLogger(__name__)


@dataclass(eq=False)  # each stream is its own (kept in sets by identity)
class Subscription:
    """What one stream knows: who asks, the cart, the level they had, the last event sent."""

    actor: Customer | None  # None: a preview link's visitor
    cart_id: uuid.UUID
    level: AccessLevel
    last_id: int
    ended: bool = field(default=False)
    stream_id: uuid.UUID | None = None  # its CartViewer row (presence)
    link_id: int | None = None  # a preview link's stream: what the link shows, nothing else
    viewers: list[dict[str, object]] | None = None  # the presence it sent last
    generation: int = -1  # the cart's wake-up it caught up with last (bus.Hub.generation)
    epoch: int | None = None  # the cart's access epoch when it last asked the policy
    is_active: bool | None = None  # whether it is the actor's active cart, asked with the policy
    language: str | None = None  # the request's active language: event text is in it
    sink: StreamSend | None = None  # the server's send (config/asgi.py), None in-process
    queue: asyncio.Queue[bool] | None = None  # its wake-ups (bus.Hub.subscribe)
    busy: bool = False  # catching up by itself: the fan-out leaves it alone meanwhile


def sse(event: str, data: object, event_id: int | None = None) -> str:
    lines = [f"id: {event_id}"] if event_id is not None else []
    lines += [f"event: {event}", f"data: {json.dumps(data, separators=(',', ':'), default=str)}"]
    return "\n".join(lines) + "\n\n"


def _comment_data(comment: Comment) -> dict[str, object]:
    from cartshare.api.schemas import CommentOut

    return CommentOut.model_validate(comment).model_dump(mode="json")


COMMENT_EVENTS = {
    Verb.COMMENTED: "comment.created",
    Verb.COMMENT_EDITED: "comment.updated",
    Verb.COMMENT_DELETED: "comment.deleted",
}


def _deleted_comment_data(row: dict[str, Any], authors: dict[int, Customer]) -> dict[str, object]:
    """A deleted comment as a Comment without its text (the service kept no more of it)."""
    details = row["details"]
    author = authors.get(details.get("author_id"))
    return {
        "id": details["comment_id"],
        "author": {"id": author.pk, "name": author.name} if author is not None else None,
        "text": "",
        "created_at": details.get("created_at"),
        "updated_at": row["created_at"].isoformat(),
        "edited": bool(details.get("edited")),
    }


def _comment_events(rows: list[dict[str, Any]]) -> list[str]:
    """`comment.created`, `comment.updated` (data: the comment as it is now; none once it is
    gone) and `comment.deleted` (data: the comment without its text), in the log's order."""
    rows = [
        row
        for row in rows
        if row["verb"] in COMMENT_EVENTS
        and isinstance(row["details"], dict)
        and isinstance(row["details"].get("comment_id"), int)
    ]
    if not rows:
        return []
    ids = {row["details"]["comment_id"] for row in rows if row["verb"] != Verb.COMMENT_DELETED}
    comments = {c.pk: c for c in Comment.objects.filter(pk__in=ids).select_related("author")}
    author_ids = [
        row["details"].get("author_id") for row in rows if row["verb"] == Verb.COMMENT_DELETED
    ]
    wanted = [author_id for author_id in author_ids if isinstance(author_id, int)]
    authors = {a.pk: a for a in Customer.objects.filter(pk__in=wanted)} if wanted else {}
    events = []
    for row in rows:
        name = COMMENT_EVENTS[row["verb"]]
        if row["verb"] == Verb.COMMENT_DELETED:
            events.append(sse(name, _deleted_comment_data(row, authors), row["id"]))
        elif (comment := comments.get(row["details"]["comment_id"])) is not None:
            events.append(sse(name, _comment_data(comment), row["id"]))
    return events


def _with_connections_closed(function: Callable[P, R]) -> Callable[P, R]:
    """Streams read in a worker thread of their own: its connection goes back at once."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return run


@dataclass(frozen=True)
class Admission:
    """Who may follow the cart, at which level, from which event; or the status refusing it."""

    actor: Customer | None
    level: AccessLevel | None = None
    last_id: int = 0
    refusal: int = 0


def _authorise(
    raw_token: str | None, session_customer: Customer | None, cart_id: uuid.UUID
) -> Admission:
    actor: Actor | None = session_customer
    if raw_token is not None:
        token = access_token_authenticate(raw_token)
        actor = token.customer if isinstance(token, AccessToken) else None
    if not isinstance(actor, Customer):
        return Admission(None, refusal=401)
    cart = Cart.objects.select_related("owner").filter(pk=cart_id).first()
    if cart is None or not can(actor, CartAction.VIEW, cart):
        return Admission(None, refusal=404)
    last = CartActivity.objects.filter(cart_id=cart.pk).order_by("-id").values("id").first()
    return Admission(actor, access_level(actor, cart), last["id"] if last else 0)


def _new_rows(cart_id: uuid.UUID, last_id: int) -> list[dict[str, Any]]:
    rows = (
        CartActivity.objects.filter(cart_id=cart_id, id__gt=last_id)
        .order_by("id")
        .values("id", "verb", "details", "created_at")[:CATCH_UP_LIMIT]
    )
    return [dict(row) for row in rows]


def preview_catch_up(subscription: Subscription) -> list[str]:
    """A preview link's stream: `cart.changed` with what the preview shows (no comments, no
    presence), and `link.revoked` (the stream ends) once the link no longer works."""
    assert subscription.link_id is not None
    try:
        link = share_link_get_usable(subscription.link_id)
    except (NotFound, Gone):
        subscription.ended = True
        return [sse("link.revoked", {})]
    rows = _new_rows(subscription.cart_id, subscription.last_id)
    if not rows or link.cart is None:
        return []
    from cartshare.api.schemas import PreviewCartOut

    lines = cart_lines(link.cart)
    seen = CartSeen(
        cart=link.cart,
        level=AccessLevel.PREVIEW,
        is_active=False,
        items=lines,
        totals=cart_lines_totals(lines),
    )
    subscription.last_id = rows[-1]["id"]
    with translation.override(subscription.language):
        data = PreviewCartOut.model_validate(seen).model_dump(mode="json")
    return [sse("cart.changed", data, subscription.last_id)]


def _in_thread(function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    return sync_to_async(_with_connections_closed(function), thread_sensitive=False)


@dataclass(frozen=True)
class Snapshot:
    """What one round reads once for all the cart's streams starting from one event id."""

    cart: Cart | None  # None: deleted
    viewers: list[dict[str, object]]
    rows: list[dict[str, Any]]
    comment_events: list[str]
    lines: list[CartLine]


@_in_thread
def _read_snapshot(cart_id: uuid.UUID, last_id: int, language: str | None) -> Snapshot:
    """The cart, who has it open, its rows after `last_id` with the `comment.created` events
    among them, and its lines when there are rows: once per round and starting point (the
    cart's streams usually share one)."""
    cart = Cart.objects.select_related("owner").filter(pk=cart_id).first()
    if cart is None:
        return Snapshot(None, [], [], [], [])
    viewers = [
        {"id": viewer.id, "name": viewer.name, "since": viewer.since.isoformat()}
        for viewer in viewers_of(cart.pk)
    ]
    rows = _new_rows(cart_id, last_id)
    with translation.override(language):
        events = _comment_events(rows)
    return Snapshot(cart, viewers, rows, events, cart_lines(cart) if rows else [])


@_in_thread
def _read_access(actor_id: int, cart: Cart) -> tuple[Customer, AccessLevel, bool] | None:
    """The policy: may the (still active) person view the cart, at which level, and is it
    their active cart? Once per person and round, when the round may have changed access (a
    cart activated too, `cart_activate`) or at a heartbeat."""
    actor = Customer.objects.filter(pk=actor_id, is_active=True).first()
    if actor is None or not can(actor, CartAction.VIEW, cart):
        return None
    level = access_level(actor, cart)
    assert level is not None  # whoever may view a cart has a level on it
    return actor, level, active_cart_id(actor) == cart.pk


def _cart_event(
    cart: Cart, lines: list[CartLine], level: AccessLevel, is_active: bool, event_id: int
) -> str:
    from cartshare.api.schemas import CartOut  # the API's own shape (imports the API lazily)

    seen = CartSeen(
        cart=cart, level=level, is_active=is_active, items=lines, totals=cart_lines_totals(lines)
    )
    return sse("cart.changed", CartOut.model_validate(seen).model_dump(mode="json"), event_id)


async def catch_up(subscription: Subscription) -> list[str]:
    """The events since `subscription.last_id` that its actor may see (and `ended` set when
    they may see the cart no more), from the reads its cart's streams share in this round."""
    if subscription.link_id is not None:
        return await _preview_catch_up(subscription)
    assert subscription.actor is not None
    key = str(subscription.cart_id)
    current = hub.round(key)
    heartbeat = current.generation == subscription.generation  # no wake-up since it looked
    first = subscription.generation < 0
    shared = hub.round(key, young=True) if heartbeat or first else current
    subscription.generation = shared.generation
    epoch = shared.epoch
    last_id = subscription.last_id
    language = subscription.language
    snapshot = await shared.once(
        ("snapshot", last_id, language), _read_snapshot, subscription.cart_id, last_id, language
    )
    cart, rows = snapshot.cart, snapshot.rows
    access_may_differ = heartbeat or epoch != subscription.epoch or _changes_access(rows)
    events = []
    if cart is not None and access_may_differ:  # the policy
        subscription.epoch = epoch
        actor_id = subscription.actor.pk
        allowed = await shared.once(("access", actor_id), _read_access, actor_id, cart)
        if allowed is None:
            cart = None
        else:
            subscription.actor, level, subscription.is_active = allowed
            if level != subscription.level:
                subscription.level = level
                events.append(sse("access.changed", {"access": level.value}))
    if cart is None:
        subscription.ended = True
        return [sse("access.changed", {"access": None})]
    return events + _events_of(subscription, shared, snapshot, cart)


def _events_of(
    subscription: Subscription, shared: Round, snapshot: Snapshot, cart: Cart
) -> list[str]:
    """What the round brings the stream once its access is settled: presence when it changed,
    the comment events and one `cart.changed` when there are new rows (their text shared by
    the round's streams per level, active cart and language)."""
    events = []
    viewers = snapshot.viewers
    if viewers != subscription.viewers:
        subscription.viewers = viewers
        events.append(
            shared.memo(("presence", id(viewers)), lambda: sse("presence", {"viewers": viewers}))
        )
    rows = snapshot.rows
    if not rows:
        return events
    events.extend(snapshot.comment_events)
    subscription.last_id = rows[-1]["id"]
    level, is_active, language = (
        subscription.level,
        bool(subscription.is_active),
        subscription.language,
    )
    events.append(
        shared.memo(
            ("cart.changed", level, is_active, language, subscription.last_id),
            lambda: _in_language(
                language, _cart_event, cart, snapshot.lines, level, is_active, rows[-1]["id"]
            ),
        )
    )
    return events


def _changes_access(rows: list[dict[str, Any]]) -> bool:
    return any(row["verb"] not in SAME_ACCESS_VERBS for row in rows)


def _ready_events(subscription: Subscription, shared: Round) -> list[str] | None:
    """`catch_up` at a wake-up, when nothing it needs is still to be read: the round's
    snapshot for the stream's starting point is there (`prepare` read it), and the wake-up
    leaves the stream's access as the policy last answered it. None otherwise (the stream then
    catches up by itself, asking the policy)."""
    if subscription.busy or subscription.generation < 0 or subscription.ended:
        return None
    if shared.epoch != subscription.epoch:
        return None
    read = shared.reads.get(("snapshot", subscription.last_id, subscription.language))
    if read is None or not read.done() or read.cancelled() or read.exception() is not None:
        return None
    snapshot: Snapshot = read.result()
    if snapshot.cart is None or _changes_access(snapshot.rows):
        return None
    subscription.generation = shared.generation
    return _events_of(subscription, shared, snapshot, snapshot.cart)


def _fan_out(key: str) -> set[asyncio.Queue[bool]]:
    """At a wake-up, after `prepare` (bus.Hub.fan_out): every stream of the cart whose events
    are ready is sent them here, in one pass, each as one chunk straight to its server `send`
    (sending.StreamSend, which never waits for a client). No task, queue or timer per stream
    wakes, and Django's per-chunk layers are skipped: the fan-out of a cart with 500 streams
    here is 500 writes. The others (a preview link's, a stream still catching up, one whose
    access may have changed) are woken to catch up by themselves."""
    served: set[asyncio.Queue[bool]] = set()
    shared = hub.rounds.get(key)
    if shared is None:
        return served
    for subscription in _following.get(key, ()):
        sink, queue = subscription.sink, subscription.queue
        if sink is None or queue is None or sink.dropped:
            continue
        events = _ready_events(subscription, shared)
        if events is None:
            continue
        if events:
            sink.write("".join(events).encode())
        served.add(queue)
    return served


def _in_language(
    language: str | None, make: Callable[P, R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """An event's text, made once per round and (level, language) for the streams sharing it:
    in the subscriber's language, whichever request's it is made for."""
    with translation.override(language):
        return make(*args, **kwargs)


_catch_up = catch_up
_preview_catch_up = _in_thread(preview_catch_up)
_arrive = sync_to_async(_with_connections_closed(viewer_arrive), thread_sensitive=False)
_touch_all = _in_thread(viewers_touch)
TOUCH_GATHER_SECONDS = 1.0
_touches: set[uuid.UUID] = set()
_toucher: list[asyncio.Task[None]] = []


async def _touch_gathered() -> None:
    await asyncio.sleep(TOUCH_GATHER_SECONDS)
    _toucher.clear()  # touches from now on gather for the next write
    stream_ids = set(_touches)
    _touches.clear()
    try:
        await _touch_all(stream_ids)
    except Exception:  # a row not touched expires by itself; the next heartbeat touches it
        logger.warning("live: could not touch %d presence rows", len(stream_ids), exc_info=True)


async def _touch(stream_id: uuid.UUID) -> None:
    """A heartbeat's touch of its presence row, written with the others of this process
    gathered in the next second (one UPDATE, not one per stream)."""
    _touches.add(stream_id)
    pending = _toucher[0] if _toucher else None
    if pending is None or pending.get_loop() is not asyncio.get_running_loop():
        _toucher[:] = [asyncio.ensure_future(_touch_gathered())]


_leave = sync_to_async(_with_connections_closed(viewer_leave), thread_sensitive=False)
_authorise_async = sync_to_async(_with_connections_closed(_authorise), thread_sensitive=False)


def _last_event_id(request: HttpRequest) -> int | None:
    value = request.headers.get("Last-Event-ID", "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


OUTAGE_RETRY_SECONDS = 1.0
OUTAGE_WARNING_SECONDS = 10.0  # one line per process in this long, however many streams
_outage_warned = [float("-inf")]


def _warn_outage(what: str, error: BaseException) -> None:
    now = time.monotonic()
    if now - _outage_warned[0] >= OUTAGE_WARNING_SECONDS:
        _outage_warned[0] = now
        logger.warning(
            "live: streams could not %s (the store did not answer: %s); trying again",
            what,
            error.__class__.__name__,
        )


async def _catch_up_through_outages(subscription: Subscription) -> list[str]:
    """`catch_up`, tried again every OUTAGE_RETRY_SECONDS while the database is away (a
    restart, a terminated backend), the stream staying open: ended with an error it would be
    a traceback in the log, and a browser's EventSource that reconnects into the outage gets
    a 503 and gives up for good. Anything else is a bug and ends the stream."""
    while True:
        try:
            return await _catch_up(subscription)
        except Exception as error:
            if hub.closing or not store_unavailable(error):
                raise
            _warn_outage("read their cart", error)
        await asyncio.sleep(OUTAGE_RETRY_SECONDS)


async def _caught_up(subscription: Subscription) -> list[str]:
    """The stream catching up by itself: the fan-out leaves it alone meanwhile."""
    subscription.busy = True
    try:
        return await _catch_up_through_outages(subscription)
    finally:
        subscription.busy = False


async def _woken(queue: asyncio.Queue[bool], seconds: float) -> bool:
    """Whether a wake-up came within `seconds` (False: time for a heartbeat). One timer and the
    queue's own future per wait, no task of its own (asyncio.wait_for makes one per call)."""
    try:
        async with asyncio.timeout(seconds):
            await queue.get()
    except TimeoutError:
        return False
    return True


_following: dict[str, set[Subscription]] = {}  # this process's streams by cart (not previews)


async def _prepare_round(key: str) -> None:
    """Before a cart's streams wake (bus.Hub.prepare): the round's shared reads, once per
    starting point and language among them, and each person's access when the wake-up may
    have changed it for everyone; the streams then catch up without waiting."""
    subscriptions = [s for s in _following.get(key, ()) if s.generation >= 0]
    if not subscriptions:
        return
    shared = hub.round(key)
    starts = {(s.cart_id, s.last_id, s.language) for s in subscriptions}
    snapshots = await asyncio.gather(
        *(
            shared.once(("snapshot", last_id, language), _read_snapshot, cart_id, last_id, language)
            for cart_id, last_id, language in starts
        )
    )
    cart = next((snapshot.cart for snapshot in snapshots if snapshot.cart is not None), None)
    if cart is None or shared.epoch != shared.generation:
        return
    actors = {s.actor.pk for s in subscriptions if s.actor is not None}
    await asyncio.gather(
        *(shared.once(("access", actor), _read_access, actor, cart) for actor in actors)
    )


hub.prepare = _prepare_round
hub.fan_out = _fan_out


def _over(subscription: Subscription) -> bool:
    return subscription.ended or hub.closing


async def _stream(subscription: Subscription) -> AsyncIterator[bytes]:
    """The stream's events; what one wake-up brings goes out as one chunk (one send)."""
    key = str(subscription.cart_id)
    queue = subscription.queue = hub.subscribe(key)
    sink = subscription.sink
    if sink is not None:  # the client stopped reading: the stream ends (sending.py)

        def dropped() -> None:
            subscription.ended = True
            if queue.empty():
                queue.put_nowait(True)

        sink.on_drop = dropped
    following = _following.setdefault(key, set()) if subscription.link_id is None else set()
    following.add(subscription)
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n".encode()
        if subscription.actor is not None:  # preview visitors are never shown
            try:
                subscription.stream_id = await _arrive(subscription.cart_id, subscription.actor.pk)
            except Exception as error:  # an outage: the stream goes on, not shown present
                if not store_unavailable(error):
                    raise
                _warn_outage("record a viewer", error)
        if events := await _caught_up(subscription):
            yield "".join(events).encode()
        heartbeat = settings.CARTSHARE_LIVE_HEARTBEAT_SECONDS
        while not _over(subscription):
            ping = not await _woken(queue, heartbeat)
            if _over(subscription):  # access ended, the client dropped, the server stopping
                break
            if ping and subscription.stream_id is not None:
                await _touch(subscription.stream_id)
            events = await _caught_up(subscription)
            if ping or events:
                yield "".join([": ping\n\n", *events] if ping else events).encode()
    finally:
        hub.unsubscribe(key, queue)
        following.discard(subscription)
        if not following:
            _following.pop(key, None)
        if sink is not None:
            sink.on_drop = None
        if subscription.stream_id is not None:
            with contextlib.suppress(Exception):  # a row left behind expires by itself
                await _leave(subscription.stream_id, subscription.cart_id)


# csrf_exempt: a stream changes nothing whatever the method (all but GET answer 405), so no
# CSRF 403 stands in front of that 405.
@csrf_exempt
async def cart_events(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponseBase:
    """Bearer token (`Authorization`) or the shop's session cookie, as `GET /carts/{id}`."""
    header = request.headers.get("Authorization", "")
    raw_token = header[7:].strip() if header[:7].lower() == "bearer " else None
    session_customer = None
    if raw_token is None:
        user = await request.auser()
        session_customer = user if isinstance(user, Customer) and user.is_active else None
    if request.method != "GET":
        return problem_response(request, status=405, headers={"Allow": "GET"})
    admission = await _authorise_async(raw_token, session_customer, cart_id)
    if admission.actor is None or admission.level is None:
        detail = _("Send an access token or log in.") if admission.refusal == 401 else None
        return problem_response(request, status=admission.refusal or 404, detail=detail)
    resume = _last_event_id(request)
    subscription = Subscription(
        actor=admission.actor,
        cart_id=cart_id,
        level=admission.level,
        last_id=resume if resume is not None else admission.last_id,
    )
    return _event_stream(request, subscription)


def _preview_admission(token: str) -> tuple[ShareLink | None, int, str | None, int]:
    """(the preview link, the cart's last activity id) or (None, status, detail)."""
    try:
        link = share_link_resolve(token)
    except NotFound as error:
        return None, 404, error.message, 0
    except Gone as error:
        return None, 410, error.message, 0
    if link.cart is None or link_access_level(None, link) is None:  # what it gives anyone
        detail = _(
            "An internal link has no stream of its own: accept it, then follow "
            "/api/v1/carts/{id}/events."
        )
        return None, 404, detail, 0
    last = CartActivity.objects.filter(cart_id=link.cart.pk).order_by("-id").values("id").first()
    return link, 200, None, last["id"] if last else 0


_preview_admission_async = sync_to_async(
    _with_connections_closed(_preview_admission), thread_sensitive=False
)


@csrf_exempt
async def shared_cart_events(request: HttpRequest, token: str) -> HttpResponseBase:
    """`GET /api/v1/shared/{token}/events`: a preview link's stream, for anyone holding it; no
    log-in, no presence. Ends with `link.revoked` when the link stops working."""
    if request.method != "GET":
        return problem_response(request, status=405, headers={"Allow": "GET"})
    link, status, detail, last_id = await _preview_admission_async(token)
    if link is None or link.cart is None:
        return problem_response(request, status=status, detail=detail)
    resume = _last_event_id(request)
    subscription = Subscription(
        actor=None,
        cart_id=link.cart.pk,
        level=AccessLevel.PREVIEW,
        last_id=resume if resume is not None else last_id,
        link_id=link.pk,
    )
    return _event_stream(request, subscription)


def _event_stream(request: HttpRequest, subscription: Subscription) -> StreamingHttpResponse:
    subscription.language = translation.get_language()
    sink = getattr(request, "scope", {}).get(SCOPE_KEY)
    subscription.sink = sink if isinstance(sink, StreamSend) else None
    response = StreamingHttpResponse(_stream(subscription), content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
