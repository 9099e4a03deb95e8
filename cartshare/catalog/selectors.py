"""Reading the catalog: search, category filter, one product. Only active products are shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from cartshare.catalog.models import Category, Product
from cartshare.common.errors import NotFound

MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 8


def search_terms(query: object) -> list[str]:
    """'  Black  PEN ' -> ['Black', 'PEN']: each word must match; over-long input is cut."""
    if not isinstance(query, str):
        return []
    return query.strip()[:MAX_QUERY_LENGTH].split()[:MAX_QUERY_TERMS]


def _search_filter(query: object, prefix: str = "") -> Q:
    """Every word of `query` in the name, SKU or description, ignoring case (icontains: ILIKE
    on PostgreSQL, LIKE on SQLite)."""
    condition = Q()
    for term in search_terms(query):
        condition &= (
            Q(**{f"{prefix}name__icontains": term})
            | Q(**{f"{prefix}sku__icontains": term})
            | Q(**{f"{prefix}description__icontains": term})
        )
    return condition


def products_list(*, query: str = "", category: Category | None = None) -> QuerySet[Product]:
    """Active products matching `query`, optionally in one category, in name order."""
    products = Product.objects.filter(is_active=True).select_related("category")
    if category is not None:
        products = products.filter(category=category)
    return products.filter(_search_filter(query)).order_by("name", "sku")


def categories_list(*, query: str = "") -> list[Category]:
    """Categories that have active products, each with `product_count`: how many of them match
    `query` (all of them when there is none)."""
    active = Q(products__is_active=True)
    return list(
        Category.objects.annotate(
            active_count=Count("products", filter=active),
            product_count=Count("products", filter=active & _search_filter(query, "products__")),
        )
        .filter(active_count__gt=0)
        .order_by("name")
    )


def category_find(categories: list[Category], slug: object) -> Category | None:
    if not isinstance(slug, str) or not slug:
        return None
    return next((category for category in categories if category.slug == slug), None)


def product_get(sku: str) -> Product:
    product = Product.objects.select_related("category").filter(sku=sku, is_active=True).first()
    if product is None:
        raise NotFound(
            _("There is no product with SKU “%(sku)s” in our catalog.") % {"sku": sku[:64]}
        )
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
