"""Checking an e-mail address and a password: the one service behind the log-in page, the API's
`POST /access-tokens` and the admin's log-in (docs/decisions/authentication-and-rate-limits.md).

- One normalisation: surrounding blanks dropped, and the address matched without regard to case
  (`email_normalize`, `Customer.email__iexact`), so an account stored as `Bob.Admin@Example.com`
  logs in everywhere with any capitals.
- One rate rule (`CARTSHARE_LOGIN_RATE_LIMIT`, default 10/m): failed attempts are counted per
  client address and per account (the normalised e-mail address). An attempt is counted before
  the password is checked (atomically, see cartshare.common.ratelimit) and the count is taken
  back when the password was right, so parallel guesses never get past the limit. Once either
  counter is used up, every attempt is refused, the right password too, until the window ends.
- The counts are kept whatever happens to the request: Redis has no transactions, and in the
  database they are written outside of any transaction (callers must not wrap this service in
  one; `access_token_create` checks the credentials before it opens its own).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from cartshare.accounts.models import Customer
from cartshare.common.errors import DomainError, ErrorCode, RateLimited
from cartshare.common.ratelimit import client_address, rate_limit_hit, rate_limit_refund

CLIENT_SCOPE = "login-client"
ACCOUNT_SCOPE = "login-account"
EMAIL_MAX_LENGTH = 254


class InvalidCredentials(DomainError):
    """Wrong e-mail or password, or an inactive account: the three are indistinguishable."""

    status = 401
    code = ErrorCode.INVALID_CREDENTIALS


class TooManyAttempts(RateLimited):
    """Too many failed attempts from this client or for this account; `retry_after` says how many
    seconds to wait."""


WRONG_CREDENTIALS = gettext_lazy("The e-mail address or the password is not correct.")


def too_many_attempts_message(seconds: int) -> str:
    return ngettext(
        "Too many failed log-in attempts. Wait %(seconds)s second and try again "
        "(the right password is refused too until then).",
        "Too many failed log-in attempts. Wait %(seconds)s seconds and try again "
        "(the right password is refused too until then).",
        seconds,
    ) % {"seconds": seconds}


def email_normalize(email: str) -> str:
    """The one form an e-mail address is compared in: without surrounding blanks, lower case."""
    return (email or "").strip().lower()[:EMAIL_MAX_LENGTH]


def login_rate() -> str:
    return settings.CARTSHARE_LOGIN_RATE_LIMIT


def customer_authenticate(
    request_or_client_address: HttpRequest | str, email: str, password: str
) -> Customer:
    """The active customer with this e-mail address and password. Raises TooManyAttempts while
    the client or the account is blocked (whatever the password), InvalidCredentials otherwise
    when the two do not match."""
    request: HttpRequest | None = None
    if isinstance(request_or_client_address, str):
        client = request_or_client_address
    else:
        request = request_or_client_address
        client = client_address(request)
    normalized = email_normalize(email)
    rate = login_rate()
    counted = [(CLIENT_SCOPE, client), (ACCOUNT_SCOPE, normalized)]
    decisions = [rate_limit_hit(scope=scope, key=key, rate=rate) for scope, key in counted]
    refused = [decision for decision in decisions if not decision.allowed]
    if refused:
        retry_after = max(decision.retry_after for decision in refused)
        raise TooManyAttempts(too_many_attempts_message(retry_after), retry_after=retry_after)
    stored = (
        Customer.objects.filter(email__iexact=normalized).values_list("email", flat=True).first()
    )
    # Django's backends: inactive customers are refused, and an unknown address costs the
    # same password hashing as a known one.
    customer = authenticate(request, email=stored or normalized, password=password)
    if not isinstance(customer, Customer):
        raise InvalidCredentials(WRONG_CREDENTIALS)
    for scope, key in counted:
        rate_limit_refund(scope=scope, key=key, rate=rate)
    return customer
