from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "cartshare.storefront"
    label = "storefront"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cartshare.storefront.signals import remember_active_cart

        user_logged_in.connect(remember_active_cart, dispatch_uid="storefront-active-cart")
