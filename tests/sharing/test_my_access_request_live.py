"""The requester's own page (`/carts/<id>/my-access-request/`) follows the answer (issue 13):
live.js polls it with `X-Live-Refresh` and `If-None-Match`, and gets 304 while nothing changed,
then the page as approved (with the link to the cart) or declined. An ordinary visit works by
reload as before: an approval in force goes on to the cart."""

from __future__ import annotations

import pytest

from cartshare.sharing import access_requests

pytestmark = pytest.mark.django_db

LIVE = {"X-Live-Refresh": "1"}


def _ask(world):
    return access_requests.access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )


def _url(world) -> str:
    return f"/carts/{world.trade_fair.pk}/my-access-request/"


@pytest.mark.parametrize("answer", ["APPROVED", "DECLINED"])
def test_a_waiting_page_gets_304_until_the_answer_comes(world, answer):
    asked = _ask(world)
    frank = world.logged_in_client(world.frank)
    page = frank.get(_url(world))
    assert page.status_code == 200 and "ETag" not in page  # an ordinary visit: no ETag
    assert 'data-live-poll="2"' in page.content.decode()
    first = frank.get(_url(world), headers=LIVE)
    etag = first["ETag"]
    assert frank.get(_url(world), headers=LIVE | {"If-None-Match": etag}).status_code == 304
    # A change the page does not show (a comment) keeps the 304.
    from cartshare.comments.services import comment_create

    comment_create(cart=world.trade_fair, actor=world.alice, text="Soon")
    assert frank.get(_url(world), headers=LIVE | {"If-None-Match": etag}).status_code == 304
    access_requests.access_request_decide(access_request=asked, actor=world.alice, status=answer)
    after = frank.get(_url(world), headers=LIVE | {"If-None-Match": etag})
    assert after.status_code == 200 and after["ETag"] != etag
    text = after.content.decode()
    cart_link = f'href="/carts/{world.trade_fair.pk}/"'
    if answer == "APPROVED":
        assert "Your request was approved" in text
        assert "Alice Archer gave you full access to the cart “Trade fair”." in text
        assert cart_link in text  # Open the cart
        assert frank.get(_url(world)).status_code == 302  # by reload: on to the cart
    else:
        assert "Your request was declined" in text
        assert cart_link in text  # he still has read-only access
        assert frank.get(_url(world)).status_code == 200


def test_nobody_else_gets_an_etag_for_it(world):
    _ask(world)
    for person in (world.alice, world.bob, world.carol):
        response = world.logged_in_client(person).get(_url(world), headers=LIVE)
        assert response.status_code == 404 and "ETag" not in response
