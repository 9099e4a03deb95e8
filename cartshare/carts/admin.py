"""Back office for carts: staff see and fix carts and their items."""

from django.contrib import admin

from cartshare.carts.models import Cart, CartItem


class CartItemInline(admin.TabularInline):
    model = CartItem
    extra = 0
    raw_id_fields = ["product"]
    fields = ["product", "quantity", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "status", "currency", "version", "updated_at"]
    list_filter = ["status", "currency"]
    search_fields = ["name", "owner__email", "owner__name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["id", "version", "created_at", "updated_at"]
    inlines = [CartItemInline]
    date_hierarchy = "updated_at"
