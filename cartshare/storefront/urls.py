"""Storefront routes. Views only translate HTTP; rules live in services and the policy."""

from django.urls import path

from cartshare.storefront.views import (
    access_requests,
    accounts,
    carts,
    catalog,
    discuss,
    links,
    notifications,
    orders,
    recovery,
    sharing,
)

app_name = "storefront"

urlpatterns = [
    # Catalog and accounts
    path("", catalog.product_list, name="product_list"),
    path("products/<str:sku>/", catalog.product_detail, name="product_detail"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("register/", accounts.register, name="register"),
    path("account/password/", accounts.password_change, name="password_change"),
    path("account/logout-everywhere/", accounts.logout_everywhere, name="logout_everywhere"),
    path("password-reset/", recovery.password_reset_request_view, name="password_reset"),
    path("password-reset/sent/", recovery.password_reset_sent_view, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        recovery.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        recovery.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Carts (spec §2)
    path("cart/add/", carts.cart_add, name="cart_add"),
    path("cart/fill/", carts.active_cart_choose, name="active_cart_choose"),
    path("carts/", carts.cart_list, name="cart_list"),
    path("carts/new/", carts.cart_create_view, name="cart_create"),
    path("carts/<uuid:cart_id>/", carts.cart_detail, name="cart_detail"),
    path("carts/<uuid:cart_id>/edit/", carts.cart_update_view, name="cart_update"),
    path("carts/<uuid:cart_id>/duplicate/", carts.cart_duplicate_view, name="cart_duplicate"),
    path("carts/<uuid:cart_id>/delete/", carts.cart_delete_view, name="cart_delete"),
    path("carts/<uuid:cart_id>/activate/", carts.cart_activate_view, name="cart_activate"),
    path("carts/<uuid:cart_id>/clear/", carts.cart_clear_view, name="cart_clear"),
    path(
        "carts/<uuid:cart_id>/items/<int:item_id>/",
        carts.cart_item_update_view,
        name="cart_item_update",
    ),
    path(
        "carts/<uuid:cart_id>/items/<int:item_id>/remove/",
        carts.cart_item_remove_view,
        name="cart_item_remove",
    ),
    # Sharing with colleagues (spec §4)
    path("carts/<uuid:cart_id>/share/", sharing.cart_share, name="cart_share"),
    path("carts/<uuid:cart_id>/dismiss/", sharing.cart_dismiss, name="cart_dismiss"),
    # Access requests (spec §11)
    path(
        "carts/<uuid:cart_id>/access-requests/",
        access_requests.cart_access_request_view,
        name="cart_access_request",
    ),
    path(
        "carts/<uuid:cart_id>/my-access-request/",
        access_requests.my_access_request_view,
        name="my_access_request",
    ),
    path(
        "access-requests/<int:request_id>/decide/",
        access_requests.access_request_decide_view,
        name="access_request_decide",
    ),
    path(
        "access-requests/<int:request_id>/withdraw/",
        access_requests.access_request_withdraw_view,
        name="access_request_withdraw",
    ),
    # Share links (spec §5). Only GETs at addresses that hold a token; the forms post to the
    # link's own page, whose address holds its id (views/links.py says why).
    path("share/join/<int:link_id>", links.share_link_join_view, name="share_link_join"),
    path("share/join/<int:link_id>/copy", links.share_link_copy_view, name="share_link_copy"),
    path(
        "share/join/<int:link_id>/request-access",
        links.share_link_request_access_view,
        name="share_link_request_access",
    ),
    path("share/<str:token>", links.share_link_open_view, name="share_link_open"),
    path(
        "share/<str:token>/accept",
        links.share_link_continue_view,
        name="share_link_continue_accept",
    ),
    path("share/<str:token>/copy", links.share_link_continue_view, name="share_link_continue"),
    path("share/<str:token>/card.png", links.share_link_card_view, name="share_link_card"),
    path("carts/<uuid:cart_id>/links/", links.cart_links_view, name="cart_links"),
    path(
        "carts/<uuid:cart_id>/invitations/",
        links.cart_invitations_view,
        name="cart_invitations",
    ),
    path("links/<int:link_id>/revoke/", links.share_link_revoke_view, name="share_link_revoke"),
    path("links/<int:link_id>/renew/", links.share_link_renew_view, name="share_link_renew"),
    path("links/<int:link_id>/restore/", links.share_link_restore_view, name="share_link_restore"),
    path("links/<int:link_id>/expiry/", links.share_link_expiry_view, name="share_link_expiry"),
    path("links/<int:link_id>/qr.svg", links.share_link_qr_view, name="share_link_qr"),
    # Discussion and ordering (spec §6, §7)
    path("carts/<uuid:cart_id>/discussion/", discuss.cart_discussion, name="cart_discussion"),
    path("carts/<uuid:cart_id>/comments/", discuss.comment_create_view, name="comment_create"),
    path(
        "carts/<uuid:cart_id>/mentions/",
        discuss.cart_mention_suggestions,
        name="cart_mention_suggestions",
    ),
    path(
        "carts/<uuid:cart_id>/comments/<int:comment_id>/edit/",
        discuss.comment_update_view,
        name="comment_update",
    ),
    path(
        "carts/<uuid:cart_id>/comments/<int:comment_id>/delete/",
        discuss.comment_delete_view,
        name="comment_delete",
    ),
    path("carts/<uuid:cart_id>/checkout/", orders.cart_checkout_view, name="cart_checkout"),
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
    # Telling people (spec §12)
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path(
        "account/notifications/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notifications.notifications_unsubscribe,
        name="notifications_unsubscribe",
    ),
    path("orders/", orders.order_list, name="order_list"),
    path("orders/<str:reference>/", orders.order_detail, name="order_detail"),
]
