"""The fuzz targets: every parser of outside input, reached the way a client reaches it (Django's
test Client through the middleware, ninja's schema validation and the views) and, where there is
one, the parsing function itself. Each takes the fuzzer's bytes; an input that is not answered
clearly (a 5xx, an API refusal that is not problem+json, any exception a parser lets escape
other than its domain error) raises, which the fuzzer reports as a crash.

Run by tests/fuzz/run.py (atheris); the world they talk about is tests/fuzz/harness.py's."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from urllib.parse import quote

import atheris
from django.http import QueryDict
from django.test import Client
from ninja.errors import HttpError

from cartshare.api.conditional import expected_version
from cartshare.carts.services import quantity_parse
from cartshare.common.errors import Gone, InvalidInput, NotFound
from cartshare.sharing.link_visits import share_link_resolve
from cartshare.storefront.link_forms import expiry_parse
from tests.fuzz.harness import World, ensure_clear, isolated

API = "/api/v1"
WORLD: World
CLIENT: Client  # logged in as the owner (pages)


def setup(world: World) -> None:
    from cartshare.accounts.models import Customer

    global WORLD, CLIENT
    WORLD = world
    CLIENT = Client()
    CLIENT.force_login(Customer.objects.get(email="owner@fuzz.example"))


def _bearer(token: str | None) -> dict[str, str]:
    return {} if token is None else {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def header_value(fdp: atheris.FuzzedDataProvider, length: int) -> str:
    """A header value as a server hands it to Django: bytes decoded as latin-1, without the CR,
    LF and NUL that HTTP servers refuse."""
    raw = fdp.ConsumeBytes(length).decode("latin-1")
    return raw.replace("\r", "").replace("\n", "").replace("\0", "")


INTERESTING = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "9999",
    "10000",
    "1e3",
    "1.5",
    "١٢",  # Arabic-Indic digits: isdecimal() says yes
    "²",
    "NaN",
    "Infinity",
    "null",
    "true",
    "PREVIEW",
    "READ_ONLY",
    "CONTRIBUTOR",
    "FULL_ACCESS",
    "OWNER",
    "APPROVED",
    "2026-12-31",
    "2026-12-31T23:59:59Z",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00-23:59",
    "2026-02-30",
    "2026-12-31T25:00:00",
    "\x00",
    "a" * 300,
]


def json_value(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> object:
    """Any JSON value, with a bias for the strings and numbers parsers stumble on."""
    kind = fdp.ConsumeIntInRange(0, 10 if depth < 2 else 6)
    if kind == 10:
        return digits(fdp)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeIntInRange(-(2**70), 2**70)
    if kind == 3:
        return fdp.ConsumeIntInRange(-2, 10_001)
    if kind == 4:
        return fdp.ConsumeRegularFloat()
    if kind == 5:
        return fdp.PickValueInList(INTERESTING)
    if kind == 6:
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
    if kind == 7:
        return [json_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    if kind == 8:
        return datetime_text(fdp)
    return {
        fdp.ConsumeUnicodeNoSurrogates(8): json_value(fdp, depth + 1)
        for _ in range(fdp.ConsumeIntInRange(0, 3))
    }


def digits(fdp: atheris.FuzzedDataProvider) -> str:
    """A run of digits, up to past the 4,300 that int() converts and the 19 a 64-bit column
    holds."""
    return fdp.PickValueInList(["9", "1", "0", "٩"]) * fdp.PickValueInList(
        [1, 5, 10, 11, 19, 20, 4_300, 4_301, 6_000]
    )


def datetime_text(fdp: atheris.FuzzedDataProvider) -> str:
    """Date-times near and beyond the edges of every field (years 0-99999, hour 25, offsets
    past a day...)."""
    numbers = [fdp.ConsumeIntInRange(-1, 99_999)] + [fdp.ConsumeIntInRange(-1, 61) for _ in "mdhms"]
    year, month, day, hour, minute, second = numbers
    zone = fdp.PickValueInList(["Z", "+00:00", "+23:59", "-24:00", "+99:99", "", "z", "+0530"])
    fraction = fdp.PickValueInList(["", ".5", ".999999", ".1234567890"])
    separator = fdp.PickValueInList(["T", " ", "t", "_"])
    return (
        f"{year:04d}-{month:02d}-{day:02d}{separator}{hour:02d}:{minute:02d}:{second:02d}"
        f"{fraction}{zone}"
    )


def _json(method: str, path: str, body: object, *, token: str | None, **headers: str) -> object:
    send = getattr(Client(), method)
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return send(path, data=data, content_type="application/json", **_bearer(token), **headers)


# --- share tokens -------------------------------------------------------------------------------


def share_token(data: bytes) -> None:
    """/share/{token} (page), /api/v1/shared/{token} (open, accept, copy), and the resolver."""
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:  # the real token, changed a little
        real = fdp.PickValueInList([WORLD.preview_token, WORLD.internal_token])
        cut = fdp.ConsumeIntInRange(0, len(real))
        token = real[:cut] + fdp.ConsumeUnicodeNoSurrogates(4) + real[cut + 1 :]
    elif mode == 1:
        token = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 300))
    else:
        token = fdp.ConsumeBytes(200).decode("latin-1")
    with contextlib.suppress(NotFound, Gone):
        share_link_resolve(token)
    path = quote(token, safe="")
    who = fdp.PickValueInList([None, WORLD.owner_token, WORLD.colleague_token])
    method, address = fdp.PickValueInList(
        [
            ("get", "/share/{}"),
            ("post", "/share/{}/copy"),
            ("get", "/share/{}/card.png"),
            ("get", API + "/shared/{}"),
            ("post", API + "/shared/{}/accept"),
            ("post", API + "/shared/{}/copy"),
        ]
    )
    with isolated():
        response = getattr(Client(), method)(address.format(path), **_bearer(who))
        ensure_clear(response, what=f"{method} {address} {token!r}", api=address.startswith(API))


# --- If-Match -----------------------------------------------------------------------------------


def if_match(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    value = header_value(fdp, 40) if fdp.ConsumeBool() else f'"{fdp.ConsumeInt(6)}"'
    try:
        version = expected_version(value)
    except HttpError as error:
        assert error.status_code == 412, error.status_code
    else:
        assert version is None or 0 <= version < 2**31, version
    cart = f"{API}/carts/{WORLD.cart_id}"
    if not fdp.ConsumeBool():  # the pages' equivalent: the version field of their forms
        page = f"/carts/{WORLD.cart_id}"
        posted = fdp.PickValueInList([value, digits(fdp), fdp.ConsumeUnicodeNoSurrogates(12)])
        path, form = fdp.PickValueInList(
            [
                (f"{page}/edit/", {"name": "Fuzz", "note": "n"}),
                (f"{page}/items/{WORLD.item_id}/", {"quantity": "3"}),
                (f"{page}/items/{WORLD.item_id}/remove/", {}),
                (f"{page}/clear/", {}),
                (f"{page}/checkout/confirm/", {}),
                (f"{page}/checkout/place/", {}),
            ]
        )
        with isolated():
            response = CLIENT.post(path, {**form, "version": posted})
            ensure_clear(response, what=f"{path} version {posted!r:.80}", api=False)
        return
    method, path, body = fdp.PickValueInList(
        [
            ("patch", cart, {"note": "fuzz"}),
            ("post", f"{cart}/items", {"sku": WORLD.product_sku, "quantity": 1}),
            ("patch", f"{cart}/items/{WORLD.item_id}", {"quantity": 3}),
            ("delete", f"{cart}/items/{WORLD.item_id}", {}),
            ("post", f"{cart}/checkout", {}),
        ]
    )
    with isolated():
        response = _json(method, path, body, token=WORLD.owner_token, HTTP_IF_MATCH=value)
        ensure_clear(response, what=f"{method} {path} If-Match {value!r}", api=True)


# --- Idempotency-Key ----------------------------------------------------------------------------


def idempotency_key(data: bytes) -> None:
    """A key, used for a first request, its repeat, and a repeat with another body."""
    fdp = atheris.FuzzedDataProvider(data)
    key = header_value(fdp, fdp.ConsumeIntInRange(0, 300))
    path = f"{API}/carts/{WORLD.cart_id}/items"
    with isolated():
        for quantity in (1, 1, 2):
            body = {"sku": WORLD.product_sku, "quantity": quantity}
            response = _json("post", path, body, token=WORLD.owner_token, HTTP_IDEMPOTENCY_KEY=key)
            ensure_clear(response, what=f"Idempotency-Key {key!r}", api=True)
        if fdp.ConsumeBool():  # without a token: 401, whatever the key
            response = _json(
                "post", f"{API}/carts", {"name": "Fuzz"}, token=None, HTTP_IDEMPOTENCY_KEY=key
            )
            ensure_clear(response, what=f"anonymous Idempotency-Key {key!r}", api=True)


# --- expiry values ------------------------------------------------------------------------------


def expiry(data: bytes) -> None:
    """The API's `expires_at` (a new link: no READ_ONLY link exists yet) and the pages' expiry
    fields (create, renew, change), and expiry_parse itself."""
    fdp = atheris.FuzzedDataProvider(data)
    value = json_value(fdp)
    fields = {
        "expires": fdp.PickValueInList(["never", "1", "7", "30", "date", "", "x"])
        if fdp.ConsumeBool()
        else fdp.ConsumeUnicodeNoSurrogates(12),
        "expires_on": datetime_text(fdp)[: fdp.ConsumeIntInRange(0, 40)]
        if fdp.ConsumeBool()
        else fdp.ConsumeUnicodeNoSurrogates(30),
    }
    form = QueryDict(mutable=True)
    form.update(fields)
    with contextlib.suppress(InvalidInput):
        expiry_parse(form)
    option = fdp.PickValueInList(["READ_ONLY", "FULL_ACCESS", "PREVIEW"])
    page = fdp.PickValueInList(
        [
            None,  # the API
            (f"/carts/{WORLD.cart_id}/links/", {"share_option": option, **fields}),
            (f"/links/{WORLD.link_id}/expiry/", fields),
            (f"/links/{WORLD.link_id}/renew/", fields),
        ]
    )
    with isolated():
        if page is None:
            body = {"share_option": option, "expires_at": value}
            response = _json(
                "post", f"{API}/carts/{WORLD.cart_id}/share-links", body, token=WORLD.owner_token
            )
            ensure_clear(response, what=f"expires_at {value!r}", api=True)
        else:
            response = CLIENT.post(*page)
            ensure_clear(response, what=f"{page[0]} {fields!r}", api=False)


# --- quantities ---------------------------------------------------------------------------------


def quantities(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    value = json_value(fdp)
    try:
        parsed = quantity_parse(value)
    except InvalidInput:
        pass
    else:
        assert isinstance(parsed, int) and 1 <= parsed <= 9_999, parsed
    text = fdp.PickValueInList([fdp.ConsumeUnicodeNoSurrogates(12), str(value), digits(fdp)])
    cart = f"{API}/carts/{WORLD.cart_id}"
    item = f"{cart}/items/{WORLD.item_id}"
    where = fdp.ConsumeIntInRange(0, 3)
    with isolated():
        if where == 0:
            body = {"sku": WORLD.product_sku, "quantity": value}
            response = _json("post", f"{cart}/items", body, token=WORLD.owner_token)
            ensure_clear(response, what=f"POST items quantity {value!r}", api=True)
        elif where == 1:
            response = _json("patch", item, {"quantity": value}, token=WORLD.owner_token)
            ensure_clear(response, what=f"PATCH item quantity {value!r}", api=True)
        else:
            path, form = [
                ("/cart/add/", {"sku": WORLD.product_sku, "quantity": text}),
                (f"/carts/{WORLD.cart_id}/items/{WORLD.item_id}/", {"quantity": text}),
            ][where - 2]
            ensure_clear(CLIENT.post(path, form), what=f"{path} quantity {text!r}", api=False)


# --- JSON bodies --------------------------------------------------------------------------------

# (method, path, who, the fields its schema knows): bodies are raw bytes or objects built from
# those fields with any JSON values.
ENDPOINTS: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    ("post", "/access-tokens", None, ("email", "password")),
    ("post", "/carts", "owner", ("name",)),
    ("patch", "/carts/{cart}", "owner", ("name", "note")),
    ("post", "/carts/{cart}/items", "owner", ("sku", "quantity")),
    ("patch", "/carts/{cart}/items/{item}", "owner", ("quantity", "note")),
    ("post", "/carts/{cart}/shared-carts", "owner", ("company_user_id", "permission")),
    ("post", "/carts/{cart}/share-links", "owner", ("share_option", "expires_at")),
    ("post", "/carts/{cart}/comments", "owner", ("text",)),
    ("post", "/carts/{cart}/checkout", "owner", ("purchase_order_number",)),
    ("post", "/carts/{cart}/access-requests", "colleague", ("permission", "message")),
    ("post", "/carts/{cart}/invitations", "owner", ("emails", "share_option", "message")),
    ("post", "/notifications/read", "owner", ("ids", "all")),
    ("patch", "/me/notification-settings", "owner", ("email",)),
    ("post", "/password-resets", None, ("email",)),
    ("post", "/shared/{token}/accept", "colleague", ()),
    ("post", "/shared/{token}/copy", "colleague", ()),
]


def json_bodies(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    method, template, who, names = fdp.PickValueInList(ENDPOINTS)
    path = API + template.format(cart=WORLD.cart_id, item=WORLD.item_id, token=WORLD.internal_token)
    token = {None: None, "owner": WORLD.owner_token, "colleague": WORLD.colleague_token}[who]
    body: object
    if fdp.ConsumeBool() or not names:
        body = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 2_000))
    else:
        body = {name: json_value(fdp) for name in names if fdp.ConsumeIntInRange(0, 4)}
        if fdp.ConsumeIntInRange(0, 9) == 0:
            body = fdp.PickValueInList([[body], "text", 7, None])
    with isolated():
        response = _json(method, path, body, token=token)
        ensure_clear(response, what=f"{method} {path} {body!r:.200}", api=True)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "share_token": share_token,
    "if_match": if_match,
    "idempotency_key": idempotency_key,
    "expiry": expiry,
    "quantities": quantities,
    "json_bodies": json_bodies,
}
