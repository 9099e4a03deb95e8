from django.contrib import admin
from django.urls import include, path

from cartshare.api.api import api

admin.site.site_header = "Cartshare back office"
admin.site.site_title = "Cartshare"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("cartshare.storefront.urls")),
]
