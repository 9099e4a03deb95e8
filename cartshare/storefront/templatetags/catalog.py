"""Product placeholders drawn in inline SVG (no external images): the category gives the colour
and the icon, the product's name its initials, its SKU the pattern."""

from __future__ import annotations

import re
import zlib

from django import template
from django.utils.safestring import mark_safe

from cartshare.catalog.models import Category, Product

register = template.Library()

# Hue per demo category; any other category gets a stable hue from its slug.
CATEGORY_HUES = {
    "office": 212,
    "paper": 44,
    "writing": 285,
    "furniture": 22,
    "tech": 248,
    "break-room": 352,
    "cleaning": 140,
    "packaging": 180,
}

# Line icons on a 48 x 48 grid, stroked in white. Constants, never user input.
ICONS = {
    "office": '<rect x="6" y="14" width="36" height="26" rx="4"/>'
    '<path d="M18 14v-4h12v4M6 25h36"/>',
    "paper": '<path d="M12 6h18l8 8v28H12z"/><path d="M30 6v8h8M17 22h16M17 28h16M17 34h10"/>',
    "writing": '<path d="M10 38l4-10 20-20 6 6-20 20z"/><path d="M14 28l6 6M29 13l6 6"/>',
    "furniture": '<rect x="14" y="6" width="20" height="18" rx="3"/>'
    '<rect x="10" y="24" width="28" height="6" rx="2"/><path d="M14 30v12M34 30v12"/>',
    "tech": '<rect x="6" y="8" width="36" height="24" rx="3"/><path d="M18 40h12M24 32v8"/>',
    "break-room": '<path d="M10 16h24v14a8 8 0 0 1-8 8h-8a8 8 0 0 1-8-8z"/>'
    '<path d="M34 20h3a5 5 0 0 1 0 10h-3M18 5v6M26 5v6"/>',
    "cleaning": '<path d="M24 6S12 20 12 28a12 12 0 0 0 24 0C36 20 24 6 24 6z"/>'
    '<path d="M19 30a5 5 0 0 0 5 5"/>',
    "packaging": '<path d="M6 16l18-9 18 9v20l-18 9-18-9z"/><path d="M6 16l18 9 18-9M24 25v20"/>',
}
DEFAULT_ICON = '<path d="M10 16h28l-2 26H12z"/><path d="M18 16v-4a6 6 0 0 1 12 0v4"/>'


def category_hue(category: Category | None) -> tuple[int, int]:
    """(hue, saturation %) for a category; uncategorised products are slate grey."""
    if category is None:
        return 215, 14
    hue = CATEGORY_HUES.get(category.slug)
    if hue is None:
        hue = zlib.crc32(category.slug.encode()) % 360
    return hue, 55


def initials(name: str) -> str:
    words = re.findall(r"[^\W_]+", name)
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].capitalize()
    return (words[0][0] + words[1][0]).upper()


@register.inclusion_tag("storefront/catalog/product_art.html")
def product_art(product: Product, size: str = "card") -> dict[str, object]:
    category = product.category
    hue, saturation = category_hue(category)
    seed = zlib.crc32(product.sku.encode())
    icon_key = category.slug if category is not None else ""
    return {
        "product": product,
        "size": size,
        "hue": hue,
        "hue_end": (hue + 28) % 360,
        "saturation": saturation,
        "initials": initials(product.name),
        "icon": mark_safe(ICONS.get(icon_key, DEFAULT_ICON)),  # constants above, never input
        "circle_x": 40 + seed % 320,
        "circle_y": 30 + (seed >> 9) % 240,
        "circle_r": 70 + (seed >> 17) % 90,
        "gradient_id": f"art-{size}-{seed:x}",
    }
