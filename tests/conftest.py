"""Shared pytest set-up: the `world` fixture (tests/world.py: the people of the demo data, their
carts and products, built afresh for each test) and a cache no test shares with another. Other
data comes from the factories in tests/factories/.

Markers (declared in pyproject.toml):
- `@pytest.mark.postgres`: the test needs PostgreSQL; it is skipped when the default database is
  anything else (SQLite by default), so `make test` stays green on SQLite and CI runs it on the
  PostgreSQL pass.
- `@pytest.mark.browser`: see tests/browser/conftest.py.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation

from config.catalogs import compile_catalogs
from tests.world import World, world_build

# Cache-backend fixtures (database table, Redis) and the SMTP sink: not data builders.
pytest_plugins = ["tests.cache_backends", "tests.mail_sink"]

# WhiteNoise warns (an error under pytest) when STATIC_ROOT does not exist yet.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# The .mo files are not committed (config/catalogs.py): those missing or older than their .po
# are compiled before any test translates a string.
compile_catalogs()


def default_database_is_postgresql() -> bool:
    # `vendor` is a class attribute of the backend: reading it opens no connection.
    return connections["default"].vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    if default_database_is_postgresql():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language():
    """A request's language stays active in its thread after the answer (LocaleMiddleware
    activates, nothing deactivates): each test starts, and ends, in LANGUAGE_CODE."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and idempotency keys live in the cache: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    """alice, bob, frank, greta, carol, dave, erin and admin, with their carts (tests/world.py)."""
    return world_build()
