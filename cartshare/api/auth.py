"""Bearer-token authentication for the API: `Authorization: Bearer <access_token>`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from cartshare.accounts.models import Customer
from cartshare.accounts.tokens import access_token_authenticate

_UNSET = object()


class BearerAuth(HttpBearer):
    """Resolves the token once per request (the idempotency layer asks before ninja does)."""

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
