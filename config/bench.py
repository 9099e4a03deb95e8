"""The benchmark's floor (bench/README.md): the cheapest useful request this app and server can
answer, one indexed query and a small JSON body. Routed only when CARTSHARE_BENCH_ROUTES is on
(config/urls.py appends `urlpatterns` below); `make bench` turns it on for its own server, and
normal deployments never route it."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from cartshare.catalog.models import Product

FLOOR_SKU = "BENCH-FLOOR"


@require_GET
def floor(request: HttpRequest) -> JsonResponse:
    """One query on a unique index (Product.sku), a few fields, a small JSON body."""
    product = Product.objects.filter(sku=FLOOR_SKU).values("sku", "name", "unit_price").first()
    return JsonResponse({"ok": True, "product": product})


urlpatterns = [
    path("_bench/floor", floor, name="bench_floor"),
]
