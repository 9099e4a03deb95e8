"""Bearer-token authentication for the API: `Authorization: Bearer <access_token>`."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from cartshare.accounts.models import Customer
from cartshare.accounts.tokens import access_token_authenticate

_UNSET = object()


class BearerAuth(HttpBearer):
    """Resolves the token once per request (the idempotency layer asks before ninja does).
    `optional=True` (GET /shared/{token}): without an Authorization header the caller is
    anonymous; a header with a bad token still answers 401."""

    def __init__(self, *, optional: bool = False) -> None:
        super().__init__()
        self.optional = optional

    def __call__(self, request: HttpRequest):
        if self.optional and not request.headers.get(self.header):
            return AnonymousUser()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Customer | None:
        cached = getattr(request, "_cartshare_access_token", _UNSET)
        if cached is _UNSET:
            cached = access_token_authenticate(token.strip())
            request._cartshare_access_token = cached
        return cached.customer if cached is not None else None


bearer_auth = BearerAuth()


def caller(request: HttpRequest) -> Customer:
    """The authenticated customer of this request."""
    return request.auth


def current_access_token(request: HttpRequest):
    return getattr(request, "_cartshare_access_token", None)


optional_bearer_auth = BearerAuth(optional=True)
# Documents the optional auth: the bearer scheme, or none at all.
OPTIONAL_AUTH_OPENAPI = {"security": [{}]}  # ninja adds the bearer scheme before it
