"""Request and response shapes of API v1 (../shared/API.md), each declared once. Shapes only:
the services check every rule; the constraints here describe the contract so clients and the
docs know them.

Handlers return domain objects; a response shape reads them, by attribute, and by a
`resolve_<field>` for what is computed (say, an Order's `placed_by`). ninja validates the
result against the shape, so what is sent is what `/api/v1/openapi.json` says
(`tests/api/test_openapi_matches_responses.py`). Shapes that need no Python to read their
object (the Cart shapes, totals, references) are `Attributes` models: pydantic-core reads
them without a Python call per field; the items, by the thousand on the link open (the most
frequent request), are TypedDicts read from plain dicts, which keeps it within its budget
(docs/decisions/api-response-shapes.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    AliasPath,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    StrictBool,
    StrictInt,
    StringConstraints,
    Tag,
)
from typing_extensions import TypedDict

from cartshare.access.policies import LEVEL_DESCRIPTIONS, CartAction, level_allows
from cartshare.activity.presenters import activity_present
from cartshare.carts.models import (
    MAX_ITEM_NOTE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_QUANTITY,
)
from cartshare.carts.selectors import CartSeen
from cartshare.comments.models import MAX_COMMENT_LENGTH
from cartshare.common.errors import ErrorCode
from cartshare.orders.models import MAX_PURCHASE_ORDER_NUMBER_LENGTH
from cartshare.sharing.models import (
    MAX_ACCESS_REQUEST_MESSAGE_LENGTH,
    AccessLevel,
    SharePermission,
)
from cartshare.sharing.tokens import base_url_for, share_link_url

if TYPE_CHECKING:
    from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
    from cartshare.accounts.tokens import IssuedAccessToken
    from cartshare.activity.models import CartActivity
    from cartshare.orders.models import Order, OrderLine
    from cartshare.sharing.link_visits import ShareLinkOpening
    from cartshare.sharing.models import AccessRequest, ShareLink, ShareLinkStats


class ResponseContext(TypedDict):
    """What ninja hands a resolver that takes `context`."""

    request: HttpRequest
    response_status: int


class Attributes(BaseModel):
    """A response shape read from its object's attributes, or along an attribute path
    (`Field(validation_alias=AliasPath("cart", "name"))`), in pydantic-core: no resolvers,
    since a ninja Schema runs Python for every field of every object it reads."""

    model_config = ConfigDict(from_attributes=True)


# What handlers give the shapes below when no single domain object holds it all (dataclasses:
# ninja takes a returned 2-tuple for a status and a body).


@dataclass(frozen=True)
class Me:
    customer: Customer
    company_user: CompanyUser | None


@dataclass(frozen=True)
class LinkView:
    """A link opening (`share_link_open`) and its cart as the visitor sees it through it."""

    opening: ShareLinkOpening
    cart: CartSeen


@dataclass(frozen=True)
class Accepted:
    level: AccessLevel
    cart: CartSeen


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text must not contain NUL characters."))
    return value


# Strings without NUL characters (no database stores them) within the given length: one
# Annotated alias per field kind, so that type checkers see a `str`.
_NO_NUL = AfterValidator(_no_nul)
EmailText = Annotated[str, StringConstraints(min_length=1, max_length=254), _NO_NUL]
PasswordText = Annotated[str, StringConstraints(min_length=1, max_length=4096), _NO_NUL]
CartNameText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH), _NO_NUL]
CartNoteText = Annotated[str, StringConstraints(max_length=MAX_NOTE_LENGTH), _NO_NUL]
ItemNoteText = Annotated[str, StringConstraints(max_length=MAX_ITEM_NOTE_LENGTH), _NO_NUL]
SkuText = Annotated[str, StringConstraints(min_length=1, max_length=64), _NO_NUL]
CommentText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_COMMENT_LENGTH), _NO_NUL
]
PurchaseOrderNumberText = Annotated[
    str, StringConstraints(max_length=MAX_PURCHASE_ORDER_NUMBER_LENGTH), _NO_NUL
]
SearchText = Annotated[str, StringConstraints(max_length=200), _NO_NUL]
InvitationMessageText = Annotated[str, StringConstraints(max_length=500), _NO_NUL]
AccessRequestMessageText = Annotated[
    str, StringConstraints(max_length=MAX_ACCESS_REQUEST_MESSAGE_LENGTH), _NO_NUL
]


Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
# A primary key sent by a client: what a 64-bit database column can hold (beyond it SQLite
# raises OverflowError, a 500, instead of finding nothing).
RowId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]
AccessName = Literal["OWNER", "FULL_ACCESS", "CONTRIBUTOR", "READ_ONLY", "PREVIEW"]
PermissionName = Literal["READ_ONLY", "CONTRIBUTOR", "FULL_ACCESS"]
# The levels a cart in my lists can have for me (a preview is never listed).
ListedAccessName = Literal["OWNER", "FULL_ACCESS", "CONTRIBUTOR", "READ_ONLY"]
CartStatusName = Literal["OPEN", "ORDERED"]
# Every list (`...Page`): `next` is the URL of the next page, or null on the last one.
HasMore = Annotated[
    bool, Field(description="Whether there are more results: `next` is their page's URL.")
]


class LineConflictOut(Schema):
    """A stale line edit refused (412): someone else changed or removed that line since the
    version in `If-Match`. Reads a `carts.conflicts.LineChange`."""

    kind: Literal["quantity", "note", "removed", "cleared"] = Field(
        description="What happened to the line: its quantity or note changed, it was removed, "
        "or the cart was emptied."
    )
    item_id: int | None
    sku: str
    product: str
    changed_by: Reference | None = Field(
        None, description="Who changed it; absent for a former user."
    )
    quantity: int | None = Field(None, description="The line's quantity now; absent once gone.")
    note: str | None = Field(None, description="The line's note now; absent once gone.")
    text: str = Field(description='Who changed what: "Bob Brandt changed the quantity of …".')


class Problem(Schema):
    """application/problem+json (RFC 9457), for every error. `code` is the stable reason to
    branch on (docs/api.md, "Problem codes"); `type` is the URI of that code; `title` goes with
    the code, `detail` with this occurrence (a sentence a person can act on)."""

    type: str = Field(
        description="urn:cartshare:problem:<code>, one per code.",
        json_schema_extra={"format": "uri"},
    )
    code: str = Field(
        description="Why, for programs: stable within v1; new codes may be added, so treat an "
        "unknown one like the generic code of its status.",
        json_schema_extra={"enum": [code.value for code in ErrorCode]},
    )
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Field → messages, for validation failures."
    )
    request_id: str = Field(description="Quote it when reporting a problem.")
    current_version: int | None = Field(
        None, description="412 only: the cart's version now (its ETag is in the header too)."
    )
    conflict: LineConflictOut | None = Field(
        None,
        description="412 of a line edit only: who changed that line to what since the "
        "version in If-Match (an edit of an unchanged line is applied instead).",
    )


# Access tokens and the caller


class AccessTokenIn(Schema):
    email: EmailText
    password: PasswordText


# Reads the `IssuedAccessToken` that `access_token_create` returns.
class AccessTokenOut(Schema):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until the token stops working.")

    @staticmethod
    def resolve_access_token(issued: IssuedAccessToken) -> str:
        return issued.raw


# A customer, company or business unit, by id and name.
class Reference(Attributes):
    id: int
    name: str


# Reads a `Me`: the caller and their active company user (None for B2C).
class MeOut(Schema):
    id: int
    name: str
    email: str
    company_user_id: int | None
    company: Reference | None
    business_unit: Reference | None

    @staticmethod
    def resolve_id(me: Me) -> int:
        return me.customer.pk

    @staticmethod
    def resolve_name(me: Me) -> str:
        return me.customer.name

    @staticmethod
    def resolve_email(me: Me) -> str:
        return me.customer.email

    @staticmethod
    def resolve_company_user_id(me: Me) -> int | None:
        return me.company_user.pk if me.company_user else None

    @staticmethod
    def resolve_company(me: Me) -> Company | None:
        return me.company_user.business_unit.company if me.company_user else None

    @staticmethod
    def resolve_business_unit(me: Me) -> BusinessUnit | None:
        return me.company_user.business_unit if me.company_user else None


class ProductOut(Attributes):
    sku: str
    name: str
    unit_price: int = Field(description="In minor units (cents).")
    currency: str


# Reads a CompanyUser (with its customer): colleagues, and the grantee of a SharedCart.
class CompanyUserOut(Schema):
    id: int = Field(description="The company user's id (what sharing endpoints take).")
    name: str
    email: str

    @staticmethod
    def resolve_name(company_user: CompanyUser) -> str:
        return company_user.customer.name

    @staticmethod
    def resolve_email(company_user: CompanyUser) -> str:
        return company_user.customer.email


# Reads a SharePermission.
class PermissionGroupOut(Schema):
    name: PermissionName
    label: str
    description: str

    @staticmethod
    def resolve_name(permission: SharePermission) -> str:
        return permission.value

    @staticmethod
    def resolve_label(permission: SharePermission) -> str:
        return str(permission.label)

    @staticmethod
    def resolve_description(permission: SharePermission) -> str:
        return str(LEVEL_DESCRIPTIONS[AccessLevel(permission.value)])


# Carts: every Cart shape reads a `CartSeen` (cartshare.carts.selectors), or for lists a
# `CartRow`: the cart, and the caller's level, active cart and totals.


# Validates a `CartLine` (a dict): the hottest request shows them by the thousand, and a
# TypedDict is several times cheaper to validate and dump than a model (module docstring).
class PreviewCartItemOut(TypedDict):
    """An item as a preview shows it: no names of the people who added it."""

    id: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    total_price: int
    note: Annotated[
        str, Field(description="The line's note (0-500 characters, plain text), or empty.")
    ]


class AddedByOut(TypedDict):
    id: int
    name: str


class CartItemOut(PreviewCartItemOut):
    added_by: Annotated[
        AddedByOut | None,
        Field(
            description="Who first added the line; null once that account is deleted (and for "
            "lines from before it was recorded)."
        ),
    ]


# Reads `CartTotals`, or an Order (which keeps its totals as columns).
class TotalsOut(Attributes):
    item_count: int
    quantity: int
    subtotal: int
    grand_total: int


def _of_cart(name: str) -> Any:  # noqa: ANN401 (what Field returns: it fits any annotation)
    """A Cart field read from the `CartSeen`'s (or `CartRow`'s) cart."""
    return Field(validation_alias=AliasPath("cart", name))


class CartSummaryOut(Attributes):
    """A cart in lists: everything but the items."""

    id: uuid.UUID = _of_cart("pk")
    name: str = _of_cart("name")
    note: str = _of_cart("note")
    owner: Reference = _of_cart("owner")
    access: AccessName = Field(validation_alias=AliasPath("level", "value"))
    status: CartStatusName = _of_cart("status")
    version: int = _of_cart("version")
    is_active: bool
    currency: str = _of_cart("currency")
    totals: TotalsOut
    created_at: datetime = _of_cart("created_at")
    updated_at: datetime = _of_cart("updated_at")


class CartOut(CartSummaryOut):
    items: list[CartItemOut]


def cart_out_json(seen: CartSeen) -> bytes:
    """`CartOut` as JSON, for up to 1,000 items (the spec's limit), without validating each item
    (a third of the cost of `GET /carts/{id}` at 1,000 items): the cart's own fields are
    validated (`CartSummaryOut`), the items are the `CartLine` dicts of our own SQL, and the
    declared shape's serializer writes both, checking every value's type as it goes (a value
    of another type raises, `warnings="error"`). The same bytes as ninja's validated path
    (`tests/api/test_cart_out_json.py`); `tests/api/test_openapi_matches_responses.py` checks
    them against the served document."""
    summary = CartSummaryOut.model_validate(seen)
    cart = CartOut.model_construct(**summary.__dict__, items=seen.items)
    return CartOut.__pydantic_serializer__.to_json(cart, warnings="error")


class PreviewOwnerOut(Attributes):
    name: str


class PreviewCartOut(Attributes):
    """What a preview-link holder sees: no note, the owner's name only."""

    id: uuid.UUID = _of_cart("pk")
    name: str = _of_cart("name")
    owner: PreviewOwnerOut = _of_cart("owner")
    access: Literal["PREVIEW"] = Field(validation_alias=AliasPath("level", "value"))
    status: CartStatusName = _of_cart("status")
    version: int = _of_cart("version")
    is_active: bool
    currency: str = _of_cart("currency")
    items: list[PreviewCartItemOut]
    totals: TotalsOut
    created_at: datetime = _of_cart("created_at")
    updated_at: datetime = _of_cart("updated_at")


class CartCreateIn(Schema):
    name: CartNameText
    note: CartNoteText = ""


class CartUpdateIn(Schema):
    name: CartNameText | None = None
    note: CartNoteText | None = None


class CartItemAddIn(Schema):
    sku: SkuText
    quantity: Quantity


class CartItemUpdateIn(Schema):
    quantity: Quantity | None = None
    note: ItemNoteText | None = Field(None, description="Plain text, one line; empty removes it.")


# Lists


class ProductPage(Schema):
    results: list[ProductOut]
    next: str | None
    has_more: HasMore


class CompanyUserPage(Schema):
    results: list[CompanyUserOut]
    next: str | None
    has_more: HasMore


class PermissionGroupPage(Schema):
    results: list[PermissionGroupOut]
    next: str | None
    has_more: HasMore


class CartPage(Schema):
    results: list[CartSummaryOut]
    next: str | None
    has_more: HasMore


# Sharing, share links, comments, activity, orders (cartshare/api/routers/; share_links is
# written but not mounted yet).

ShareOptionName = Literal["PREVIEW", "READ_ONLY", "CONTRIBUTOR", "FULL_ACCESS"]


# Reads a CartShare (with its company user and customer).
class SharedCartOut(Schema):
    id: int
    cart_id: uuid.UUID
    company_user: CompanyUserOut
    permission: PermissionName
    created_at: datetime


class SharedCartCreateIn(Schema):
    company_user_id: RowId
    permission: PermissionName


class SharedCartUpdateIn(Schema):
    permission: PermissionName


class SharedCartPage(Schema):
    results: list[SharedCartOut]
    next: str | None
    has_more: HasMore


# Reads a ShareLink; its URL is made for the request's host (`base_url_for`).
class ShareLinkOut(Schema):
    id: int
    cart_id: uuid.UUID
    share_option: ShareOptionName
    url: str | None = Field(
        description=(
            "Absolute, `{base}/share/{token}`: open it in a browser, or GET /shared/{token}. "
            "null when it can no longer be shown (the server's link key changed): the link "
            "still works for whoever has it; revoke it and ask for a new one to copy."
        )
    )
    expires_at: datetime | None = Field(description="null: never expires.")
    revoked_at: datetime | None
    created_at: datetime
    open_count: int = Field(description="How often it was opened by others than the owner.")
    last_opened_at: datetime | None

    @staticmethod
    def resolve_url(link: ShareLink, context: ResponseContext) -> str | None:
        return share_link_url(link, base_url_for(context["request"]))

    @staticmethod
    def resolve_open_count(link: ShareLink) -> int:
        stats = _stats(link)
        return stats.open_count if stats else 0

    @staticmethod
    def resolve_last_opened_at(link: ShareLink) -> datetime | None:
        stats = _stats(link)
        return stats.last_opened_at if stats else None


def _stats(link: ShareLink) -> ShareLinkStats | None:
    try:
        return link.stats
    except ObjectDoesNotExist:
        return None


def _date_time_text(value: object) -> object:
    """A date and time as the document says: ISO 8601 text (pydantic alone would also take a
    number of seconds since 1970)."""
    if value is not None and not isinstance(value, str):
        raise ValueError(_("Give a date and time like 2027-01-31T23:59:00+01:00."))
    return value


DateTimeText = Annotated[datetime, BeforeValidator(_date_time_text)]


class ShareLinkCreateIn(Schema):
    share_option: ShareOptionName = Field(
        description="PREVIEW for anyone; READ_ONLY, CONTRIBUTOR and FULL_ACCESS for my business "
        "unit's colleagues (company users only)."
    )
    expires_at: DateTimeText | None = Field(
        None,
        description="With a time zone, in the future; null: never. Only used when the link is "
        "created: an existing current link is returned unchanged.",
    )


class ShareLinkPage(Schema):
    results: list[ShareLinkOut]
    next: str | None
    has_more: HasMore


def _cart_shape(cart: object) -> str | None:
    """Which Cart shape a link shows: the full one at a level that may see the details (the
    policy's `CartAction.SEE_DETAILS`), else the preview. `cart` is a `CartSeen` when it is
    validated, the validated shape when it is serialised, or a Cart as JSON."""
    if isinstance(cart, CartSeen):
        level: object = cart.level
    elif isinstance(cart, dict):
        level = cart.get("access")
    else:
        level = getattr(cart, "access", None)
    if not isinstance(level, str) or level not in AccessLevel.values:
        return None  # neither shape: pydantic says so
    return "full" if level_allows(AccessLevel(level), CartAction.SEE_DETAILS) else "preview"


# Reads a `LinkView`.
class SharedCartViewOut(Attributes):
    """GET /shared/{token}: the preview, or the cart as it is seen after accepting the link."""

    share_option: ShareOptionName = Field(
        validation_alias=AliasPath("opening", "link", "share_option")
    )
    cart: Annotated[
        Annotated[CartOut, Tag("full")] | Annotated[PreviewCartOut, Tag("preview")],
        Discriminator(_cart_shape),
    ]


# Reads an `Accepted`: the level now, and the cart as the caller sees it.
class ShareLinkAcceptOut(Attributes):
    permission: Literal["READ_ONLY", "CONTRIBUTOR", "FULL_ACCESS", "OWNER"] = Field(
        validation_alias=AliasPath("level", "value"),
        description="My level on the cart now (a grant is raised, never lowered); OWNER when "
        "the owner accepts their own link, which only makes the cart active.",
    )
    cart: CartOut


# Access requests (spec §11)

AccessRequestStatusName = Literal["PENDING", "APPROVED", "DECLINED", "WITHDRAWN"]


# Reads an AccessRequest (with its requester and who decided).
class AccessRequestOut(Schema):
    id: int
    cart_id: uuid.UUID
    requester: Reference
    permission: PermissionName = Field(description="The level asked for.")
    granted_permission: PermissionName | None = Field(
        description="APPROVED only: the requester's level once approved (the asked one or "
        "another; a grant is raised, never lowered). null otherwise."
    )
    message: str
    status: AccessRequestStatusName
    created_at: datetime
    decided_at: datetime | None = Field(description="When it was approved, declined or withdrawn.")
    decided_by: Reference | None = Field(
        description="Who approved or declined it (the requester, for a withdrawn one)."
    )

    @staticmethod
    def resolve_granted_permission(access_request: AccessRequest) -> str | None:
        return access_request.granted_permission or None


class AccessRequestCreateIn(Schema):
    permission: PermissionName = Field(description="A level above the one I have now.")
    message: AccessRequestMessageText = ""


class AccessRequestDecideIn(Schema):
    status: Literal["APPROVED", "DECLINED"]
    permission: PermissionName | None = Field(
        None, description="APPROVED only: the level to give (default: the one asked for)."
    )


class AccessRequestPage(Schema):
    results: list[AccessRequestOut]
    next: str | None
    has_more: HasMore


# Reads a Comment (with its author).
class CommentOut(Schema):
    id: int
    author: Reference | None = Field(description="null once the author's account is deleted.")
    text: str
    created_at: datetime
    updated_at: datetime
    edited: bool


class CommentIn(Schema):
    text: CommentText


class CommentPage(Schema):
    results: list[CommentOut]
    next: str | None
    has_more: HasMore


# Reads a CartActivity (with its actor).
class ActivityOut(Schema):
    id: int
    actor: Reference | None = Field(description="null once the actor's account is deleted.")
    verb: str = Field(description="What happened, like `item_added` or `shared`.")
    details: dict[str, Any] = Field(
        description="The verb's facts, like the product and quantities."
    )
    text: str = Field(description="The entry as a sentence, like “Bob Brandt renamed the cart”.")
    created_at: datetime

    @staticmethod
    def resolve_details(entry: CartActivity) -> dict[str, Any]:
        return entry.details if isinstance(entry.details, dict) else {}

    @staticmethod
    def resolve_text(entry: CartActivity) -> str:
        return activity_present(entry).sentence


class ActivityPage(Schema):
    results: list[ActivityOut]
    next: str | None
    has_more: HasMore


# Reads an OrderLine: names and prices as they were when the order was placed.
class OrderLineOut(Attributes):
    sku: str
    name: str
    quantity: int
    unit_price: int
    total_price: int
    note: str = Field(description="The line's note when the order was placed, or empty.")


# Reads the Order, which keeps who placed it as columns.
class PlacedByOut(Schema):
    id: int | None = Field(description="null once the account is deleted; the name stays.")
    name: str

    @staticmethod
    def resolve_id(order: Order) -> int | None:
        return order.placed_by_id

    @staticmethod
    def resolve_name(order: Order) -> str:
        return order.placed_by_name


# Reads an Order (with its lines): a frozen copy of the cart when it was placed.
class OrderOut(Schema):
    id: int
    reference: str = Field(description="Like CS-2026-000042: what people quote.")
    cart_id: uuid.UUID = Field(description="The cart it was placed from (kept if it is deleted).")
    cart_name: str
    placed_by: PlacedByOut
    purchase_order_number: str = Field(description="The buyer's own reference, or empty.")
    items: list[OrderLineOut]
    totals: TotalsOut
    currency: str
    created_at: datetime

    @staticmethod
    def resolve_cart_id(order: Order) -> uuid.UUID:
        return order.cart_uuid

    @staticmethod
    def resolve_placed_by(order: Order) -> Order:
        return order

    @staticmethod
    def resolve_items(order: Order) -> list[OrderLine]:
        return list(order.lines.all())

    @staticmethod
    def resolve_totals(order: Order) -> Order:
        return order


class CheckoutIn(Schema):
    purchase_order_number: PurchaseOrderNumberText = Field(
        "", description="Optional: your own purchase-order number, printed on the order."
    )


class OrderPage(Schema):
    results: list[OrderOut]
    next: str | None
    has_more: HasMore


# Notifications (spec §12)

NotificationKindName = Literal[
    "cart.shared",
    "access.requested",
    "access.decided",
    "comment.created",
    "comment.mention",
    "cart.ordered",
    "proposal.copied",
]


class NotificationOut(Schema):
    id: int
    kind: NotificationKindName
    cart_id: uuid.UUID | None
    actor: Reference | None
    text: str
    url: str = Field(description="Absolute address of the cart's page in the shop.")
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    results: list[NotificationOut]
    next: str | None
    has_more: HasMore


class NotificationsReadIn(Schema):
    ids: list[RowId] | None = Field(None, max_length=1000)
    all: StrictBool = False


class EmailSettings(Schema):
    shared_with_me: bool
    comments: bool
    mentions: bool
    orders: bool
    access_requests: bool


class EmailSettingsPatch(BaseModel):
    """A plain pydantic model: a nested ninja Schema would read any object (a list, say) by
    its attributes and take it for an empty patch."""

    shared_with_me: StrictBool | None = None
    comments: StrictBool | None = None
    mentions: StrictBool | None = None
    orders: StrictBool | None = None
    access_requests: StrictBool | None = None


class NotificationSettingsOut(Schema):
    email: EmailSettings


class NotificationSettingsIn(Schema):
    email: EmailSettingsPatch


class InvitationIn(Schema):
    emails: list[EmailText] = Field(description="1 to 20 addresses.", max_length=100)
    share_option: ShareOptionName
    message: InvitationMessageText = ""
    proposal: StrictBool = Field(
        False, description="Send as a sales representative's proposal (preview only)."
    )


class InvitationRefusal(Schema):
    email: str
    reason: str


class InvitationOut(Schema):
    sent: list[str]
    refused: list[InvitationRefusal]


class PasswordResetIn(Schema):
    email: EmailText


# Presence (API.md "Live events"): reads `cartshare.live.presence.Viewer`s.
class ViewerOut(Attributes):
    id: int
    name: str
    since: datetime = Field(description="When they opened the cart (their first open view).")


@dataclass(frozen=True)
class Presence:
    viewers: list[Any]


class PresenceOut(Attributes):
    viewers: list[ViewerOut]
