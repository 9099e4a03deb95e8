from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "cartshare.storefront"
    label = "storefront"
