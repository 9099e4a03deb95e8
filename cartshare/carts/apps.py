from django.apps import AppConfig


class CartsConfig(AppConfig):
    name = "cartshare.carts"
    label = "carts"
