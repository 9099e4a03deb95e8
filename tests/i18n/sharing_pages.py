"""A tour of the cart, sharing, link and discussion pages, each in the state that shows most of
its text: the German page tests (and any check of the English ones) visit them all the same way.
`tour(world, language)` answers {page name: response}; `language` goes out as Accept-Language."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

from cartshare.comments.services import comment_create
from cartshare.sharing.access_requests import access_request_create
from cartshare.sharing.link_services import share_link_revoke
from tests.links.helpers import join_url, open_url
from tests.world import World


def client_for(world: World, person, language: str) -> Client:
    """A browser session of `person` whose browser asks for `language`."""
    client = Client(headers={"accept-language": language}) if language else Client()
    if person is not None:
        client.force_login(person)
    return client


def tour(world: World, language: str) -> dict[str, HttpResponse]:
    """Every page of this part of the shop, in one language. The world is changed on the way
    (links made and revoked, a request, a comment), as people would."""
    trade_fair = world.trade_fair
    alice = client_for(world, world.alice, language)
    frank = client_for(world, world.frank, language)
    greta = client_for(world, world.greta, language)
    carol = client_for(world, world.carol, language)
    anonymous = client_for(world, None, language)
    pages: dict[str, HttpResponse] = {}

    def get(name: str, client: Client, url: str) -> None:
        pages[name] = client.get(url)

    def post(name: str, client: Client, url: str, data: dict[str, str]) -> None:
        pages[name] = client.post(url, data, follow=True)

    cart = f"/carts/{trade_fair.pk}/"
    comment_create(cart=trade_fair, actor=world.bob, text="Shall we take more paper?")
    preview = world.share_link(trade_fair, "PREVIEW", expires_at=None)
    read_only = world.share_link(trade_fair, "READ_ONLY")
    access_request_create(
        cart=trade_fair, actor=world.frank, permission="FULL_ACCESS", message="For the banner"
    )
    get("cart_list", alice, "/carts/")
    get("cart_owner", alice, cart)
    get("cart_read_only", frank, cart)
    get("share_owner", alice, f"{cart}share/")
    get("share_read_only", frank, f"{cart}share/")
    get("dismiss", frank, f"{cart}dismiss/")
    get("my_access_request", frank, f"{cart}my-access-request/")
    get("discussion", alice, f"{cart}discussion/")
    comment = trade_fair.comments.get()
    get(
        "comment_edit", client_for(world, world.bob, language), f"{cart}comments/{comment.pk}/edit/"
    )
    get("preview_anonymous", anonymous, open_url(preview.token))
    greta.get(open_url(read_only.token))
    get("accept", greta, join_url(read_only.token))
    erin = client_for(world, world.erin, language)
    erin.get(open_url(preview.token))
    pages["preview_logged_in"] = erin.get(join_url(preview.token))
    get("unknown_link", anonymous, open_url("x" * 43))
    carol.get(open_url(read_only.token))
    get("other_unit", carol, join_url(read_only.token))
    share_link_revoke(link=read_only.link, actor=world.alice)
    get("revoked_link", greta, join_url(read_only.token))
    get("request_access", greta, f"{join_url(read_only.token)}/request-access")
    get("empty_cart", erin, f"/carts/{world.own_cart('erin').pk}/")
    ordered = world.cart(world.alice, "Ordered one", items={world.lamp: 1}, ordered=True)
    get("ordered_cart", alice, f"/carts/{ordered.pk}/")
    # The messages forms leave (each on the page it goes on to)
    post("created", alice, "/carts/new/", {"name": "Fair 2027", "note": "", "activate": ""})
    post("create_refused", alice, "/carts/new/", {"name": "", "note": ""})
    post("added", alice, "/cart/add/", {"sku": world.lamp.sku, "quantity": "2"})
    post("link_made", alice, f"{cart}links/", {"share_option": "CONTRIBUTOR"})
    post("link_again", alice, f"{cart}links/", {"share_option": "CONTRIBUTOR"})
    post(
        "shared",
        alice,
        f"{cart}share/",
        {"person": str(world.company_user("greta").pk), "permission": "READ_ONLY"},
    )
    post("commented", alice, f"{cart}comments/", {"text": "Yes, 10 more."})
    post("asked", frank, f"{cart}access-requests/", {"permission": "FULL_ACCESS"})
    return pages
