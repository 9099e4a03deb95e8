"""Back office view of the activity log: read-only, because an audit log is never edited."""

from django.contrib import admin
from django.http import HttpRequest

from cartshare.activity.models import CartActivity


@admin.register(CartActivity)
class CartActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "cart", "actor", "verb"]
    list_filter = ["verb"]
    search_fields = ["cart__name", "actor__email"]
    list_select_related = ["cart", "actor"]
    readonly_fields = ["cart", "actor", "verb", "details", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CartActivity | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CartActivity | None = None) -> bool:
        return False
