"""Storefront routes. Views only translate HTTP; rules live in services and policies."""

from django.urls import path

from cartshare.storefront.views import accounts, carts, catalog
from cartshare.storefront.views import links as share_links

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
    # Share links (spec §5). Only GETs at addresses that hold a token; the forms post to the
    # link's own page, whose address holds its id (views/links.py says why).
    path("share/join/<int:link_id>", share_links.share_link_join, name="share_link_join"),
    path("share/join/<int:link_id>/copy", share_links.share_link_copy, name="share_link_copy"),
    path("share/<str:token>", share_links.share_link_open, name="share_link_open"),
    path(
        "share/<str:token>/accept",
        share_links.share_link_continue,
        name="share_link_continue_accept",
    ),
    path("share/<str:token>/copy", share_links.share_link_continue, name="share_link_continue"),
    path("carts/<uuid:cart_id>/links/", share_links.cart_links, name="cart_links"),
    path("links/<int:link_id>/revoke/", share_links.share_link_revoke, name="share_link_revoke"),
    path("links/<int:link_id>/renew/", share_links.share_link_renew, name="share_link_renew"),
    path("links/<int:link_id>/expiry/", share_links.share_link_expiry, name="share_link_expiry"),
]

# Sharing with colleagues (issue 3).
from cartshare.storefront.views.sharing import cart_dismiss, cart_share  # noqa: E402

urlpatterns += [
    path("carts/<uuid:cart_id>/share/", cart_share, name="cart_share"),
    path("carts/<uuid:cart_id>/dismiss/", cart_dismiss, name="cart_dismiss"),
]

# Discussion and ordering (issue 5): comments, activity log, checkout, orders.
from cartshare.storefront.views import discuss, orders  # noqa: E402

urlpatterns += [
    path("carts/<uuid:cart_id>/discussion/", discuss.cart_discussion, name="cart_discussion"),
    path("carts/<uuid:cart_id>/comments/", discuss.comment_create, name="comment_create"),
    path(
        "carts/<uuid:cart_id>/comments/<int:comment_id>/edit/",
        discuss.comment_update,
        name="comment_update",
    ),
    path(
        "carts/<uuid:cart_id>/comments/<int:comment_id>/delete/",
        discuss.comment_delete,
        name="comment_delete",
    ),
    path("carts/<uuid:cart_id>/checkout/", orders.cart_checkout, name="cart_checkout"),
    path(
        "carts/<uuid:cart_id>/checkout/confirm/",
        orders.cart_checkout_confirm,
        name="cart_checkout_confirm",
    ),
    path(
        "carts/<uuid:cart_id>/checkout/place/",
        orders.cart_checkout_place,
        name="cart_checkout_place",
    ),
    path("orders/", orders.order_list, name="order_list"),
    path("orders/<str:reference>/", orders.order_detail, name="order_detail"),
]
