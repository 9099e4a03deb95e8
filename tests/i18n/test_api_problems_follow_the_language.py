"""The API's problems speak the caller's language (Accept-Language): `title` and `detail` in
German for `de`, English without the header; `code`, `type`, `status` and the field names in
`errors` are the same in every language (issue 17, part 2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cartshare.carts.models import Cart
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import ShareLink
from tests.api.client import ApiClient, assert_problem, client_for

pytestmark = pytest.mark.django_db

GERMAN = {"Accept-Language": "de"}
GERMAN_FIRST = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}


def both(send, status: int) -> tuple[dict, dict]:
    """The same refusal asked in English (no header) and in German: both problem bodies."""
    english = assert_problem(send({}), status)
    german = assert_problem(send(GERMAN), status)
    assert german["code"] == english["code"]
    assert german["type"] == english["type"]
    assert german["status"] == english["status"]
    assert set(german["errors"]) == set(english["errors"])
    return english, german


def test_an_empty_cart_is_refused_in_german_with_the_same_code(world):
    alice = client_for(world.alice)
    empty = alice.post("/carts", {"name": "Empty"}).json()["id"]
    english, german = both(lambda h: alice.post(f"/carts/{empty}/checkout", headers=h), 409)
    assert english["code"] == "cart_empty"
    assert english["title"] == "Cart is empty"
    assert english["detail"] == "This cart is empty. Add products to it before you check out."
    assert german["title"] == "Warenkorb ist leer"
    assert german["detail"] == (
        "Dieser Warenkorb ist leer. Legen Sie Produkte hinein, bevor Sie zur Kasse gehen."
    )
    assert not Cart.objects.get(pk=empty).is_ordered


def test_an_ordered_cart_is_refused_in_german_with_the_same_code(world):
    alice = client_for(world.alice)
    fair = world.trade_fair.pk
    assert alice.post(f"/carts/{fair}/checkout").status_code == 201
    item = {"sku": world.pens.sku, "quantity": 1}
    english, german = both(lambda h: alice.post(f"/carts/{fair}/items", item, headers=h), 409)
    assert english["code"] == "cart_ordered"
    assert english["detail"] == "This cart has been ordered and can no longer be changed."
    assert german["title"] == "Warenkorb bereits bestellt"
    assert (
        german["detail"] == "Dieser Warenkorb wurde bestellt und kann nicht mehr geändert werden."
    )
    assert not world.trade_fair.items.filter(product=world.pens).exists()


def test_a_revoked_link_is_explained_in_german_naming_its_owner(world):
    revoked = world.share_link(world.office_supplies, "PREVIEW")
    share_link_revoke(link=revoked.link, actor=world.alice)
    anonymous = ApiClient()
    english, german = both(lambda h: anonymous.get(f"/shared/{revoked.token}", headers=h), 410)
    assert english["code"] == "link_revoked"
    assert english["detail"] == (
        "This link has been turned off by Alice Archer. Ask Alice Archer for a new link."
    )
    assert german["title"] == "Link widerrufen"
    assert german["detail"] == (
        "Alice Archer hat diesen Link abgeschaltet. Bitten Sie Alice Archer um einen neuen Link."
    )


def test_an_expired_link_gives_its_date_the_german_way(world):
    expired = world.share_link(world.office_supplies, "PREVIEW")
    moment = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
    ShareLink.objects.filter(pk=expired.link.pk).update(expires_at=moment)
    anonymous = ApiClient()
    english, german = both(lambda h: anonymous.get(f"/shared/{expired.token}", headers=h), 410)
    assert english["code"] == "link_expired"
    assert "expired on 1 December 2026, 14:05 UTC" in english["detail"]
    assert "ist am 1. Dezember 2026, 14:05 UTC abgelaufen" in german["detail"]


def test_a_stale_version_is_refused_in_german_with_the_same_code_and_version(world):
    alice = client_for(world.alice)
    fair = world.trade_fair.pk
    stale = {"If-Match": '"999"'}

    def send(h):
        return alice.patch(f"/carts/{fair}", {"note": "x"}, headers={**stale, **h})

    english, german = both(send, 412)
    assert english["code"] == "stale_version"
    assert german["current_version"] == english["current_version"] == world.trade_fair.version
    assert german["title"] == "Veralteter Stand"
    assert german["detail"].startswith("Dieser Warenkorb wurde von jemand anderem geändert")
    world.trade_fair.refresh_from_db()
    assert world.trade_fair.note != "x"


def test_a_rule_the_service_checks_is_refused_in_german_on_the_same_field(world):
    alice = client_for(world.alice)
    item = {"sku": "NO-SUCH-SKU", "quantity": 1}
    fair = world.trade_fair.pk
    lines = world.trade_fair.items.count()
    english, german = both(lambda h: alice.post(f"/carts/{fair}/items", item, headers=h), 422)
    assert english["code"] == "validation_error"
    assert english["errors"]["sku"] == ["There is no product with SKU “NO-SUCH-SKU”."]
    assert german["title"] == "Prüfung fehlgeschlagen"
    assert german["errors"]["sku"] == ["Es gibt kein Produkt mit der Art.-Nr. „NO-SUCH-SKU“."]
    assert german["detail"] == german["errors"]["sku"][0]
    assert world.trade_fair.items.count() == lines


def test_the_schemas_limits_are_explained_in_german(world):
    alice = client_for(world.alice)
    item = {"sku": "", "quantity": 10_000}
    fair = world.trade_fair.pk
    english, german = both(lambda h: alice.post(f"/carts/{fair}/items", item, headers=h), 422)
    assert english["errors"] == {
        "sku": ["String should have at least 1 character"],
        "quantity": ["Input should be less than or equal to 9999"],
    }
    assert german["errors"] == {
        "sku": ["Der Text muss mindestens 1 Zeichen haben"],
        "quantity": ["Der Wert darf höchstens 9999 sein"],
    }
    assert not world.trade_fair.items.filter(quantity=10_000).exists()


def test_a_value_of_the_wrong_type_is_refused_in_german_naming_the_field_in_english(world):
    alice = client_for(world.alice)
    english, german = both(lambda h: alice.post("/carts", {"name": 5}, headers=h), 422)
    assert english["code"] == "validation_error"
    assert english["detail"] == "Some values are not valid (name); `errors` says why."
    assert german["detail"] == "Einige Werte sind ungültig (name); `errors` nennt die Gründe."
    assert list(german["errors"]) == ["name"]


def test_too_many_link_opens_are_refused_in_german_with_the_same_code(world, settings):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "1/m"
    token = world.share_link(world.office_supplies, "PREVIEW").token
    anonymous = ApiClient()
    assert anonymous.get(f"/shared/{token}").status_code == 200
    english = assert_problem(anonymous.get(f"/shared/{token}"), 429)
    german = assert_problem(anonymous.get(f"/shared/{token}", headers=GERMAN_FIRST), 429)
    assert english["code"] == german["code"] == "rate_limited"
    assert english["title"] == "Too many requests"
    assert english["detail"].startswith("Too many links were opened from your network")
    assert german["title"] == "Zu viele Anfragen"
    assert german["detail"].startswith("Aus Ihrem Netzwerk wurden in kurzer Zeit zu viele Links")


def test_generic_problems_have_german_titles_and_details(world):
    anonymous = ApiClient()
    english, german = both(lambda h: anonymous.get("/carts", headers=h), 401)
    assert english["code"] == "authentication_required"
    assert english["title"] == "Authentication required"
    assert german["title"] == "Anmeldung erforderlich"
    assert german["detail"].startswith("Senden Sie ein gültiges Zugriffstoken")


def test_a_language_the_shop_does_not_speak_gets_english(world):
    alice = client_for(world.alice)
    empty = alice.post("/carts", {"name": "Empty"}).json()["id"]
    body = assert_problem(
        alice.post(f"/carts/{empty}/checkout", headers={"Accept-Language": "fr"}), 409
    )
    assert body["code"] == "cart_empty"
    assert body["title"] == "Cart is empty"


def test_the_openapi_document_stays_english_for_a_german_caller(world):
    german = ApiClient().get("/openapi.json", headers=GERMAN).json()
    english = ApiClient().get("/openapi.json").json()
    assert german == english
    assert "Validation failed" in str(german)
    assert "Prüfung fehlgeschlagen" not in str(german)
