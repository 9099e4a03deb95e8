"""Forgotten passwords (spec §12): a reset mail with a one-time link that expires
(PASSWORD_RESET_TIMEOUT, 3 days), the same answer whether or not the address has an account,
and, after the new password is set, no other session or API token of the account still works.
Also the mail to an account's owner when someone tries to register their address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils.translation import ngettext

from cartshare.accounts.models import Customer
from cartshare.accounts.services import credentials_changed
from cartshare.common.errors import RateLimited
from cartshare.common.ratelimit import rate_limit_hit
from cartshare.notifications.outbox import mail_queue

PASSWORD_RESET_MAIL = "password.reset"
ACCOUNT_EXISTS_MAIL = "account.exists"


def _too_many(seconds: int) -> str:
    return ngettext(
        "Too many password reset requests. Wait %(seconds)s second, then try again.",
        "Too many password reset requests. Wait %(seconds)s seconds, then try again.",
        seconds,
    ) % {"seconds": seconds}


def _ensure_not_too_often(*, email: str, client: str) -> None:
    """Counted per client address and per e-mail address, whether or not it has an account
    (so the limit tells nothing either)."""
    rate = settings.CARTSHARE_PASSWORD_RESET_RATE_LIMIT
    address_key = hashlib.sha256(email.encode()).hexdigest()  # short, and no address in the cache
    for scope, key in (("reset-client", client), ("reset-address", address_key)):
        decision = rate_limit_hit(scope=scope, key=key, rate=rate)
        if not decision.allowed:
            raise RateLimited(_too_many(decision.retry_after), retry_after=decision.retry_after)


def _account_for(email: str) -> Customer | None:
    customer = Customer.objects.filter(email__iexact=email.strip(), is_active=True).first()
    return customer if customer is not None and customer.has_usable_password() else None


@transaction.atomic
def password_reset_request(*, email: str, client: str) -> None:
    """Queue the reset mail if the address has an account; nothing otherwise. The token is made
    when the mail is sent (cartshare/notifications/account_mails.py), never stored."""
    address = email.strip().lower()[:254]
    _ensure_not_too_often(email=address, client=client)
    customer = _account_for(address)
    if customer is None:
        return
    mail_queue(
        kind=PASSWORD_RESET_MAIL,
        to_address=customer.email,
        subject="Reset your Cartshare password",
        recipient=customer,
        context={"customer_id": customer.pk},
    )


@transaction.atomic
def registration_attempted_for_existing(*, email: str, client: str) -> None:
    """Someone tried to register an address that has an account: its owner gets a mail with a
    log-in and a reset link (rate-limited like the reset itself)."""
    address = email.strip().lower()[:254]
    try:
        _ensure_not_too_often(email=address, client=client)
    except RateLimited:
        return  # the page answers as always; only the mail is not sent again
    customer = _account_for(address)
    if customer is None:
        return
    mail_queue(
        kind=ACCOUNT_EXISTS_MAIL,
        to_address=customer.email,
        subject="You already have a Cartshare account",
        recipient=customer,
        context={"customer_id": customer.pk},
    )


def password_reset_done(customer: Customer) -> None:
    """The new password is set: every other session and every API token stops working."""
    credentials_changed(customer, keep_session_key=None)
