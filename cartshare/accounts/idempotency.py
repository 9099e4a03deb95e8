"""The `Idempotency-Key`s of a customer's requests (the API's POSTs, cartshare/api/conditional.py):
taken and answered inside the transaction of the request's work, so that a key exists exactly
when that work was committed."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from cartshare.accounts.models import Customer, IdempotentRequest

IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
CLEANUP_EVERY = 100  # one keyed request in ~100 also deletes everyone's expired keys


def idempotency_key_take(
    *, customer: Customer, key_hash: str, fingerprint: str
) -> tuple[IdempotentRequest, bool]:
    """The key's row, and whether this request took it (True) or an earlier request with the
    key committed (False). Called inside the request's transaction: on PostgreSQL a concurrent
    request that took the same key first makes the INSERT wait until it commits (its row is
    then found here) or rolls back (this request then takes the key); SQLite runs the two one
    after the other. A key older than 24 hours is free again."""
    now = timezone.now()
    expired = IdempotentRequest.objects.filter(
        created_at__lt=now - timedelta(seconds=IDEMPOTENCY_TTL_SECONDS)
    )
    if secrets.randbelow(CLEANUP_EVERY) == 0:
        expired.delete()  # everyone's, now and then
    else:
        expired.filter(customer=customer, key_hash=key_hash).delete()
    try:
        with transaction.atomic():
            taken = IdempotentRequest.objects.create(
                customer=customer, key_hash=key_hash, fingerprint=fingerprint, created_at=now
            )
    except IntegrityError:
        return IdempotentRequest.objects.get(customer=customer, key_hash=key_hash), False
    return taken, True


def idempotency_answer_store(*, record: IdempotentRequest, status_code: int, sealed: bytes) -> None:
    """The first answer (2xx, encrypted), in the same transaction as the work it reports."""
    IdempotentRequest.objects.filter(pk=record.pk).update(
        status_code=status_code, sealed_response=sealed
    )
