from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "cartshare.comments"
    label = "comments"
