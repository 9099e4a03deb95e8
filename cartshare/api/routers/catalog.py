"""The catalog, for anyone."""

from django.http import HttpRequest
from ninja import Query, Router

from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import ProductPage, SearchText
from cartshare.catalog.models import Product
from cartshare.catalog.selectors import products_list

router = Router(tags=["catalog"])


class ProductQuery(PageParams):
    q: SearchText = ""


@router.get("/products", auth=None, response=ProductPage, summary="Search the catalog")
def list_products(request: HttpRequest, query: Query[ProductQuery]) -> Page[Product]:
    """`q` matches every word against SKU, name and description."""
    return paginate(request, products_list(query=query.q), query)
