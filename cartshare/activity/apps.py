from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "cartshare.activity"
    label = "activity"
