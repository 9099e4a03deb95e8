from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from cartshare.api.api import api

admin.site.site_header = "Cartshare back office"
admin.site.site_title = "Cartshare"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("cartshare.storefront.urls")),
]

# The benchmark's floor view (bench/README.md): routed only when `make bench` asks for it.
if settings.CARTSHARE_BENCH_ROUTES:
    from config.bench import urlpatterns as bench_urlpatterns

    urlpatterns += bench_urlpatterns
