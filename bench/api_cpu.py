"""CPU per request (median of `time.process_time`, and the best batch of 100) of the link-open
paths and two cart reads, through Django's test Client on a cart of 50 items (ITEMS=n), in one
process on a throw-away SQLite test database. For A/B comparisons of serialisation changes: run it
from two checkouts, alternately, several times (docs/decisions/api-response-shapes.md).

    CARTSHARE_VAR_DIR=/tmp/var-x python bench/api_cpu.py [REQUESTS]   # ONLY=name,name ITEMS=1000
"""

import json
import os
import statistics
import sys
import time

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.api.client import ApiClient, client_for  # noqa: E402
from tests.factories import CartItemFactory, ProductFactory  # noqa: E402
from tests.world import world_build  # noqa: E402

BATCH = 100


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    world = world_build()
    cart = world.trade_fair
    for _ in range(int(os.environ.get("ITEMS", "50")) - cart.items.count()):
        CartItemFactory(cart=cart, product=ProductFactory())
    preview, full = world.link(cart, "PREVIEW"), world.link(cart, "FULL_ACCESS")
    anonymous, colleague, owner = ApiClient(), client_for(world.greta), client_for(world.alice)
    page = Client()
    scenarios = {
        "api preview anon": lambda: anonymous.get(f"/shared/{preview}"),
        "api full colleague": lambda: colleague.get(f"/shared/{full}"),
        "page preview anon": lambda: page.get(f"/share/{preview}"),
        "api cart owner": lambda: owner.get(f"/carts/{cart.pk}"),
        "api carts list": lambda: owner.get("/carts"),
    }
    only = [name for name in os.environ.get("ONLY", "").split(",") if name]
    results = {}
    for name, call in scenarios.items():
        if only and name not in only:
            continue
        response = call()
        assert response.status_code == 200, (name, response.status_code)
        for _ in range(50):
            call()
        samples, batches = [], []
        for _ in range(max(1, requests // BATCH)):
            batch_start = time.process_time_ns()
            for _ in range(BATCH):
                start = time.process_time_ns()
                call()
                samples.append(time.process_time_ns() - start)
            batches.append((time.process_time_ns() - batch_start) / BATCH)
        results[name] = round(statistics.median(samples) / 1e3)
        results[f"{name} (best batch)"] = round(min(batches) / 1e3)
        print(f"{name:20} median {results[name]:6} µs, best batch {min(batches) / 1e3:6.0f} µs")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
