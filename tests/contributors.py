"""What the contributor tests (pages and API) read of alice's "Trade fair", where greta, a
contributor, added the lamp line and alice the stapler and paper lines."""

from cartshare.carts.models import CartItem


def quantities(world) -> dict[str, int]:
    return dict(world.trade_fair.items.values_list("product__sku", "quantity"))


def own_line(world) -> CartItem:
    """The line greta added."""
    return world.item(world.trade_fair, world.lamp)


def alices_line(world) -> CartItem:
    return world.item(world.trade_fair, world.stapler)
