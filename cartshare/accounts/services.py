"""Creating customers: every customer starts with one own cart (spec §2)."""

from django.db import transaction

from cartshare.accounts.models import Customer
from cartshare.carts.services import cart_create

FIRST_CART_NAME = "My cart"


@transaction.atomic
def customer_register(*, email: str, name: str, password: str) -> Customer:
    customer = Customer.objects.create_user(email=email, password=password, name=name.strip())
    cart_create(owner=customer, name=FIRST_CART_NAME, activate=True)
    return customer


@transaction.atomic
def credentials_changed(customer: Customer, keep_session_key: str | None = None) -> None:
    """After a password change or reset: every API token of the account stops working, and
    every session but `keep_session_key` (the one that made the change) ends.

    Minimal version until branch trust-auth lands its own (same name and signature): tokens are
    revoked, sessions are found by decoding the unexpired ones."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from cartshare.accounts.models import AccessToken

    now = timezone.now()
    AccessToken.objects.filter(customer=customer, revoked_at__isnull=True).update(revoked_at=now)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.session_key != keep_session_key
        and str(session.get_decoded().get(SESSION_KEY)) == str(customer.pk)
    ]
    Session.objects.filter(session_key__in=ended).delete()
