"""Reading the catalog: search, category filter, one product. Only active products are shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cartshare.catalog.models import Category, Product
from cartshare.common.errors import NotFound

MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 8


def search_terms(query: object) -> list[str]:
    """'  Black  PEN ' -> ['Black', 'PEN']: each word must match; over-long input is cut."""
    if not isinstance(query, str):
        return []
    return query.strip()[:MAX_QUERY_LENGTH].split()[:MAX_QUERY_TERMS]


def products_list(*, query: str = "", category: Category | None = None) -> QuerySet[Product]:
    """Active products whose name, SKU or description contains every word of `query`, ignoring
    case (icontains: ILIKE on PostgreSQL, LIKE on SQLite), in name order."""
    products = Product.objects.filter(is_active=True).select_related("category")
    if category is not None:
        products = products.filter(category=category)
    for term in search_terms(query):
        products = products.filter(
            Q(name__icontains=term) | Q(sku__icontains=term) | Q(description__icontains=term)
        )
    return products.order_by("name", "sku")


def categories_list() -> list[Category]:
    """Categories that have active products, each with `product_count`."""
    return list(
        Category.objects.annotate(
            product_count=Count("products", filter=Q(products__is_active=True))
        )
        .filter(product_count__gt=0)
        .order_by("name")
    )


def category_find(categories: list[Category], slug: object) -> Category | None:
    if not isinstance(slug, str) or not slug:
        return None
    return next((category for category in categories if category.slug == slug), None)


def product_get(sku: str) -> Product:
    product = Product.objects.select_related("category").filter(sku=sku, is_active=True).first()
    if product is None:
        raise NotFound(f"There is no product with SKU “{sku[:64]}” in our catalog.")
    return product


@dataclass(frozen=True)
class ProductPage:
    product: Product
    related: list[Product]


def product_page_get(sku: str, *, related_count: int = 4) -> ProductPage:
    """The product and a few others from its category."""
    product = product_get(sku)
    related: list[Product] = []
    if product.category_id is not None:
        related = list(
            Product.objects.filter(category_id=product.category_id, is_active=True)
            .exclude(pk=product.pk)
            .select_related("category")
            .order_by("name")[:related_count]
        )
    return ProductPage(product=product, related=related)
