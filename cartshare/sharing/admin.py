"""Back office for grants: who has which cart shared with them."""

from django.contrib import admin
from django.http import HttpRequest

from cartshare.sharing.models import AccessRequest, CartShare


@admin.register(CartShare)
class CartShareAdmin(admin.ModelAdmin):
    list_display = ["cart", "company_user", "permission", "created_at"]
    list_filter = ["permission"]
    search_fields = ["cart__name", "company_user__customer__email", "cart__owner__email"]
    list_select_related = ["cart", "company_user__customer", "company_user__business_unit__company"]
    raw_id_fields = ["cart", "company_user"]
    readonly_fields = ["created_at", "updated_at"]


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
