"""Catalog pages: product list with search, category tabs and pagination; the product page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cartshare.catalog.selectors import (
    MAX_QUERY_LENGTH,
    categories_list,
    category_find,
    product_page_get,
    products_list,
)
from cartshare.common.errors import NotFound
from cartshare.storefront.errors import error_page

PRODUCTS_PER_PAGE = 24


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    categories = categories_list(query=query)
    category = category_find(categories, request.GET.get("category"))
    paginator = Paginator(products_list(query=query, category=category), PRODUCTS_PER_PAGE)
    # get_page turns "abc" into page 1 and 9999 into the last page: never an error.
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "storefront/catalog/product_list.html",
        {
            "query": query,
            "categories": categories,
            "category": category,
            "unknown_category": bool(request.GET.get("category")) and category is None,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "products": page.object_list,
        },
    )


@require_safe
def product_detail(request: HttpRequest, sku: str) -> HttpResponse:
    try:
        product_page = product_page_get(sku)
    except NotFound as error:
        return error_page(request, error)
    return render(
        request,
        "storefront/catalog/product_detail.html",
        {"product": product_page.product, "related": product_page.related},
    )
