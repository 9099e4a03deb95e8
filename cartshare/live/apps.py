from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "cartshare.live"
    label = "live"
    verbose_name = "Live events"
