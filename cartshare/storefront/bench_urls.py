"""Routes that exist only for `make bench` (settings.CARTSHARE_BENCH_ROUTES, off by default).
config/urls.py appends them when the setting is on; normal deployments never route them."""

from django.urls import path

from cartshare.storefront.views import bench

urlpatterns = [
    path("_bench/floor", bench.floor, name="bench_floor"),
]
