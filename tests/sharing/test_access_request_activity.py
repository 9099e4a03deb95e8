"""Access requests are entries of the cart's activity log (issue 13): asked, withdrawn, declined
and approved, in the viewer's language, on the cart page and in the API. Who sees them is the
policy's SEE_ACCESS_REQUESTS (whoever answers them: the owner) and the requester (their own);
other grantees (full access, contributor, read-only) see the rest of the log without them, and
outsiders see nothing (404)."""

from __future__ import annotations

import html

import pytest

from cartshare.access.policies import (
    ALLOWED_ACTIONS,
    CartAction,
    activities_visible_to,
    activity_row_seen,
    level_allows,
)
from cartshare.activity.models import ACCESS_REQUEST_VERBS, CartActivity
from cartshare.activity.services import Verb, activity_record
from cartshare.sharing import access_requests
from cartshare.sharing.models import AccessLevel

pytestmark = pytest.mark.django_db

SENTENCES = {
    "asked": "Frank Fischer asked for more access (full access)",
    "withdrawn": "Frank Fischer withdrew their request for more access (full access)",
    "declined": "Alice Archer declined Frank Fischer's request for more access (full access)",
    "approved": "Alice Archer approved Frank Fischer's request for more access (full access)",
}
VERBS = {
    "asked": Verb.ACCESS_REQUESTED,
    "withdrawn": Verb.ACCESS_REQUEST_WITHDRAWN,
    "declined": Verb.ACCESS_REQUEST_DECLINED,
    "approved": Verb.ACCESS_REQUEST_APPROVED,
}
# Who reads the log of "Trade fair", and whether they see the requests' entries in it. Frank
# (read-only) asks; greta gets a grant of the level under test.
VIEWERS = {
    "alice": True,  # the owner: she answers them
    "bob": False,  # full access
    "greta:CONTRIBUTOR": False,
    "greta:READ_ONLY": False,
    "frank": True,  # the requester: his own
}


def _step(world, step: str) -> None:
    cart, frank, alice = world.trade_fair, world.frank, world.alice
    asked = access_requests.access_request_create(
        cart=cart, actor=frank, permission="FULL_ACCESS", message="Need to order"
    )
    if step == "withdrawn":
        access_requests.access_request_withdraw(access_request=asked, actor=frank)
    elif step in ("declined", "approved"):
        status = "APPROVED" if step == "approved" else "DECLINED"
        access_requests.access_request_decide(access_request=asked, actor=alice, status=status)


def _viewer(world, name: str):
    person, _, level = name.partition(":")
    if level:
        world.share(world.trade_fair, world.greta, level)
    return getattr(world, person)


def _page_text(world, person) -> str:
    response = world.logged_in_client(person).get(f"/carts/{world.trade_fair.pk}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _api_texts(world, person) -> list[str]:
    response = world.api_client(person).get(f"/carts/{world.trade_fair.pk}/activity?limit=100")
    assert response.status_code == 200, response.content
    return [entry["text"] for entry in response.json()["results"]]


@pytest.mark.parametrize("step", sorted(SENTENCES))
@pytest.mark.parametrize("viewer", sorted(VIEWERS))
def test_each_step_is_an_entry_seen_by_whoever_answers_and_the_requester(world, step, viewer):
    person = _viewer(world, viewer)
    activity_record(cart=world.trade_fair, actor=world.alice, verb=Verb.NOTE_CHANGED)
    _step(world, step)
    sees = VIEWERS[viewer]
    page, api = _page_text(world, person), _api_texts(world, person)
    action = SENTENCES[step].split(" ", 2)[2]  # the page shows the actor's name in <strong>
    assert (f"</strong> {action}</span>" in page) is sees
    assert (SENTENCES[step] in api) is sees
    # The rest of the log is theirs to read as before.
    assert "Alice Archer changed the note" in api
    kinds = {
        entry["verb"]
        for entry in world.api_client(person)
        .get(f"/carts/{world.trade_fair.pk}/activity?limit=100")
        .json()["results"]
    }
    assert (VERBS[step] in kinds) is sees


@pytest.mark.parametrize("step", sorted(SENTENCES))
def test_an_outsider_reads_no_log_at_all(world, step):
    _step(world, step)
    assert (
        world.api_client(world.carol).get(f"/carts/{world.trade_fair.pk}/activity").status_code
        == 404
    )
    assert (
        world.logged_in_client(world.carol).get(f"/carts/{world.trade_fair.pk}/").status_code == 404
    )


def test_approving_records_the_answer_and_the_grant_it_brings(world):
    _step(world, "approved")
    verbs = list(
        CartActivity.objects.filter(cart=world.trade_fair)
        .order_by("-id")
        .values_list("verb", flat=True)[:3]
    )
    assert verbs == [Verb.ACCESS_REQUEST_APPROVED, Verb.SHARE_CHANGED, Verb.ACCESS_REQUESTED]
    # Bob (full access) sees the grant, not the request it answered.
    bob = _api_texts(world, world.bob)
    assert "Alice Archer changed Frank Fischer's access from read-only to full access" in bob
    assert not any("request" in text for text in bob)


def test_the_sentences_are_made_in_the_viewer_s_language(world):
    _step(world, "declined")
    client = world.logged_in_client(world.alice)
    response = client.get(f"/carts/{world.trade_fair.pk}/", headers={"accept-language": "de"})
    text = html.unescape(response.content.decode())
    assert (
        "</strong> hat die Anfrage von Frank Fischer nach mehr Zugriff abgelehnt (Vollzugriff)"
        in text
    )
    assert "<strong>Frank Fischer</strong> hat mehr Zugriff angefragt (Vollzugriff)" in text
    api = world.api_client(world.alice).get(
        f"/carts/{world.trade_fair.pk}/activity", headers={"Accept-Language": "de"}
    )
    assert "Frank Fischer hat mehr Zugriff angefragt (Vollzugriff)" in [
        entry["text"] for entry in api.json()["results"]
    ]


def test_the_last_change_line_never_names_a_request_the_viewer_cannot_see(world):
    _step(world, "asked")
    share = world.logged_in_client(world.bob).get(f"/carts/{world.trade_fair.pk}/share/")
    assert "asked for more access" not in share.content.decode()
    owner = world.logged_in_client(world.alice).get(f"/carts/{world.trade_fair.pk}/share/")
    assert "Last change: Frank Fischer asked for more access" in owner.content.decode()


@pytest.mark.parametrize("level", [*AccessLevel, None])
@pytest.mark.parametrize("verb", sorted(ACCESS_REQUEST_VERBS | {Verb.COMMENTED}))
@pytest.mark.parametrize("requester", ["self", "other", "none"])
def test_the_row_rule_and_the_queryset_scope_agree(world, level, verb, requester):
    """The streams' `activity_row_seen` is the scope's rule for one row: they cannot differ."""
    frank = world.frank
    details = {"self": {"requester_id": frank.pk}, "other": {"requester_id": 1_000_000}}
    row = CartActivity.objects.create(
        cart=world.trade_fair, actor=frank, verb=verb, details=details.get(requester, {})
    )
    from cartshare.access.policies import activities_changing_view_of

    in_scope = activities_changing_view_of(level, frank.pk, world.trade_fair).filter(pk=row.pk)
    assert in_scope.exists() is activity_row_seen(level, frank.pk, verb, row.details)
    expected = verb == Verb.COMMENTED or requester == "self" or level == AccessLevel.OWNER
    assert activity_row_seen(level, frank.pk, verb, row.details) is expected


def test_only_who_manages_sharing_has_the_action(world):
    assert [
        level for level in ALLOWED_ACTIONS if level_allows(level, CartAction.SEE_ACCESS_REQUESTS)
    ] == [AccessLevel.OWNER]
    assert not activities_visible_to(None, world.trade_fair).exists()
