from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cartshare.catalog"
    label = "catalog"
