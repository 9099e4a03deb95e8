"""`{% load wording %}`: `{{ level|level_in_sentence }}`, `{{ option|link_name }}`: a level or
a link as a sentence names it, in the visitor's language (cartshare/storefront/wording.py)."""

from django import template

from cartshare.storefront import wording

register = template.Library()

register.filter("level_in_sentence", wording.level_in_sentence)
register.filter("link_name", wording.link_name)
