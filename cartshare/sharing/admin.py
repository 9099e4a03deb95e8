"""Back office for grants: who has which cart shared with them."""

from django.contrib import admin

from cartshare.sharing.models import CartShare


@admin.register(CartShare)
class CartShareAdmin(admin.ModelAdmin):
    list_display = ["cart", "company_user", "permission", "created_at"]
    list_filter = ["permission"]
    search_fields = ["cart__name", "company_user__customer__email", "cart__owner__email"]
    list_select_related = ["cart", "company_user__customer", "company_user__business_unit__company"]
    raw_id_fields = ["cart", "company_user"]
    readonly_fields = ["created_at", "updated_at"]
