"""The test world is what tests/world.py says it is: the people, their units, carts and levels."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cartshare.access.policies import access_level
from cartshare.carts.selectors import cart_totals
from cartshare.sharing.models import AccessLevel
from tests.world import CALLERS, PEOPLE, ROLES

pytestmark = pytest.mark.django_db

LEVEL_ON_TRADE_FAIR = {
    "owner": AccessLevel.OWNER,
    "full_access": AccessLevel.FULL_ACCESS,
    "read_only": AccessLevel.READ_ONLY,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_has_the_level_the_world_promises_on_trade_fair(world, role):
    person = world.caller(role) or AnonymousUser()
    assert access_level(person, world.trade_fair) == LEVEL_ON_TRADE_FAIR.get(role)


def test_nobody_but_alice_sees_office_supplies(world):
    assert access_level(world.alice, world.office_supplies) == AccessLevel.OWNER
    for name in PEOPLE.keys() - {"alice"}:
        assert access_level(world.user(name), world.office_supplies) is None


def test_the_people_are_in_the_units_of_the_demo_data(world):
    units = {
        name: str(getattr(world.user(name), "company_user", None) and world.company_user(name))
        for name in PEOPLE
    }
    assert units == {
        "alice": "Alice Archer (Acme Corporation / Berlin HQ)",
        "bob": "Bob Brandt (Acme Corporation / Berlin HQ)",
        "frank": "Frank Fischer (Acme Corporation / Berlin HQ)",
        "greta": "Greta Gruber (Acme Corporation / Berlin HQ)",
        "carol": "Carol Conrad (Acme Corporation / Munich Branch)",
        "dave": "Dave Dunn (Globex Inc / Head Office)",
        "erin": "None",
    }
    assert world.admin.is_staff and world.admin.is_superuser
    assert world.user("alice").check_password("demo1234")


def test_everybody_has_an_active_cart_and_alice_two_with_their_totals(world):
    assert world.alice.active_cart == world.trade_fair
    assert cart_totals(world.trade_fair).grand_total == 2 * 1250 + 10 * 499
    assert cart_totals(world.office_supplies).grand_total == 3 * 250 + 2 * 49900
    for name in PEOPLE.keys() - {"alice"}:
        person = world.user(name)
        assert person.active_cart == world.own_cart(name)
        assert list(person.carts.values_list("name", flat=True)) == ["My cart"]


def test_the_callers_are_roles_and_an_unknown_name_is_a_clear_error(world):
    assert set(CALLERS) <= set(ROLES)
    assert world.caller("anonymous") is None
    with pytest.raises(KeyError, match="Nobody called 'hamlet'"):
        world.user("hamlet")


def test_each_test_gets_a_world_of_its_own(world):
    world.trade_fair.items.all().delete()
    world.bob.delete()
    assert world.trade_fair.items.count() == 0


def test_the_next_test_still_finds_what_the_previous_one_deleted(world):
    assert world.trade_fair.items.count() == 2
    assert world.user("bob").pk is not None


def test_the_links_and_clients_work_for_their_people(world):
    token = world.link(world.office_supplies, "PREVIEW")
    assert world.logged_in_client(None).get(f"/share/{token}").status_code == 200
    assert world.api_client(world.bob).get("/me").json()["email"] == "bob@acme.example"
    assert world.logged_in_client(world.bob).get("/carts/").status_code == 200
