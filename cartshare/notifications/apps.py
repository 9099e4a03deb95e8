from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cartshare.notifications"
    label = "notifications"
    verbose_name = "Notifications and mail"
