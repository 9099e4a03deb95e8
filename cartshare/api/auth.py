"""Bearer-token authentication for the API: `Authorization: Bearer <access_token>`."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja.security import HttpBearer

from cartshare.access.policies import Actor
from cartshare.accounts.models import AccessToken, Customer
from cartshare.accounts.tokens import access_token_authenticate
from cartshare.common.errors import LoginRequired

_UNSET = object()
# Where the resolved token is kept on the request (HttpRequest declares no such attribute).
ACCESS_TOKEN_ATTRIBUTE = "_cartshare_access_token"


class BearerAuth(HttpBearer):
    """Resolves the token once per request (the idempotency layer asks before ninja does).
    `optional=True` (GET /shared/{token}): without an Authorization header the caller is
    anonymous; a header with a bad token still answers 401."""

    def __init__(self, *, optional: bool = False) -> None:
        super().__init__()
        self.optional = optional

    def __call__(self, request: HttpRequest) -> Customer | AnonymousUser | None:
        if self.optional and not request.headers.get(self.header):
            return AnonymousUser()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Customer | None:
        cached = getattr(request, ACCESS_TOKEN_ATTRIBUTE, _UNSET)
        if cached is _UNSET:
            cached = access_token_authenticate(token.strip())
            setattr(request, ACCESS_TOKEN_ATTRIBUTE, cached)
        return cached.customer if isinstance(cached, AccessToken) else None


bearer_auth = BearerAuth()


TOKEN_REQUIRED = gettext_lazy("Send an access token: Authorization: Bearer <access_token>.")


def caller(request: HttpRequest) -> Customer:
    """The customer ninja authenticated (`request.auth`), on operations that require one."""
    auth = getattr(request, "auth", None)
    if not isinstance(auth, Customer):  # `bearer_auth` answered 401 before the operation ran
        raise LoginRequired(TOKEN_REQUIRED)
    return auth


def caller_or_anonymous(request: HttpRequest) -> Actor:
    """Who calls an operation with `optional_bearer_auth`: the customer, or anonymous."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, Customer) else AnonymousUser()


def current_access_token(request: HttpRequest) -> AccessToken:
    """The token this request was authenticated with (`bearer_auth` ran before)."""
    token = getattr(request, ACCESS_TOKEN_ATTRIBUTE, None)
    if not isinstance(token, AccessToken):
        raise LoginRequired(TOKEN_REQUIRED)
    return token


optional_bearer_auth = BearerAuth(optional=True)
# Documents the optional auth: the bearer scheme (ninja adds it before this), or none at all.
OPTIONAL_AUTH_OPENAPI: dict[str, object] = {"security": [{}]}
