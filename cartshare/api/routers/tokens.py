"""Access tokens: log in for a bearer token, log out by revoking it."""

from django.http import HttpRequest
from ninja import Router, Status

from cartshare.accounts.recovery import password_reset_request
from cartshare.accounts.tokens import (
    IssuedAccessToken,
    access_token_create,
    access_token_revoke,
    access_tokens_revoke_all,
)
from cartshare.api.auth import caller, current_access_token
from cartshare.api.schemas import AccessTokenIn, AccessTokenOut, PasswordResetIn, Problem
from cartshare.common.ratelimit import client_address

router = Router(tags=["access tokens"])


@router.post(
    "/access-tokens",
    auth=None,
    response={201: AccessTokenOut, 401: Problem, 429: Problem},
    summary="Get an access token for e-mail and password",
)
def create_access_token(request: HttpRequest, payload: AccessTokenIn) -> Status[IssuedAccessToken]:
    """Failed attempts are rate-limited per client address and per account
    (`CARTSHARE_LOGIN_RATE_LIMIT`, the same rule as the log-in page and the admin); past the
    limit every attempt, the right password too, gets 429 with `Retry-After`."""
    issued = access_token_create(
        email=payload.email, password=payload.password, client=client_address(request)
    )
    return Status(201, issued)


@router.delete("/access-tokens/current", response={204: None}, summary="Revoke this token")
def revoke_current_access_token(request: HttpRequest) -> Status[None]:
    access_token_revoke(token=current_access_token(request))
    return Status(204, None)


@router.delete("/access-tokens", response={204: None}, summary="Revoke every token of my account")
def revoke_all_access_tokens(request: HttpRequest) -> Status[None]:
    """Every access token of the caller's account stops working, this one included ("log out
    everywhere" for API clients). Web sessions are not touched."""
    access_tokens_revoke_all(customer=caller(request))
    return Status(204, None)


@router.post(
    "/password-resets",
    auth=None,
    response={202: None, 429: Problem},
    summary="Mail a one-time link to choose a new password",
)
def create_password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status:
    """202 whether or not the address has an account (the answer tells nothing); the mail, if
    any, leaves in the background. Rate-limited per client and per address (429)."""
    password_reset_request(email=payload.email, client=client_address(request))
    return Status(202, None)
