"""The REST API v1 (../shared/API.md): one NinjaAPI, mounted at /api/v1/ in config/urls.py.
Docs at /api/v1/docs are served from our own static files (the `ninja` app), never a CDN."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser

from cartshare.api.auth import bearer_auth
from cartshare.api.errors import PROBLEM_CONTENT_TYPE, TITLES, install_error_handlers
from cartshare.api.openapi import BEARER, document_finish, operation_id_for
from cartshare.api.renderers import FastJSONRenderer
from cartshare.api.routers import (
    access_requests,
    activity,
    carts,
    catalog,
    comments,
    invitations,
    notifications,
    orders,
    people,
    presence,
    share_links,
    shared_carts,
    tokens,
)
from cartshare.api.schemas import Problem

# Documented on every operation, on top of what each one declares itself.
COMMON_ERRORS = (400, 422, 500, 503)
BODY_ERRORS = (413,)
AUTHENTICATED_ERRORS = (401,)
PATH_ERRORS = (404,)
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


class JsonObjectParser(Parser):
    """Bodies are JSON objects; anything else (a list, a string, null) is malformed: 400."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data


class CartshareAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The document is in English whatever the request's language (titles are lazy)."""
        with translation.override("en"):
            return self._openapi_schema(path_prefix=path_prefix, path_params=path_params)

    def _openapi_schema(
        self, *, path_prefix: str | None, path_params: dict[str, Any] | None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Problem", Problem.model_json_schema())
        prefix = path_prefix if path_prefix is not None else self.get_root_path(path_params or {})
        schema.setdefault("paths", {}).update(event_stream_paths(prefix))
        schemes = schema["components"].setdefault("securitySchemes", {})
        schemes[SESSION_COOKIE] = {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The shop's session (log-in on the pages): the live streams only.",
        }
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                if method in HTTP_METHODS:
                    _document_problems(path, method, operation)
        document_finish(schema)
        return schema

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation_id_for(operation.view_func.__name__)


# --- The live event streams ----------------------------------------------------------------
# They are async Django views (`cartshare.live.streams`, routed in config/urls.py next to the
# API), not ninja operations: ninja's operations answer one body, validated against a schema.
# They are documented here, as the text/event-stream operations they are, from one place.
EVENT_STREAM = "text/event-stream"
SESSION_COOKIE = "SessionCookie"
LAST_EVENT_ID = {
    "in": "header",
    "name": "Last-Event-ID",
    "required": False,
    "description": (
        "The id of the last event received: the stream starts with what came after it (each "
        "comment, then one cart.changed with the cart as it is now). EventSource sends it by "
        "itself when it reconnects."
    ),
    "schema": {"type": "string", "pattern": "^[0-9]+$"},
}
EVENTS_DESCRIPTION = (
    "Server-Sent Events (`EventSource`). Every event has an `id:` that grows per cart and an "
    "`event:` name; `data:` is one line of JSON. A comment line (`: ping`) comes at least "
    "every 15 s; `retry: 2000` asks for a reconnect after 2 s. See docs/api.md."
)


def _stream_answer(events: str, example: str) -> dict[str, Any]:
    return {
        "description": f"{EVENTS_DESCRIPTION} Events: {events}",
        "content": {EVENT_STREAM: {"schema": {"type": "string"}, "example": example}},
    }


def event_stream_paths(prefix: str) -> dict[str, Any]:
    """The OpenAPI paths of `GET /carts/{cart_id}/events` and `GET /shared/{token}/events`."""
    cart_id = {
        "in": "path",
        "name": "cart_id",
        "required": True,
        "schema": {"type": "string", "format": "uuid", "title": "Cart Id"},
    }
    token = {"in": "path", "name": "token", "required": True, "schema": {"type": "string"}}
    cart_events = {
        "operationId": "followCartEvents",
        "summary": "Follow a cart's changes as Server-Sent Events (whoever may view the cart)",
        "description": (
            "Bearer token, or the shop's session cookie (a page's `EventSource`). Authorised "
            "like `GET /carts/{cart_id}` on connect and again at every change and heartbeat: "
            "once the caller may see the cart no more, `access.changed` with `null` ends it."
        ),
        "tags": ["live"],
        "parameters": [cart_id, LAST_EVENT_ID],
        "security": [{BEARER: []}, {SESSION_COOKIE: []}],
        "responses": {
            200: _stream_answer(
                "`cart.changed` (data: the Cart as `GET /carts/{cart_id}` shows it to this "
                "caller), `comment.created` (data: Comment), `presence` (data: `{viewers: "
                "[{id, name, since}]}`), `access.changed` (data: `{access}`: the new level, "
                "or null, and the stream ends).",
                'retry: 2000\n\nid: 41\nevent: cart.changed\ndata: {"id": "…", "version": 8, …}'
                "\n\n: ping\n\n",
            ),
            401: {"description": "Authentication required"},
            404: {"description": "Not Found"},
            405: {"description": "Method not allowed"},
        },
    }
    shared_events = {
        "operationId": "followSharedCartEvents",
        "summary": "Follow a preview link's cart as Server-Sent Events (anyone holding the link)",
        "description": (
            "No log-in, never in presence. Only what the preview shows; an internal link has "
            "no stream of its own (404: accept it, then follow `/carts/{cart_id}/events`)."
        ),
        "tags": ["live"],
        "parameters": [token, LAST_EVENT_ID],
        "responses": {
            200: _stream_answer(
                "`cart.changed` (data: the preview's Cart: no note, no comments, no presence), "
                "`link.revoked` (data: `{}`; the link was revoked or expired, or the cart "
                "deleted: the stream ends).",
                'retry: 2000\n\nid: 41\nevent: cart.changed\ndata: {"access": "PREVIEW", …}'
                "\n\nevent: link.revoked\ndata: {}\n\n",
            ),
            404: {"description": "Not Found"},
            405: {"description": "Method not allowed"},
            410: {"description": "Gone: the link was revoked or expired, or the cart deleted"},
            429: {"description": "Too many link opens from this address"},
        },
    }
    return {
        f"{prefix}carts/{{cart_id}}/events": {"get": cart_events},
        f"{prefix}shared/{{token}}/events": {"get": shared_events},
    }


ETAG_HEADER = {
    "description": 'The cart\'s version, like "7"; send it back in If-Match to change the cart.',
    "required": True,
    "schema": {"type": "string"},
}


def _returns_a_cart(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").endswith("/CartOut")


def _document_problems(path: str, method: str, operation: dict[str, Any]) -> None:
    """Every error answers application/problem+json with the Problem object; say so."""
    statuses = set(COMMON_ERRORS)
    if "requestBody" in operation:
        statuses.update(BODY_ERRORS)
    if operation.get("security"):
        statuses.update(AUTHENTICATED_ERRORS)
    if "{" in path:
        statuses.update(PATH_ERRORS)
    responses = operation.setdefault("responses", {})
    for status in statuses:
        if status not in responses and str(status) not in responses:
            responses[status] = {"description": str(TITLES.get(status, "Error"))}
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for status, response in responses.items():
        if str(status).startswith("2") and _returns_a_cart(response):
            response.setdefault("headers", {})["ETag"] = ETAG_HEADER
        if str(status).isdigit() and int(status) >= 400:
            response["content"] = {PROBLEM_CONTENT_TYPE: problem}
            if response.get("description") in {"", "OK", None}:
                response["description"] = str(TITLES.get(int(status), "Error"))


api = CartshareAPI(
    title="Cartshare API",
    version="1",
    description=(
        "Shared carts for shop integrations. Authenticate with `POST /access-tokens`, then send "
        "`Authorization: Bearer <access_token>`. Errors are application/problem+json."
    ),
    urls_namespace="api-v1",
    parser=JsonObjectParser(),
    renderer=FastJSONRenderer(),
    auth=bearer_auth,
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

# Django tries the URL patterns in order: opening a link, the most frequent request by far,
# comes first (bench/README.md), the rest in the order of the contract.
api.add_router("", share_links.router)
api.add_router("", tokens.router)
api.add_router("", people.router)
api.add_router("", catalog.router)
api.add_router("", carts.router)
api.add_router("", shared_carts.router)
api.add_router("", comments.router)
api.add_router("", activity.router)
api.add_router("", orders.router)
api.add_router("", notifications.router)
api.add_router("", invitations.router)
api.add_router("", presence.router)
api.add_router("", access_requests.router)
