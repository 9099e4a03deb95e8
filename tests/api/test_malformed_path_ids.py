"""An id in an API address that cannot be an id (`/carts/not-a-uuid`, `/orders/abc`) names
nothing: 404 problem+json (API.md), never 422, for every path with an id parameter."""

from __future__ import annotations

import pytest

from cartshare.api.api import api
from tests.api.client import assert_problem, client_for
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MALFORMED = {"uuid": "not-a-uuid", "integer": "abc"}
WELL_FORMED = {"uuid": "00000000-0000-4000-8000-000000000000", "integer": "1", "string": "x"}


def _kind(parameter: dict) -> str:
    return parameter["schema"].get("format") or parameter["schema"].get("type")


def operations_with_id_parameters() -> list[tuple[str, str, str]]:
    """(method, address with one malformed id, that id's kind) for every documented operation
    with an id in its path; its other path parameters are well formed."""
    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            in_path = [p for p in operation.get("parameters", []) if p["in"] == "path"]
            for malformed in in_path:
                if _kind(malformed) not in MALFORMED:
                    continue
                address = path.removeprefix("/api/v1")
                for parameter in in_path:
                    value = (
                        MALFORMED[_kind(parameter)]
                        if parameter is malformed
                        else WELL_FORMED[_kind(parameter)]
                    )
                    address = address.replace("{" + parameter["name"] + "}", value)
                found.append((method.upper(), address, _kind(malformed)))
    return found


OPERATIONS = operations_with_id_parameters()


def test_every_path_with_a_uuid_parameter_is_checked():
    uuid_paths = {path for _, path, kind in OPERATIONS if kind == "uuid"}
    assert {"/carts/not-a-uuid", "/carts/not-a-uuid/share-links"} <= uuid_paths
    assert "/carts/not-a-uuid/items/1" in uuid_paths
    assert len(OPERATIONS) >= 20


@pytest.mark.parametrize(("method", "path", "kind"), OPERATIONS)
def test_a_malformed_id_in_the_path_answers_404_not_422(method, path, kind):
    client = client_for(CustomerFactory())
    body = {} if method in {"POST", "PATCH"} else None
    problem = assert_problem(client.request(method, path, body), 404)
    assert problem["errors"] == {}
