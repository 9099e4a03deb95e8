"""The fan-out of a wake-up (streams._fan_out, bus.Hub.fan_out): a stream whose events are
ready (its round's snapshot read, its access unchanged) is sent them straight to its server
`send` in one pass, without its queue being woken; any other stream is left to catch up by
itself, asking the policy. The streams' own tests through real servers show the events arrive
(test_event_streams.py)."""

import asyncio
import uuid

from cartshare.activity.services import Verb
from cartshare.live import streams
from cartshare.live.rounds import Round
from cartshare.live.sending import StreamSend
from cartshare.live.streams import Snapshot, Subscription
from cartshare.sharing.models import AccessLevel
from tests.live.loops import run

TEXT = "id: 6\nevent: cart.changed\ndata: {}\n\n"


def _scenario(**changes):
    """One stream of a cart woken by an edit (row 6) after it had sent row 5; `changes` alter
    the stream or the row. Returns (served by the fan-out, bytes its client got, its queue's
    wake-ups, its last event id)."""

    async def scenario():
        key = str(uuid.uuid4())
        written: list[bytes] = []

        async def send(message):
            written.append(message.get("body", b""))

        queue = streams.hub.subscribe(key)
        subscription = Subscription(
            actor=None,
            cart_id=uuid.UUID(key),
            level=AccessLevel.FULL_ACCESS,
            last_id=5,
            generation=1,
            epoch=1,
            is_active=False,
            language="en",
            viewers=[],
            sink=StreamSend(send),
            queue=queue,
        )
        verb = changes.pop("verb", Verb.ITEM_ADDED)
        for name, value in changes.items():
            setattr(subscription, name, value)
        shared = Round(generation=2, epoch=1)
        read: asyncio.Future[Snapshot] = asyncio.get_running_loop().create_future()
        row = {"id": 6, "verb": verb, "details": {}, "created_at": None}
        read.set_result(Snapshot(object(), [], [row], [], []))  # type: ignore[arg-type]
        shared.reads[("snapshot", 5, "en")] = read
        shared.values[("cart.changed", AccessLevel.FULL_ACCESS, False, "en", 6)] = TEXT
        streams.hub.rounds[key] = shared
        streams._following[key] = {subscription}
        try:
            served = streams._fan_out(key)
        finally:
            streams._following.pop(key, None)
            streams.hub.unsubscribe(key, queue)
        return queue in served, b"".join(written), queue.qsize(), subscription.last_id

    return run(scenario)


def test_a_ready_stream_is_sent_its_event_in_the_fan_out_without_waking():
    served, written, woken, last_id = _scenario()
    assert served and written == TEXT.encode() and woken == 0 and last_id == 6


def test_a_stream_whose_access_may_have_changed_catches_up_by_itself():
    assert _scenario(epoch=0)[:2] == (False, b"")  # the round's wake-up may have changed access
    assert _scenario(verb=Verb.UNSHARED)[:2] == (False, b"")  # a row that changes access


def test_a_stream_catching_up_by_itself_is_left_alone():
    assert _scenario(busy=True)[:2] == (False, b"")
    assert _scenario(generation=-1)[:2] == (False, b"")  # not yet caught up once
    assert _scenario(last_id=4)[:2] == (False, b"")  # its starting point was not read
