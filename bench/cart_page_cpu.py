"""Wall time per request (median; and the CPU time's) and bytes of the owner's cart page at
10/100/1,000 items, through Django's test Client in one process (test settings: DEBUG off,
cached templates) on a throw-away SQLite test database (or DATABASE_URL's). PROFILE=size prints
a cProfile of that size (PROFILE_SORT, PROFILE_FILTER); SQL=1 prints the queries.

    CARTSHARE_VAR_DIR=/tmp/var-x python bench/cart_page_cpu.py [REQUESTS]   # SIZES=10,100,1000
"""

import cProfile
import os
import pstats
import statistics
import sys
import time

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from cartshare.carts.models import Cart, CartItem  # noqa: E402
from tests.factories import ProductFactory  # noqa: E402
from tests.world import world_build  # noqa: E402


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    sizes = [int(size) for size in os.environ.get("SIZES", "10,100,1000").split(",")]
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    world = world_build()
    products = ProductFactory.create_batch(max(sizes))
    client = world.logged_in_client(world.alice)
    for size in sizes:
        cart = Cart.objects.create(owner=world.alice, name=f"Bench {size} items")
        CartItem.objects.bulk_create(
            CartItem(cart=cart, product=product, quantity=1 + index % 5, added_by=world.alice)
            for index, product in enumerate(products[:size])
        )
        world.share(cart, world.frank, "FULL_ACCESS")
        url = f"/carts/{cart.pk}/"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        queries: list[str] = []

        def timed(run, sql, *args, seen=queries):
            started = time.perf_counter()
            try:
                return run(sql, *args)
            finally:
                seen.append(f"{(time.perf_counter() - started) * 1000:6.2f} ms  {sql[:200]}")

        for _ in range(3):
            queries.clear()
            with connection.execute_wrapper(timed):
                client.get(url)
        if os.environ.get("SQL"):
            print("\n".join(queries))
        for _ in range(5):
            client.get(url)
        samples, cpu = [], []
        for _ in range(requests if size < 1000 else max(10, requests // 4)):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(
            f"{size:>5} items: {statistics.median(samples):7.2f} ms median "
            f"(min {min(samples):.2f}; CPU {statistics.median(cpu):.2f}), "
            f"{len(response.content):>8,} bytes, "
            f"{len(queries)} queries"
        )
        if os.environ.get("PROFILE") == str(size):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(10):
                client.get(url)
            profile.disable()
            pstats.Stats(profile).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(os.environ.get("PROFILE_FILTER", ""), 45)


if __name__ == "__main__":
    main()
