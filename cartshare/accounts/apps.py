from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cartshare.accounts"
    label = "accounts"
    verbose_name = "Accounts and companies"
