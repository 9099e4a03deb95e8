"""Real answers checked against the served OpenAPI document (`/api/v1/openapi.json`), the way a
client generated from it reads them: every field it requires is there, with its type, and no
field is sent that it does not declare (the document's objects are made closed for the check:
`additionalProperties: false` where it says nothing)."""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs

from tests.api.client import API, ApiClient


@cache
def openapi_document() -> dict[str, Any]:
    response = ApiClient().client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


@cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for template in openapi_document()["paths"]:
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        patterns.append((re.compile(f"^{regex}$"), template))
    # literal paths before templated ones (`/access-tokens/current` before `/{id}`)
    return sorted(patterns, key=lambda pair: pair[1].count("{"))


def documented_operation(method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    """The documented path template and operation that `method path` reaches, if any."""
    bare = urlsplit(path).path
    for pattern, template in _path_patterns():
        if pattern.match(bare):
            operation = openapi_document()["paths"][template].get(method.lower())
            return (template, operation) if operation else None
    return None


def _closed(schema: Any) -> Any:
    """A copy in which every object with `properties` allows no others."""
    if isinstance(schema, list):
        return [_closed(part) for part in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: _closed(value) for key, value in schema.items()}
    if "properties" in closed and "additionalProperties" not in closed:
        closed["additionalProperties"] = False
    return closed


@cache
def _validator(reference: str) -> jsonschema_rs.Validator:
    components = _closed(copy.deepcopy(openapi_document()["components"]))
    return jsonschema_rs.validator_for({"$ref": reference, "components": components})


def schema_errors(body: object, component: str) -> list[str]:
    """How `body` breaks the document's `component` schema (empty when it does not)."""
    validator = _validator(f"#/components/schemas/{component}")
    return [
        f"{'/'.join(map(str, error.instance_path)) or '(body)'}: {error.message}"
        for error in validator.iter_errors(body)
    ]


def assert_matches_component(body: object, component: str) -> None:
    errors = schema_errors(body, component)
    assert not errors, f"the answer is not a {component}: {errors}"


def declared_response(method: str, path: str, status: int) -> dict[str, Any]:
    """What the document says `method path` answers with `status` (path as documented, like
    `/carts/{cart_id}`); fails when it says nothing about that status."""
    operation = openapi_document()["paths"][API + path][method.lower()]
    responses = operation["responses"]
    assert str(status) in responses or status in responses, (
        f"{method} {path} answered {status}, which its operation does not declare "
        f"(declared: {sorted(map(str, responses))})"
    )
    return responses.get(str(status)) or responses[status]


def assert_answer_matches_openapi(response: Any, method: str, path: str) -> None:
    """The answer's status is declared for the operation, its body is the declared schema (or
    empty for 204), with the declared content type, and the headers it declares are there."""
    declared = declared_response(method, path, response.status_code)
    if response.status_code == 204:
        assert response.content == b""
        return
    content_type = response["Content-Type"].split(";")[0]
    content = declared.get("content", {})
    assert content_type in content, f"{method} {path}: {content_type} is not declared: {content}"
    reference = content[content_type]["schema"].get("$ref")
    assert reference, f"{method} {path}: the declared schema is not a component"
    errors = schema_errors(response.json(), reference.rsplit("/", 1)[-1])
    assert not errors, f"{method} {path} {response.status_code}: {errors}"
    for header, spec in declared.get("headers", {}).items():
        if spec.get("required"):
            assert response.has_header(header), f"{method} {path}: no {header} header"
