"""Telling people what happened to a cart: one in-shop notification per person, and a mail when
their settings allow it. Called by the services that make the change, inside their transaction
(no signals), so what is rolled back is never told. Whom to tell is the policy's scope
`people_allowed`: nobody hears about a cart they cannot see."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cartshare.access.policies import CartAction, people_allowed
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart
from cartshare.common.errors import InvalidInput
from cartshare.common.money import money_format
from cartshare.notifications.mails import level_words, mail_subject
from cartshare.notifications.models import (
    SETTING_OF_KIND,
    EmailSetting,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from cartshare.notifications.outbox import (
    JsonValue,
    customer_language,
    mail_queue,
    mail_waiting_in_group,
)

QUOTE_LENGTH = 140


def _short(text: str, length: int = QUOTE_LENGTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def email_wanted(customer: Customer, kind: str) -> bool:
    setting = SETTING_OF_KIND[kind]
    row = NotificationSettings.objects.filter(customer=customer).values(setting.value).first()
    return bool(row[setting.value]) if row is not None else True


def _notify(
    *,
    recipient: Customer,
    kind: NotificationKind,
    cart: Cart,
    actor: Customer,
    text: Callable[[], str],
    context: Mapping[str, JsonValue],
) -> Notification:
    """`text` is called in the recipient's language: the bell shows it as it was written, and
    the mail's stored subject is theirs too (the mail itself is rendered again when it leaves)."""
    context = {"cart_id": str(cart.pk), "cart_name": cart.name, **context}
    with translation.override(customer_language(recipient)):
        words, subject = text(), mail_subject(kind, context)
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, cart=cart, actor=actor, text=words[:500]
    )
    if recipient.is_active and email_wanted(recipient, kind):
        mail_queue(
            kind=kind,
            to_address=recipient.email,
            subject=subject,
            recipient=recipient,
            cart=cart,
            context=context,
        )
    return notification


def notify_cart_shared(
    *, cart: Cart, actor: Customer, recipient: Customer, level: str, raised: bool
) -> None:
    """A grant was given or raised (never told when lowered or removed)."""
    if (
        recipient.pk == actor.pk
        or not people_allowed(cart, CartAction.VIEW).filter(pk=recipient.pk).exists()
    ):
        return

    def text() -> str:
        names = {"actor": actor.name, "cart": cart.name, "level": level_words(level)}
        if raised:
            return _("%(actor)s raised your access to the cart '%(cart)s' to %(level)s.") % names
        return _("%(actor)s shared the cart '%(cart)s' with you (%(level)s).") % names

    _notify(
        recipient=recipient,
        kind=NotificationKind.CART_SHARED,
        cart=cart,
        actor=actor,
        text=text,
        context={"actor_name": actor.name, "level": level, "raised": raised},
    )


def notify_access_requested(*, cart: Cart, requester: Customer, level: str, message: str) -> None:
    """A colleague asks for a level: whoever may answer (the owner) is told, with the message."""

    def text() -> str:
        names = {
            "actor": requester.name,
            "cart": cart.name,
            "level": level_words(level),
            "message": _short(message),
        }
        if message:
            return _("%(actor)s asks for %(level)s to the cart '%(cart)s': “%(message)s”") % names
        return _("%(actor)s asks for %(level)s to the cart '%(cart)s'.") % names

    for owner in people_allowed(cart, CartAction.UNSHARE).exclude(pk=requester.pk):
        _notify(
            recipient=owner,
            kind=NotificationKind.ACCESS_REQUESTED,
            cart=cart,
            actor=requester,
            text=text,
            context={"actor_name": requester.name, "level": level, "message": message},
        )


def notify_access_decided(
    *, cart: Cart, actor: Customer, requester: Customer, approved: bool, level: str
) -> None:
    """The requester is told the answer (approved: with the level they now have)."""
    if requester.pk == actor.pk:
        return

    def text() -> str:
        names = {"actor": actor.name, "cart": cart.name, "level": level_words(level)}
        if approved:
            return _("%(actor)s gave you %(level)s to the cart '%(cart)s', as you asked.") % names
        return _("%(actor)s declined your request for %(level)s to the cart '%(cart)s'.") % names

    _notify(
        recipient=requester,
        kind=NotificationKind.ACCESS_DECIDED,
        cart=cart,
        actor=actor,
        text=text,
        context={"actor_name": actor.name, "level": level, "approved": approved},
    )


MENTION = re.compile(r"@([^\W\d_][\w.'-]*(?: [^\W\d_][\w.'-]*)?)", re.UNICODE)


def mentioned_in(text: str, candidates: Iterable[Customer]) -> list[Customer]:
    """People named after an @ in the text: "@Bob Brandt" (the full name), or "@Bob" when only
    one candidate has that first name. Case does not matter."""
    people = list(candidates)
    lowered = text.casefold()
    found: dict[int, Customer] = {}
    for person in people:
        name = person.name.casefold()
        if name and re.search(rf"@{re.escape(name)}(?![\w])", lowered):
            found[person.pk] = person
    first_names: dict[str, list[Customer]] = {}
    for person in people:
        if person.name:
            first_names.setdefault(person.name.split()[0].casefold(), []).append(person)
    for first, owners in first_names.items():
        if len(owners) == 1 and re.search(rf"@{re.escape(first)}(?![\w])", lowered):
            found.setdefault(owners[0].pk, owners[0])
    return list(found.values())


def comment_group_key(cart: Cart, recipient: Customer) -> str:
    return f"comments:{cart.pk}:{recipient.pk}"


def _comment_mail(*, cart: Cart, recipient: Customer, author: Customer, text: str) -> None:
    """Comments on one cart within CARTSHARE_MAIL_GROUP_SECONDS go out as one mail: the first
    waits that long, and the next ones are added to it while it waits."""
    entry: dict[str, object] = {"author": author.name, "text": text}
    waiting = mail_waiting_in_group(comment_group_key(cart, recipient))
    if waiting is not None:
        context = {**waiting.context, "comments": [*waiting.context.get("comments", []), entry]}
        with translation.override(customer_language(recipient)):
            subject = mail_subject(NotificationKind.COMMENT_CREATED, context)
        waiting.context, waiting.subject = context, subject[:300]
        waiting.save(update_fields=["context", "subject"])
        return
    context = {"cart_id": str(cart.pk), "cart_name": cart.name, "comments": [entry]}
    with translation.override(customer_language(recipient)):
        subject = mail_subject(NotificationKind.COMMENT_CREATED, context)
    mail_queue(
        kind=NotificationKind.COMMENT_CREATED,
        to_address=recipient.email,
        subject=subject,
        recipient=recipient,
        cart=cart,
        context=context,
        send_after=timezone.now() + timedelta(seconds=settings.CARTSHARE_MAIL_GROUP_SECONDS),
        group_key=comment_group_key(cart, recipient),
    )


def notify_comment_created(*, cart: Cart, author: Customer, text: str) -> None:
    """Everyone who may read the discussion, but the author: a mention to those named, a
    comment notification to the others."""
    readers = list(people_allowed(cart, CartAction.COMMENT).exclude(pk=author.pk))
    mentioned = {person.pk for person in mentioned_in(text, readers)}
    names = {"actor": author.name, "cart": cart.name, "quote": _short(text)}
    for reader in readers:
        if reader.pk in mentioned:
            _notify(
                recipient=reader,
                kind=NotificationKind.COMMENT_MENTION,
                cart=cart,
                actor=author,
                text=lambda: (
                    _("%(actor)s mentioned you on the cart '%(cart)s': “%(quote)s”") % names
                ),
                context={"actor_name": author.name, "text": text},
            )
            continue
        with translation.override(customer_language(reader)):
            told = _("%(actor)s commented on the cart '%(cart)s': “%(quote)s”") % names
        Notification.objects.create(
            recipient=reader,
            kind=NotificationKind.COMMENT_CREATED,
            cart=cart,
            actor=author,
            text=told[:500],
        )
        if email_wanted(reader, NotificationKind.COMMENT_CREATED):
            _comment_mail(cart=cart, recipient=reader, author=author, text=text)


def _order_context(
    actor: Customer, reference: str, total: int, currency: str
) -> dict[str, JsonValue]:
    """An order's facts for its mail: the total as minor units, written in the reader's way."""
    return {
        "actor_name": actor.name,
        "reference": reference,
        "grand_total": total,
        "currency": currency,
    }


def notify_cart_ordered(*, cart: Cart, actor: Customer, reference: str, total: int) -> None:
    """The owner and everyone the cart was shared with, but whoever ordered. `total` in minor
    units of the cart's currency."""

    def text() -> str:
        return _("%(actor)s ordered the cart '%(cart)s' (%(reference)s, %(total)s).") % {
            "actor": actor.name,
            "cart": cart.name,
            "reference": reference,
            "total": money_format(total, cart.currency),
        }

    for person in people_allowed(cart, CartAction.VIEW).exclude(pk=actor.pk):
        _notify(
            recipient=person,
            kind=NotificationKind.CART_ORDERED,
            cart=cart,
            actor=actor,
            text=text,
            context=_order_context(actor, reference, total, cart.currency),
        )


def notify_proposal_copied(*, proposal: Cart, copy: Cart, actor: Customer) -> None:
    """A customer copied a sales representative's proposal into a cart of their own: its
    preparer (the proposal's owner) is told; the notification leads to the proposal."""
    preparer = proposal.owner
    if preparer.pk == actor.pk:
        return
    _notify(
        recipient=preparer,
        kind=NotificationKind.PROPOSAL_COPIED,
        cart=proposal,
        actor=actor,
        text=lambda: (
            _("%(actor)s copied your proposal '%(cart)s' into a cart of their own.")
            % {"actor": actor.name, "cart": proposal.name}
        ),
        context={"actor_name": actor.name},
    )


def notify_prepared_cart_ordered(
    *, cart: Cart, actor: Customer, reference: str, total: int
) -> None:
    """The copy of a proposal was ordered: its preparer is told (about their own proposal; the
    copy itself stays the customer's)."""
    proposal = cart.prepared_from
    if proposal is None or cart.prepared_by_id is None or cart.prepared_by_id == actor.pk:
        return
    preparer = proposal.owner
    if preparer.pk != cart.prepared_by_id:
        return
    _notify(
        recipient=preparer,
        kind=NotificationKind.CART_ORDERED,
        cart=proposal,
        actor=actor,
        text=lambda: (
            _("%(actor)s ordered your proposal '%(cart)s' (%(reference)s, %(total)s).")
            % {
                "actor": actor.name,
                "cart": proposal.name,
                "reference": reference,
                "total": money_format(total, cart.currency),
            }
        ),
        context={**_order_context(actor, reference, total, cart.currency), "proposal": True},
    )


# --- Reading and settings -----------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, customer: Customer, ids: Iterable[int] | None = None) -> int:
    """Marks the caller's notifications read: the given ones, or all (ids None)."""
    unread = Notification.objects.filter(recipient=customer, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_settings_get(customer: Customer) -> dict[str, bool]:
    row = NotificationSettings.objects.filter(customer=customer).first()
    return {
        setting.value: (getattr(row, setting.value) if row is not None else True)
        for setting in EmailSetting
    }


@transaction.atomic
def notification_settings_update(
    *, customer: Customer, changes: Mapping[str, object]
) -> dict[str, bool]:
    """Switch kinds of e-mail on or off; unknown names and non-booleans are refused."""
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name not in EmailSetting.values:
            errors[name] = [f"Unknown setting; choose from {', '.join(EmailSetting.values)}."]
        elif not isinstance(value, bool):
            errors[name] = ["Must be true or false."]
    if errors:
        raise InvalidInput("These e-mail settings cannot be saved.", errors=errors)
    row, _ = NotificationSettings.objects.select_for_update().get_or_create(customer=customer)
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return notification_settings_get(customer)
