"""Cart pages and forms."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


cart_add = cart_list = cart_create = cart_detail = cart_update = cart_duplicate = _todo
cart_delete = cart_activate = cart_clear = cart_item_update = cart_item_remove = _todo
