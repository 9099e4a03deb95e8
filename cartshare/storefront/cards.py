"""A preview link's card as a PNG (1200 x 630, what chats and social networks show beside a
link; most of them show no SVG): the cart's name in at most two lines, its item count and total.
Drawn with Pillow in the shop's colours; the name is measured in the font it is drawn with, so it
is cut to fit, never overflows."""

from __future__ import annotations

import io
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageDraw, ImageFont

from cartshare.common.text import renderable_text

WIDTH, HEIGHT = 1200, 630
LEFT = 110
TEXT_WIDTH = 990  # from LEFT to the card's right edge, less a margin
NAME_LINES = 2
ELLIPSIS = "…"
UNTITLED = gettext_lazy("Untitled cart")
BACKGROUND, CARD, LINE, BRAND = "#f5f7fa", "#ffffff", "#d8dee6", "#0b5cad"
INK, MUTED = "#1c2430", "#55606e"
# Fonts looked up by Pillow in the system's font folders; its own font where there are none.
BOLD_FONTS = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")
REGULAR_FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=8)
def card_font(size: int, *, bold: bool) -> Font:
    for name in BOLD_FONTS if bold else REGULAR_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _fit(text: str, font: Font, width: int) -> str:
    """`text`, or as much of it as fits `width` followed by "…"."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text.rstrip() + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def name_lines(name: str, font: Font | None = None, width: int = TEXT_WIDTH) -> list[str]:
    """The cart's name as the card draws it: words filled into at most two lines of `width`,
    a word longer than a line broken, the rest cut with "…"; characters no font draws (control
    characters, lone surrogates) become spaces."""
    font = font or card_font(64, bold=True)
    words = renderable_text(name).split()
    if not words:
        return [str(UNTITLED)]
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while font.getlength(current) > width:  # a word longer than a line: break it
            cut = len(_fit(current, font, width)) - 1
            lines.append(current[: max(cut, 1)])
            current = current[max(cut, 1) :]
    lines.append(current)
    if len(lines) > NAME_LINES:
        lines = [
            *lines[: NAME_LINES - 1],
            _fit(lines[NAME_LINES - 1] + " " + ELLIPSIS, font, width),
        ]
        if not lines[-1].endswith(ELLIPSIS):
            lines[-1] = _fit(lines[-1] + ELLIPSIS, font, width)
    return lines


def card_png(*, name: str, summary: str, ordered: bool) -> bytes:
    """The card: "SHARED CART" (and "ORDERED"), the name, the summary ("5 items · total
    €1,234.00") and the shop's name. Nothing else: no owner, no note, no items."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 40, WIDTH - 40, HEIGHT - 40), radius=24, fill=CARD, outline=LINE)
    draw.rectangle((40, 64, 55, HEIGHT - 64), fill=BRAND)
    eyebrow = _("SHARED CART · ORDERED") if ordered else _("SHARED CART")
    draw.text((LEFT, 106), eyebrow, font=card_font(32, bold=True), fill=MUTED)
    name_font = card_font(64, bold=True)
    for number, line in enumerate(name_lines(name, name_font)):
        draw.text((LEFT, 180 + number * 85), line, font=name_font, fill=INK)
    summary_font = card_font(44, bold=False)
    draw.text((LEFT, 420), _fit(summary, summary_font, TEXT_WIDTH), font=summary_font, fill=INK)
    brand_font = card_font(38, bold=True)
    draw.text((LEFT, 505), "Cart", font=brand_font, fill=INK)
    draw.text((LEFT + brand_font.getlength("Cart"), 505), "share", font=brand_font, fill=BRAND)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
