"""Back office for carts: staff see and fix carts and their items, and see whom a cart is
shared with and its links (read here; links are revoked from the share links list)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.carts.models import Cart, CartItem
from cartshare.sharing.models import CartShare, LinkState, ShareLink


class CartItemFormSet(BaseInlineFormSet):
    """Each row's fields named for screen readers: a tabular inline labels only its columns."""

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        item = form.instance
        name = item.product.name if item.pk and item.product_id else _("the new item")
        labels = {"product": _("Product"), "quantity": _("Quantity"), "DELETE": _("Remove")}
        for field, label in labels.items():
            if field in form.fields:
                form.fields[field].widget.attrs["aria-label"] = _("%(label)s: %(item)s") % {
                    "label": label,
                    "item": name,
                }


class CartItemInline(admin.TabularInline):
    model = CartItem
    formset = CartItemFormSet
    extra = 0
    raw_id_fields = ["product"]
    fields = ["product", "quantity", "created_at"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CartItem]:
        return super().get_queryset(request).select_related("product")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CartShareInline(ReadOnlyInline):
    model = CartShare
    verbose_name = "grant"
    fields = readonly_fields = ("company_user", "permission", "created_at")


class ShareLinkInline(ReadOnlyInline):
    model = ShareLink
    verbose_name = "share link"
    fields = readonly_fields = ("link", "share_option", "state", "expires_at", "created_at")

    @admin.display(description=gettext_lazy("link"))
    def link(self, link: ShareLink) -> str:
        url = reverse("admin:sharing_sharelink_change", args=[link.pk])
        return format_html('<a href="{}">Link {}</a>', url, link.pk)

    @admin.display(description=gettext_lazy("state"))
    def state(self, link: ShareLink) -> str:
        return str(LinkState(link.state()).label)


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "status", "currency", "version", "updated_at"]
    list_filter = ["status", "currency"]
    search_fields = ["name", "owner__email", "owner__name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["id", "version", "created_at", "updated_at"]
    inlines = [CartItemInline, CartShareInline, ShareLinkInline]
    date_hierarchy = "updated_at"
