"""Shared pytest set-up. Fixtures that build data live in tests/factories.py.

Markers (declared in pyproject.toml):
- `@pytest.mark.postgres`: the test needs PostgreSQL; it is skipped when the default database is
  anything else (SQLite by default), so `make test` stays green on SQLite and CI runs it on the
  PostgreSQL pass.
- `@pytest.mark.browser`: see tests/browser/conftest.py.
"""

import pytest
from django.db import connections

# Cache-backend fixtures (database table, Redis): not data builders.
pytest_plugins = ["tests.cache_backends"]


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
