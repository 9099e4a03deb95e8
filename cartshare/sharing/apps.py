from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "cartshare.sharing"
    label = "sharing"
