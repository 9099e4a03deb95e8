"""Request and response shapes of API v1 (../shared/API.md). Shapes only: the services check
every rule; the constraints here describe the contract so clients and the docs know them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, StrictBool, StrictInt, StringConstraints

from cartshare.carts.models import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MAX_QUANTITY
from cartshare.comments.models import MAX_COMMENT_LENGTH
from cartshare.orders.models import MAX_PURCHASE_ORDER_NUMBER_LENGTH


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text must not contain NUL characters.")
    return value


# Strings without NUL characters (no database stores them) within the given length: one
# Annotated alias per field kind, so that type checkers see a `str`.
_NO_NUL = AfterValidator(_no_nul)
EmailText = Annotated[str, StringConstraints(min_length=1, max_length=254), _NO_NUL]
PasswordText = Annotated[str, StringConstraints(min_length=1, max_length=4096), _NO_NUL]
CartNameText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH), _NO_NUL]
CartNoteText = Annotated[str, StringConstraints(max_length=MAX_NOTE_LENGTH), _NO_NUL]
SkuText = Annotated[str, StringConstraints(min_length=1, max_length=64), _NO_NUL]
CommentText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_COMMENT_LENGTH), _NO_NUL
]
PurchaseOrderNumberText = Annotated[
    str, StringConstraints(max_length=MAX_PURCHASE_ORDER_NUMBER_LENGTH), _NO_NUL
]
SearchText = Annotated[str, StringConstraints(max_length=200), _NO_NUL]
InvitationMessageText = Annotated[str, StringConstraints(max_length=500), _NO_NUL]


Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
AccessName = Literal["OWNER", "FULL_ACCESS", "READ_ONLY", "PREVIEW"]
PermissionName = Literal["READ_ONLY", "FULL_ACCESS"]
CartStatusName = Literal["OPEN", "ORDERED"]


class Problem(Schema):
    """application/problem+json, for every error."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Field → messages, for validation failures."
    )
    request_id: str = Field(description="Quote it when reporting a problem.")


# Access tokens and the caller


class AccessTokenIn(Schema):
    email: EmailText
    password: PasswordText


class AccessTokenOut(Schema):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until the token stops working.")


class Reference(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    name: str
    email: str
    company_user_id: int | None
    company: Reference | None
    business_unit: Reference | None


class ProductOut(Schema):
    sku: str
    name: str
    unit_price: int = Field(description="In minor units (cents).")
    currency: str


class CompanyUserOut(Schema):
    id: int = Field(description="The company user's id (what sharing endpoints take).")
    name: str
    email: str


class PermissionGroupOut(Schema):
    name: PermissionName
    label: str
    description: str


# Carts


class CartItemOut(Schema):
    id: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    total_price: int


class TotalsOut(Schema):
    item_count: int
    quantity: int
    subtotal: int
    grand_total: int


class CartSummaryOut(Schema):
    """A cart in lists: everything but the items."""

    id: uuid.UUID
    name: str
    note: str
    owner: Reference
    access: AccessName
    status: CartStatusName
    version: int
    is_active: bool
    currency: str
    totals: TotalsOut
    created_at: datetime
    updated_at: datetime


class CartOut(CartSummaryOut):
    items: list[CartItemOut]


class PreviewOwnerOut(Schema):
    name: str


class PreviewCartOut(Schema):
    """What a preview-link holder sees: no note, the owner's name only."""

    id: uuid.UUID
    name: str
    owner: PreviewOwnerOut
    access: Literal["PREVIEW"]
    status: CartStatusName
    version: int
    is_active: bool
    currency: str
    items: list[CartItemOut]
    totals: TotalsOut
    created_at: datetime
    updated_at: datetime


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
    quantity: Quantity


# Lists


class ProductPage(Schema):
    results: list[ProductOut]
    next: str | None


class CompanyUserPage(Schema):
    results: list[CompanyUserOut]
    next: str | None


class PermissionGroupPage(Schema):
    results: list[PermissionGroupOut]
    next: str | None


class CartPage(Schema):
    results: list[CartSummaryOut]
    next: str | None


# Sharing, share links, comments, activity, orders (cartshare/api/routers/; share_links is
# written but not mounted yet).

ShareOptionName = Literal["PREVIEW", "READ_ONLY", "FULL_ACCESS"]


class PersonOut(Schema):
    id: int
    name: str
    email: str


class SharedCartOut(Schema):
    id: int
    cart_id: uuid.UUID
    company_user: PersonOut
    permission: PermissionName
    created_at: datetime


class SharedCartCreateIn(Schema):
    company_user_id: Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]
    permission: PermissionName


class SharedCartUpdateIn(Schema):
    permission: PermissionName


class SharedCartPage(Schema):
    results: list[SharedCartOut]
    next: str | None


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


class ShareLinkCreateIn(Schema):
    share_option: ShareOptionName = Field(
        description="PREVIEW for anyone; READ_ONLY and FULL_ACCESS for my business unit's "
        "colleagues (company users only)."
    )
    expires_at: datetime | None = Field(
        None,
        description="With a time zone, in the future; null: never. Only used when the link is "
        "created: an existing current link is returned unchanged.",
    )


class ShareLinkPage(Schema):
    results: list[ShareLinkOut]
    next: str | None


class SharedCartViewOut(Schema):
    """GET /shared/{token}: the preview, or the cart as it is seen after accepting the link."""

    share_option: ShareOptionName
    cart: CartOut | PreviewCartOut


class ShareLinkAcceptOut(Schema):
    permission: Literal["READ_ONLY", "FULL_ACCESS", "OWNER"] = Field(
        description="My level on the cart now (a grant is raised, never lowered); OWNER when "
        "the owner accepts their own link, which only makes the cart active."
    )
    cart: CartOut


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


class ActivityOut(Schema):
    id: int
    actor: Reference | None = Field(description="null once the actor's account is deleted.")
    verb: str = Field(description="What happened, like `item_added` or `shared`.")
    details: dict = Field(description="The verb's facts, like the product and quantities.")
    text: str = Field(description="The entry as a sentence, like “Bob Brandt renamed the cart”.")
    created_at: datetime


class ActivityPage(Schema):
    results: list[ActivityOut]
    next: str | None


class OrderLineOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_price: int
    total_price: int


class PlacedByOut(Schema):
    id: int | None = Field(description="null once the account is deleted; the name stays.")
    name: str


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


class CheckoutIn(Schema):
    purchase_order_number: PurchaseOrderNumberText = Field(
        "", description="Optional: your own purchase-order number, printed on the order."
    )


class OrderPage(Schema):
    results: list[OrderOut]
    next: str | None


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


class NotificationsReadIn(Schema):
    ids: list[StrictInt] | None = Field(None, max_length=1000)
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
