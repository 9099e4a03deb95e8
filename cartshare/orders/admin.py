"""Back office: orders are records of what was bought, so staff read them but do not edit them."""

from django.contrib import admin
from django.http import HttpRequest

from cartshare.orders.models import Order, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fields = ("sku", "name", "quantity", "unit_price", "total_price")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "created_at", "cart_name", "placed_by_name", "owner_name",
                    "purchase_order_number", "grand_total", "currency"]  # fmt: skip
    list_filter = ["created_at", "currency"]
    search_fields = ["reference", "cart_name", "placed_by__email", "owner__email",
                     "purchase_order_number"]  # fmt: skip
    date_hierarchy = "created_at"
    inlines = [OrderLineInline]
    list_select_related = ["placed_by", "owner"]

    def get_readonly_fields(self, request: HttpRequest, obj: Order | None = None) -> list[str]:
        return [field.name for field in Order._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False
