"""Back office for categories and products."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from cartshare.catalog.models import Category, Product

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ProductCount(TypedDict):
    product_count: int


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "product_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=gettext_lazy("Products"), ordering="product_count")
    def product_count(self, category: WithAnnotations[Category, ProductCount]) -> int:
        return category.product_count


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "category", "price", "is_active")
    list_display_links = ("sku", "name")
    list_editable = ("is_active",)
    list_filter = ("category", "is_active")
    list_select_related = ("category",)
    search_fields = ("sku", "name")
    ordering = ("sku",)
    list_per_page = 50
    fields = ("sku", "name", "category", "description", "unit_price", "currency", "is_active")

    @admin.display(description=gettext_lazy("Price"), ordering="unit_price")
    def price(self, product: Product) -> str:
        major, minor = divmod(product.unit_price, 100)
        return f"{major:,}.{minor:02d} {product.currency}"
