"""Expiry (frozen time) and revocation take effect exactly when they should."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from tests.links.helpers import ALL_OPTIONS, visit

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_a_link_works_one_second_before_it_expires_and_answers_410_at_the_instant(
    world, client, option
):
    expires_at = NOW + timedelta(days=7)
    with time_machine.travel(NOW, tick=False):
        token = world.link(world.office_supplies, option, expires_at=expires_at)
    client.force_login(world.bob)
    with time_machine.travel(expires_at - timedelta(seconds=1), tick=False):
        assert visit(client, token).status_code == 200
    with time_machine.travel(expires_at, tick=False):
        response = visit(client, token)
        assert response.status_code == 410
        assert "expired on 2 December 2026, 12:00" in response.content.decode()


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_revoking_takes_effect_on_the_very_next_request(world, client, option):
    link, _, token = world.share_link(world.office_supplies, option)
    visitor = world.bob
    client.force_login(visitor)
    assert visit(client, token).status_code == 200
    owner = type(client)()
    owner.force_login(world.alice)
    response = owner.post(f"/links/{link.pk}/revoke/")
    assert response.status_code == 302
    assert visit(client, token).status_code == 410
    assert (
        CartActivity.objects.filter(cart=world.office_supplies, verb=Verb.LINK_REVOKED).count() == 1
    )


def test_an_expired_link_is_replaced_when_the_owner_asks_again(world):
    with time_machine.travel(NOW, tick=False):
        old, _, old_token = world.share_link(
            world.office_supplies, "PREVIEW", expires_at=NOW + timedelta(days=1)
        )
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        new, _, new_token = world.share_link(world.office_supplies, "PREVIEW")
    assert new.pk != old.pk
    assert new_token != old_token
    old.refresh_from_db()
    assert old.revoked_at is not None
