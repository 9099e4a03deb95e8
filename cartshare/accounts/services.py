"""Creating customers (every customer starts with one own cart, spec §2), and ending their
sessions and tokens when their credentials change."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.db.models import F

from cartshare.accounts.models import Customer
from cartshare.accounts.tokens import access_tokens_revoke_all
from cartshare.carts.services import cart_create

FIRST_CART_NAME = "My cart"


@transaction.atomic
def customer_register(*, email: str, name: str, password: str) -> Customer:
    customer = Customer.objects.create_user(email=email, password=password, name=name.strip())
    cart_create(owner=customer, name=FIRST_CART_NAME, activate=True)
    return customer


@transaction.atomic
def credentials_changed(customer: Customer, *, keep_session_key: str | None = None) -> None:
    """The customer's password changed (or they asked to be logged out everywhere): every API
    token of the account stops working, and so does every session except `keep_session_key`
    (the one that made the change, if any). Call it after the new password is saved.

    Sessions remember `Customer.get_session_auth_hash()`, which includes `session_generation`:
    raising it makes every other session's hash stale, so Django logs them out on their next
    request, whatever the session backend. The kept session is given the new hash."""
    Customer.objects.filter(pk=customer.pk).update(session_generation=F("session_generation") + 1)
    customer.refresh_from_db(fields=["session_generation", "password"])
    access_tokens_revoke_all(customer=customer)
    if keep_session_key:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=keep_session_key)
        if str(store.get(SESSION_KEY)) == str(customer.pk):
            store[HASH_SESSION_KEY] = customer.get_session_auth_hash()
            store.save()


def customer_language_set(customer: Customer, language: str) -> None:
    """The customer chose `language` (one of LANGUAGES) in the shop: mails follow it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of the shop's languages")
    Customer.objects.filter(pk=customer.pk).update(language=language)
    customer.language = language
