"""Storefront routes. Views only translate HTTP; rules live in services and policies."""

from django.urls import path

from cartshare.storefront.views import accounts, carts, catalog

app_name = "storefront"

urlpatterns = [
    path("", catalog.product_list, name="product_list"),
    path("products/<str:sku>/", catalog.product_detail, name="product_detail"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("register/", accounts.register, name="register"),
    path("account/password/", accounts.password_change, name="password_change"),
    path("cart/add/", carts.cart_add, name="cart_add"),
    path("carts/", carts.cart_list, name="cart_list"),
    path("carts/new/", carts.cart_create, name="cart_create"),
    path("carts/<uuid:cart_id>/", carts.cart_detail, name="cart_detail"),
    path("carts/<uuid:cart_id>/edit/", carts.cart_update, name="cart_update"),
    path("carts/<uuid:cart_id>/duplicate/", carts.cart_duplicate, name="cart_duplicate"),
    path("carts/<uuid:cart_id>/delete/", carts.cart_delete, name="cart_delete"),
    path("carts/<uuid:cart_id>/activate/", carts.cart_activate, name="cart_activate"),
    path("carts/<uuid:cart_id>/clear/", carts.cart_clear, name="cart_clear"),
    path(
        "carts/<uuid:cart_id>/items/<int:item_id>/",
        carts.cart_item_update,
        name="cart_item_update",
    ),
    path(
        "carts/<uuid:cart_id>/items/<int:item_id>/remove/",
        carts.cart_item_remove,
        name="cart_item_remove",
    ),
]

# Sharing with colleagues (issue 3).
from cartshare.storefront.views.sharing import cart_dismiss, cart_share  # noqa: E402

urlpatterns += [
    path("carts/<uuid:cart_id>/share/", cart_share, name="cart_share"),
    path("carts/<uuid:cart_id>/dismiss/", cart_dismiss, name="cart_dismiss"),
]
