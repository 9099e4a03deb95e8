from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from cartshare.api.api import api
from cartshare.live.streams import cart_events, shared_cart_events
from config.language import language_choose

admin.site.site_header = _("Cartshare back office")
admin.site.site_title = "Cartshare"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    # Server-Sent Events: an async view of its own (a stream is not a ninja operation).
    path("api/v1/carts/<uuid:cart_id>/events", cart_events, name="cart_events"),
    path("api/v1/shared/<str:token>/events", shared_cart_events, name="shared_cart_events"),
    path("api/v1/", api.urls),
    # The header's language switcher (Django's set_language; URLs carry no language).
    path("language/", language_choose, name="set_language"),
    path("", include("cartshare.storefront.urls")),
]

# The benchmark's floor view (bench/README.md): routed only when `make bench` asks for it.
if settings.CARTSHARE_BENCH_ROUTES:
    from config.bench import urlpatterns as bench_urlpatterns

    urlpatterns += bench_urlpatterns

# A database that does not answer, met in a middleware, is a 503, not a 500 (config/outage.py).
handler500 = "config.outage.server_error"
