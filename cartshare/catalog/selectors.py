"""Reading the catalog."""

from django.db.models import Q, QuerySet

from cartshare.catalog.models import Product


def products_search(query: str = "") -> QuerySet[Product]:
    """Active products whose SKU, name or description contains every word of `query`."""
    products = Product.objects.filter(is_active=True)
    for word in query.split()[:10]:
        products = products.filter(
            Q(sku__icontains=word) | Q(name__icontains=word) | Q(description__icontains=word)
        )
    return products.order_by("name", "sku")
