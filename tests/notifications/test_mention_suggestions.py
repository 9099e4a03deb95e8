"""The "@" suggestions of the comment box: the names of those who may read the discussion, for
those who may write in it; everyone else gets what the cart's pages answer them."""

from __future__ import annotations

import pytest

from tests.world import CALLERS

EXPECTED = {
    "anonymous": 302,
    "owner": 200,
    "full_access": 200,
    "read_only": 200,
    "other_unit": 404,
    "other_company": 404,
    "b2c": 404,
}


@pytest.mark.parametrize("caller", CALLERS)
def test_every_kind_of_caller(world, caller):
    client = world.logged_in_client(world.caller(caller))
    response = client.get(f"/carts/{world.trade_fair.pk}/mentions/?q=")
    assert response.status_code == EXPECTED[caller]
    if response.status_code == 200:
        names = [entry["name"] for entry in response.json()["results"]]
        everyone = {"Alice Archer", "Bob Brandt", "Frank Fischer"}
        assert set(names) == everyone - {world.caller(caller).name}


def test_a_prefix_of_any_word_of_the_name_matches(world):
    client = world.logged_in_client(world.alice)
    for query, names in (("fi", ["Frank Fischer"]), ("B", ["Bob Brandt"]), ("zz", [])):
        response = client.get(f"/carts/{world.trade_fair.pk}/mentions/", {"q": query})
        assert [entry["name"] for entry in response.json()["results"]] == names


def test_the_comment_box_offers_suggestions_and_says_how_to_mention_without_them(world):
    page = world.logged_in_client(world.bob).get(f"/carts/{world.trade_fair.pk}/discussion/")
    html = page.content.decode()
    assert f'data-mentions-url="/carts/{world.trade_fair.pk}/mentions/"' in html
    assert "write @ and their name" in html
    assert "storefront/mentions.js" in html
