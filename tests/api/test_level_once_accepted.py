"""The level a visitor has once they accept an internal link is decided once, by the policy, and
the accept page and the API say the same: a grant is raised, never lowered (before, the page
kept its own ranking, which knew neither the owner nor ordered carts)."""

from __future__ import annotations

import pytest

from cartshare.access.policies import LEVEL_PROMISES
from cartshare.sharing.models import AccessLevel, SharePermission
from tests.api.client import client_for
from tests.factories import CartShareFactory

pytestmark = pytest.mark.django_db

CASES = [
    (None, "READ_ONLY", AccessLevel.READ_ONLY),
    (None, "FULL_ACCESS", AccessLevel.FULL_ACCESS),
    ("READ_ONLY", "FULL_ACCESS", AccessLevel.FULL_ACCESS),
    ("FULL_ACCESS", "READ_ONLY", AccessLevel.FULL_ACCESS),
    ("READ_ONLY", "READ_ONLY", AccessLevel.READ_ONLY),
]


@pytest.mark.parametrize(("grant", "option", "expected"), CASES)
def test_accept_page_and_api_promise_the_same_level(world, client, grant, option, expected):
    visitor = world.carol
    company_user = visitor.company_user
    company_user.business_unit = world.alice.company_user.business_unit
    company_user.save()
    if grant:
        CartShareFactory(cart=world.trade_fair, company_user=company_user, permission=grant)
    _, _, token = world.share_link(world.trade_fair, option)

    api = client_for(visitor).get(f"/shared/{token}")
    assert api.status_code == 200
    assert api.json()["cart"]["access"] == expected.value

    client.force_login(visitor)
    page = client.get(client.get(f"/share/{token}")["Location"])  # on to the link's own page
    assert page.status_code == 200
    assert page.context["level"] == expected
    assert str(LEVEL_PROMISES[expected]) in page.content.decode()
    assert page.context["keeps_current"] is (grant is not None and grant == expected.value)

    accepted = client_for(visitor).post(f"/shared/{token}/accept")
    assert accepted.json()["permission"] == expected.value
    assert company_user.cart_shares.get(cart=world.trade_fair).permission == SharePermission(
        expected
    )


def test_the_owner_opening_their_own_internal_link_sees_the_cart_itself(world, client):
    _, _, token = world.share_link(world.trade_fair, "READ_ONLY")
    client.force_login(world.alice)
    response = client.get(client.get(f"/share/{token}")["Location"])  # the link's own page
    assert response.status_code == 302
    assert response["Location"] == f"/carts/{world.trade_fair.pk}/"
    assert client_for(world.alice).get(f"/shared/{token}").json()["cart"]["access"] == "OWNER"
