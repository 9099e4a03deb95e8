"""The activity panel: who sees it, newest first, paginated with ?activity_page=."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cartshare.activity.selectors import activities_for_cart
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.services import cart_item_update
from tests.world import CALLERS

pytestmark = pytest.mark.django_db

PANEL = Template("{% load discuss %}{% cart_activity cart %}|{% cart_comments cart %}")


def render_panels_for(user, cart) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return PANEL.render(Context({"request": request, "cart": cart}))


@pytest.mark.parametrize("caller", CALLERS)
def test_activity_panel_on_the_discussion_page_for_every_caller(world, caller):
    item = world.trade_fair.items.get(product=world.stapler)
    cart_item_update(cart=world.trade_fair, actor=world.bob, item_id=item.pk, quantity=5)
    response = world.logged_in_client(world.caller(caller)).get(
        reverse("storefront:cart_discussion", args=[world.trade_fair.pk])
    )
    if caller in {"owner", "full_access", "read_only"}:
        assert response.status_code == 200
        assert (
            "<strong>Bob Brandt</strong> changed Stapler from 2 to 5" in response.content.decode()
        )
    else:
        assert response.status_code in {302, 404}
        assert b"Stapler" not in response.content


@pytest.mark.parametrize("caller", ["anonymous", "other_unit", "other_company", "b2c"])
def test_the_panels_render_nothing_for_people_who_cannot_see_the_discussion(world, caller):
    activity_record(cart=world.trade_fair, actor=world.alice, verb=Verb.NOTE_CHANGED)
    user = world.caller(caller) or AnonymousUser()
    assert render_panels_for(user, world.trade_fair).strip() == "|"


def test_the_panels_render_for_a_read_only_colleague(world):
    activity_record(cart=world.trade_fair, actor=world.alice, verb=Verb.NOTE_CHANGED)
    html = render_panels_for(world.frank, world.trade_fair)
    assert "<strong>Alice Archer</strong> changed the note" in html
    assert 'id="comments"' in html


def test_the_log_is_newest_first_and_paginated(world):
    for index in range(45):
        activity_record(cart=world.trade_fair, actor=world.alice, verb="custom_step_" + str(index))
    url = reverse("storefront:cart_discussion", args=[world.trade_fair.pk])
    client = world.logged_in_client(world.alice)
    first = client.get(url).content.decode()
    assert "custom step 44" in first and "custom step 24" not in first
    assert "?activity_page=2#activity" in first
    third = client.get(url + "?activity_page=3").content.decode()
    assert "custom step 0)" in third and "Page 3 of 3" in third
    fallback = client.get(url + "?activity_page=abc").content.decode()
    assert "Page 1 of 3" in fallback


def test_the_actor_is_fetched_with_the_entries(world, django_assert_num_queries):
    for person in (world.alice, world.bob, world.frank):
        activity_record(cart=world.trade_fair, actor=person, verb=Verb.COMMENTED)
    with django_assert_num_queries(1):  # the page with its actors; no COUNT: the page is all
        names = [entry.actor.name for entry in activities_for_cart(world.trade_fair, 1).object_list]
    assert names == ["Frank Fischer", "Bob Brandt", "Alice Archer"]
