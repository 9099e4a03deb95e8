"""The fan-out inside a process (cartshare/live/rounds.py, bus.Hub): one read per round for all
the cart's streams; a wake-up that leaves access as it was moves the cart's generation but not
its access epoch, so its streams skip the policy (the streams' own tests, through real servers,
show that removing access still ends them: test_event_streams.py)."""

import asyncio
import contextlib

from cartshare.activity.services import SAME_ACCESS_VERBS, Verb
from cartshare.live.bus import ORIGIN, SAME_ACCESS, Hub, process_origin, wake_seconds
from cartshare.live.rounds import Round
from tests.live.loops import run


def test_a_round_reads_once_for_every_stream_that_asks():
    calls = []

    async def read(value):
        calls.append(value)
        await asyncio.sleep(0)
        return value * 2

    async def scenario():
        shared = Round(generation=1)
        return await asyncio.gather(*(shared.once("cart", read, 21) for _ in range(50)))

    assert run(scenario) == [42] * 50
    assert calls == [21]


def test_a_stream_closing_does_not_cancel_the_read_the_others_wait_for():
    async def read():
        await asyncio.sleep(0.01)
        return "done"

    async def scenario():
        shared = Round(generation=1)
        leaving = asyncio.ensure_future(shared.once("cart", read))
        staying = asyncio.ensure_future(shared.once("cart", read))
        await asyncio.sleep(0)
        leaving.cancel()
        return await staying

    assert run(scenario) == "done"


def test_a_failed_read_is_tried_again_by_the_next_stream():
    attempts = []

    async def read():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("the database went away")
        return "ok"

    async def scenario():
        shared = Round(generation=1)
        with contextlib.suppress(OSError):
            await shared.once("cart", read)
        return await shared.once("cart", read)

    assert run(scenario) == "ok"
    assert len(attempts) == 2


def test_a_change_that_leaves_access_moves_the_generation_but_not_the_access_epoch():
    async def scenario():
        hub = Hub()
        queue = hub.subscribe("cart-1")
        hub.deliver("cart-1", access=True)
        first = hub.generation("cart-1")
        hub.deliver_payload("cart-1" + SAME_ACCESS)
        content = hub.generation("cart-1")
        hub.deliver_payload("cart-1")  # another process, access may have changed
        access = hub.generation("cart-1")
        hub.deliver("cart-2")  # nobody follows it here: no counters kept
        woken = queue.qsize()
        if hub.listener:
            hub.listener.cancel()
        hub.unsubscribe("cart-1", queue)
        return first, content, access, woken, hub.generation("cart-1"), hub.generation("cart-2")

    first, content, access, woken, gone, other = run(scenario)
    assert content[0] > first[0] and content[1] == first[1]
    assert access[0] > content[0] and access[1] == access[0]
    assert woken == 1  # a flag, not a message per wake-up
    assert gone == (0, 0) and other == (0, 0)


def test_a_round_is_shared_until_the_next_wake_up_and_a_heartbeat_wants_a_young_one():
    async def scenario():
        hub = Hub()
        queue = hub.subscribe("cart-1")
        first = hub.round("cart-1")
        same = hub.round("cart-1", young=True)
        first.started -= 60  # an old round
        heartbeat = hub.round("cart-1", young=True)
        hub.deliver("cart-1", access=False)
        after_wake = hub.round("cart-1")
        if hub.listener:
            hub.listener.cancel()
        hub.unsubscribe("cart-1", queue)
        return first, same, heartbeat, after_wake

    first, same, heartbeat, after_wake = run(scenario)
    assert same is first
    assert heartbeat is not first
    assert after_wake is not heartbeat and after_wake.generation > heartbeat.generation


def test_only_edits_of_the_cart_s_contents_leave_access_as_it_was():
    assert Verb.ITEM_ADDED in SAME_ACCESS_VERBS and Verb.COMMENTED in SAME_ACCESS_VERBS
    for verb in (
        Verb.SHARED,
        Verb.SHARE_CHANGED,
        Verb.UNSHARED,
        Verb.SHARE_DISMISSED,
        Verb.LINK_REVOKED,
        Verb.LINK_ACCEPTED,
        Verb.ORDERED,
    ):
        assert verb not in SAME_ACCESS_VERBS


def test_a_burst_of_changes_wakes_the_streams_at_once_then_once_more_after_the_window():
    async def scenario():
        hub = Hub()
        queue = hub.subscribe("cart-1")
        hub.deliver("cart-1", access=False)
        first = queue.get_nowait()  # the first change: at once
        hub.deliver("cart-1", access=False)
        hub.deliver("cart-1", access=False)
        during = queue.qsize()  # within the window: not yet
        await asyncio.sleep(wake_seconds() * 1.5)
        after = queue.qsize()  # the burst's last change got its round
        if hub.listener:
            hub.listener.cancel()
        hub.unsubscribe("cart-1", queue)
        return first, during, after

    assert run(scenario) == (True, 0, 1)


def test_a_process_ignores_its_own_wake_ups_coming_back_through_the_bus():
    async def scenario():
        hub = Hub()
        queue = hub.subscribe("cart-1")
        hub.deliver_payload("cart-1" + SAME_ACCESS + ORIGIN + process_origin())
        own = hub.generation("cart-1"), queue.qsize()
        hub.deliver_payload("cart-1" + ORIGIN + "another-process")
        other = hub.generation("cart-1"), queue.qsize()
        if hub.listener:
            hub.listener.cancel()
        hub.unsubscribe("cart-1", queue)
        return own, other

    own, other = run(scenario)
    assert own == ((0, 0), 0)
    assert other[0][0] > 0 and other[0][1] == other[0][0] and other[1] == 1


def test_a_failed_read_fails_every_stream_waiting_for_it_and_none_hangs():
    async def read():
        await asyncio.sleep(0.01)
        raise OSError("the database went away")

    async def scenario():
        shared = Round(generation=1)
        waiting = [asyncio.ensure_future(shared.once("cart", read)) for _ in range(20)]
        results = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 5)
        return [type(result) for result in results]

    assert run(scenario) == [OSError] * 20


def test_a_change_coming_while_the_streams_wake_does_not_start_a_second_round():
    """The streams woken for a change share the round whose reads started before they woke
    (`prepare`); a change arriving meanwhile gets its own wake-up when the burst's window ends.
    A round per change would have every stream find its reads still running and wait."""

    async def scenario():
        hub = Hub()
        queue = hub.subscribe("cart-1")
        if hub.listener:  # no wake-up from its (re)connection in the middle of this
            hub.listener.cancel()
        hub.deliver("cart-1", access=False)  # after a quiet spell: woken at once
        woken = hub.round("cart-1")
        hub.deliver("cart-1", access=False)  # within the window: its wake-up comes later
        meanwhile = hub.round("cart-1")
        newcomer = hub.round("cart-1", young=True)  # a first look wants the cart as it is now
        queue.get_nowait()
        await asyncio.sleep(wake_seconds() * 1.5)
        later = hub.round("cart-1")
        hub.unsubscribe("cart-1", queue)
        return woken, meanwhile, newcomer, later, queue.qsize()

    woken, meanwhile, newcomer, later, pending = run(scenario)
    assert meanwhile is woken
    assert newcomer is not woken and newcomer.generation > woken.generation
    assert later is not newcomer and later.generation == newcomer.generation
    assert pending == 1  # the second change woke the streams once more
