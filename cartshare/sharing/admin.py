"""Back office for sharing: grants (who has which cart), and share links, which staff can find
by cart, owner, option and state, and revoke (`share_links_revoke_in_back_office`; the policy
decides who may). Links are never added, edited or deleted here: a deleted link would answer
404 instead of "revoked" (410), and the token is shown to nobody. Access requests are shown,
read-only: their owners answer them in the shop."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext

from cartshare.access.policies import can_revoke_links_in_back_office
from cartshare.common.errors import PermissionDenied
from cartshare.sharing.link_services import share_links_revoke_in_back_office
from cartshare.sharing.models import AccessRequest, CartShare, LinkState, ShareLink


@admin.register(CartShare)
class CartShareAdmin(admin.ModelAdmin):
    list_display = ["cart", "company_user", "permission", "created_at"]
    list_filter = ["permission"]
    search_fields = ["cart__name", "company_user__customer__email", "cart__owner__email"]
    list_select_related = ["cart", "company_user__customer", "company_user__business_unit__company"]
    raw_id_fields = ["cart", "company_user"]
    readonly_fields = ["created_at", "updated_at"]


class LinkStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:  # noqa: ANN401
        return [(state.value, str(state.label)) for state in LinkState]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ShareLink]) -> QuerySet[ShareLink]:
        value = self.value()
        if value not in LinkState.values:
            return queryset
        return ShareLink.objects.in_state(LinkState(value)).filter(pk__in=queryset.values("pk"))


LINK_FIELDS = (
    "cart",
    "share_option",
    "state_shown",
    "created_by",
    "created_at",
    "expires_at",
    "revoked_at",
    "open_count",
)


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "cart_link",
        "owner",
        "share_option",
        "state_shown",
        "created_at",
        "expires_at",
        "open_count",
    ]
    list_filter = ["share_option", LinkStateFilter, "created_at"]
    search_fields = ["cart__name", "cart__owner__email", "cart__owner__name", "=cart__id"]
    list_select_related = ["cart__owner", "stats"]
    fields = readonly_fields = LINK_FIELDS
    actions = ["revoke_links"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ShareLink | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("cart"), ordering="cart__name")
    def cart_link(self, link: ShareLink) -> str:
        if link.cart is None:
            return "(deleted)"
        url = reverse("admin:carts_cart_change", args=[link.cart.pk])
        return format_html('<a href="{}">{}</a>', url, link.cart.name)

    @admin.display(description=gettext_lazy("owner"), ordering="cart__owner__email")
    def owner(self, link: ShareLink) -> str:
        return link.cart.owner.email if link.cart is not None else "-"

    @admin.display(description=gettext_lazy("state"))
    def state_shown(self, link: ShareLink) -> str:
        return str(LinkState(link.state()).label)

    @admin.display(description=gettext_lazy("opens"))
    def open_count(self, link: ShareLink) -> int:
        stats = getattr(link, "stats", None)
        return stats.open_count if stats is not None else 0

    @admin.action(
        description=gettext_lazy("Revoke the selected links (they stop working at once)"),
        permissions=["revoke_links"],
    )
    def revoke_links(self, request: HttpRequest, queryset: QuerySet[ShareLink]) -> None:
        try:
            revoked = share_links_revoke_in_back_office(links=queryset, actor=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "%(count)s link revoked; their carts' activity says you did it.",
                "%(count)s links revoked; their carts' activity says you did it.",
                revoked,
            )
            % {"count": revoked},
            messages.SUCCESS,
        )

    def has_revoke_links_permission(self, request: HttpRequest) -> bool:
        """The action's `permissions=["revoke_links"]`: offered only to staff the policy lets
        revoke (the admin's own hook, rather than an override of get_actions(), whose signature
        Django 6.1 changes)."""
        return can_revoke_links_in_back_office(request.user)


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Read-only: the owner answers requests in the shop (the services tell both sides)."""

    list_display = ["cart", "requester", "permission", "status", "created_at", "decided_by"]
    list_filter = ["status", "permission"]
    search_fields = ["cart__name", "requester__email", "cart__owner__email"]
    list_select_related = ["cart", "requester", "decided_by"]
    readonly_fields = [
        "cart",
        "requester",
        "permission",
        "message",
        "status",
        "granted_permission",
        "created_at",
        "decided_at",
        "decided_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
