from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "cartshare.orders"
    label = "orders"
