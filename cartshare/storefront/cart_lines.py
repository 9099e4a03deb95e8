"""The rows of the cart page's item table (storefront/carts/detail.html), written here rather
than in the template: a row is three small forms (note, quantity, remove), and the template
engine spent most of the page's time on them (issue 16; ~0.5 ms a row, 200 rows a page). Here
the words are translated once per page and a row is a few string formats.

The markup is the template's as it was: the same labels and accessible names ("Quantity of
Paper A4", "Update Paper A4"), the same msgids (so the German catalog translates them), one
form per action that works without JavaScript, and the no-lost-input markers
(docs/decisions/no-lost-input.md): a line's conflict message in its row (`role="alert"`) and
the refused input back in its field (`data-kept-input`, `aria-describedby`). Every value from
the database is escaped; only our own catalog's markup (a visually hidden span) is not."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cartshare.carts.models import MAX_ITEM_NOTE_LENGTH, MAX_QUANTITY, Cart, CartItem
from cartshare.common.money import money_format

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from cartshare.storefront.views.carts import KeptInput

# A stand-in line id for reversing the line URLs once per page (the id is the path's last number).
_SENTINEL = 987654321


def _url_maker(name: str, cart: Cart, query: str) -> tuple[str, str]:
    head, _found, tail = reverse(f"storefront:{name}", args=[cart.pk, _SENTINEL]).rpartition(
        str(_SENTINEL)
    )
    return escape(head), escape(tail + query)


def _words(text: StrOrPromise) -> str:
    return escape(str(text))


def cart_lines_html(
    *,
    cart: Cart,
    items: Iterable[CartItem],
    changeable: Collection[int],
    removable_column: bool,
    kept: KeptInput | None,
    csrf_token: str,
    page_query: str,
) -> SafeString:
    """The <tr> of each line. `changeable`: the ids of the lines the caller may change (the
    policy's `items_changeable_by`); `removable_column`: whether the table has the remove
    column; `page_query`: "?page=N" for the forms' addresses, so an edit returns to page N."""
    update_head, update_tail = _url_maker("cart_item_update", cart, page_query)
    remove_head, remove_tail = _url_maker("cart_item_remove", cart, page_query)
    hidden = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        f'<input type="hidden" name="version" value="{cart.version}">'
    )
    product_label, price_label = _words(_("Product")), _words(_("Unit price"))
    quantity_label, total_label = _words(_("Quantity")), _words(_("Line total"))
    each, add_note = _words(_("each")), _words(_("Add a note"))
    # Translated once; a line fills in its (escaped) values. The catalog's own markup stays.
    sku_text, added_text = _("SKU %(sku)s"), _("added by %(name)s")
    note_label, note_text = _("Note on %(product)s"), _("Note: %(note)s")
    save_note = _('Save note<span class="visually-hidden"> on %(product)s</span>')
    quantity_of = _("Quantity of %(product)s")
    update = _('Update<span class="visually-hidden"> %(product)s</span>')
    remove = _('Remove<span class="visually-hidden"> %(product)s</span>')
    product_url = _product_url_maker()
    kept_id = kept.item_id if kept is not None and kept.on_page else None
    rows: list[str] = []
    for item in items:
        product = item.product
        name = escape(product.name)
        named = {"product": name}
        pk = item.pk
        may_change = pk in changeable
        is_kept = kept is not None and pk == kept_id
        parts = [
            f'<tr><td data-label="{product_label}" class="product-cell"><span>'
            f'<a class="item-name" href="{escape(product_url(product.sku))}">{name}</a> '
            f'<span class="sku">{sku_text % {"sku": escape(product.sku)}}</span>'
        ]
        if item.added_by is not None:
            by = added_text % {"name": escape(item.added_by.name)}
            parts.append(f' <span class="added-by muted">{by}</span>')
        if is_kept:
            assert kept is not None
            message = escape(kept.message)
            parts.append(
                f' <span class="line-conflict" id="conflict-{pk}" role="alert">{message}</span>'
            )
        if may_change:
            if is_kept and kept is not None and kept.note is not None:
                note_value = (
                    f'value="{escape(kept.note)}" data-kept-input aria-describedby="conflict-{pk}"'
                )
            else:
                note_value = f'value="{escape(item.note)}"'
            parts.append(
                f'<form method="post" action="{update_head}{pk}{update_tail}" '
                f'class="item-note-form">{hidden}'
                f'<label for="note-{pk}" class="visually-hidden">{note_label % named}</label>'
                f'<input id="note-{pk}" type="text" name="note" {note_value} '
                f'maxlength="{MAX_ITEM_NOTE_LENGTH}" placeholder="{add_note}">'
                f'<button type="submit" class="secondary small">{save_note % named}</button>'
                "</form>"
            )
        elif item.note:
            parts.append(
                f' <span class="item-note">{note_text % {"note": escape(item.note)}}</span>'
            )
        unit_price = escape(money_format(product.unit_price, product.currency))
        parts.append(
            f'</span></td><td data-label="{price_label}" data-each="{each}" '
            f'class="num unit-price-cell">{unit_price}</td>'
            f'<td data-label="{quantity_label}" class="num quantity-cell">'
        )
        if may_change:
            if is_kept and kept is not None and kept.quantity is not None:
                quantity_value = (
                    f'value="{escape(kept.quantity)}" data-kept-input '
                    f'aria-describedby="conflict-{pk}"'
                )
            else:
                quantity_value = f'value="{item.quantity}"'
            parts.append(
                f'<form method="post" action="{update_head}{pk}{update_tail}" class="qty-form">'
                f'{hidden}<label for="qty-{pk}" class="visually-hidden">'
                f"{quantity_of % named}</label>"
                f'<input id="qty-{pk}" type="number" name="quantity" {quantity_value} min="1" '
                f'max="{MAX_QUANTITY}" required inputmode="numeric">'
                f'<button type="submit" class="secondary small">{update % named}</button></form>'
            )
        else:
            parts.append(str(item.quantity))
        line_total = escape(money_format(item.total_price, product.currency))
        parts.append(
            f'</td><td data-label="{total_label}" class="num line-total-cell">'
            f"<strong>{line_total}</strong></td>"
        )
        if removable_column:
            parts.append('<td data-label="" class="num remove-cell">')
            if may_change:
                parts.append(
                    f'<form method="post" action="{remove_head}{pk}{remove_tail}">{hidden}'
                    f'<button type="submit" class="link-button danger-link">{remove % named}'
                    "</button></form>"
                )
            parts.append("</td>")
        parts.append("</tr>\n")
        rows.append("".join(parts))
    # Safe: every value above went through escape(); the rest is our markup and our catalog's.
    return mark_safe("".join(rows))


def _product_url_maker() -> Callable[[str], str]:
    """A product page's address from its SKU: Django's `reverse` for each line (it quotes the
    SKU as its resolver matches it; a copy of those rules here would be a second one)."""
    return lambda sku: reverse("storefront:product_detail", args=[sku])
