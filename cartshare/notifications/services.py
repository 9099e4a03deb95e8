"""Telling people what happened to a cart: one in-shop notification per person, and a mail when
their settings allow it. Called by the services that make the change, inside their transaction
(no signals), so what is rolled back is never told. Whom to tell is the policy's scope
`people_allowed`: nobody hears about a cart they cannot see."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cartshare.access.policies import CartAction, people_allowed
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart
from cartshare.common.errors import InvalidInput
from cartshare.notifications.models import (
    SETTING_OF_KIND,
    EmailSetting,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from cartshare.notifications.outbox import JsonValue, mail_queue, mail_waiting_in_group

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
    text: str,
    subject: str,
    context: Mapping[str, JsonValue],
) -> Notification:
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, cart=cart, actor=actor, text=text[:500]
    )
    if recipient.is_active and email_wanted(recipient, kind):
        mail_queue(
            kind=kind,
            to_address=recipient.email,
            subject=subject,
            recipient=recipient,
            cart=cart,
            context={"cart_id": str(cart.pk), "cart_name": cart.name, **context},
        )
    return notification


LEVEL_WORDS = {
    "READ_ONLY": ("read-only access", "see the cart, its comments and activity, and comment."),
    "CONTRIBUTOR": (
        "contributor access",
        "add items, change or remove the items you added, and comment.",
    ),
    "FULL_ACCESS": (
        "full access",
        "change the cart's items, comment, and place the order.",
    ),
}


def notify_cart_shared(
    *, cart: Cart, actor: Customer, recipient: Customer, level: str, raised: bool
) -> None:
    """A grant was given or raised (never told when lowered or removed)."""
    if (
        recipient.pk == actor.pk
        or not people_allowed(cart, CartAction.VIEW).filter(pk=recipient.pk).exists()
    ):
        return
    label, description = LEVEL_WORDS[level]
    if raised:
        text = f"{actor.name} raised your access to the cart '{cart.name}' to {label}."
        subject = f"{actor.name} gave you {label} to the cart '{cart.name}'"
    else:
        text = f"{actor.name} shared the cart '{cart.name}' with you ({label})."
        subject = f"{actor.name} shared the cart '{cart.name}' with you"
    _notify(
        recipient=recipient,
        kind=NotificationKind.CART_SHARED,
        cart=cart,
        actor=actor,
        text=text,
        subject=subject,
        context={"actor_name": actor.name, "level_label": label, "level_description": description},
    )


def level_words(level: str) -> str:
    """A level as a sentence names it: "full access", "read-only access"."""
    words = LEVEL_WORDS.get(level)
    return words[0] if words else level.replace("_", " ").lower()


def notify_access_requested(*, cart: Cart, requester: Customer, level: str, message: str) -> None:
    """A colleague asks for a level: whoever may answer (the owner) is told, with the message."""
    label = level_words(level)
    quote = f": “{_short(message)}”" if message else "."
    for owner in people_allowed(cart, CartAction.UNSHARE).exclude(pk=requester.pk):
        _notify(
            recipient=owner,
            kind=NotificationKind.ACCESS_REQUESTED,
            cart=cart,
            actor=requester,
            text=f"{requester.name} asks for {label} to the cart '{cart.name}'{quote}",
            subject=f"{requester.name} asks for {label} to the cart '{cart.name}'",
            context={"actor_name": requester.name, "level_label": label, "message": message},
        )


def notify_access_decided(
    *, cart: Cart, actor: Customer, requester: Customer, approved: bool, level: str
) -> None:
    """The requester is told the answer (approved: with the level they now have)."""
    if requester.pk == actor.pk:
        return
    label = level_words(level)
    if approved:
        text = f"{actor.name} gave you {label} to the cart '{cart.name}', as you asked."
        subject = f"{actor.name} gave you {label} to the cart '{cart.name}'"
    else:
        text = f"{actor.name} declined your request for {label} to the cart '{cart.name}'."
        subject = f"{actor.name} declined your request for access to '{cart.name}'"
    _notify(
        recipient=requester,
        kind=NotificationKind.ACCESS_DECIDED,
        cart=cart,
        actor=actor,
        text=text,
        subject=subject,
        context={"actor_name": actor.name, "level_label": label, "approved": approved},
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
        comments = [*waiting.context.get("comments", []), entry]
        authors = sorted({str(comment["author"]) for comment in comments})
        waiting.context = {**waiting.context, "comments": comments}
        waiting.subject = (
            f"{len(comments)} new comments on the cart '{cart.name}' from {', '.join(authors)}"
        )[:300]
        waiting.save(update_fields=["context", "subject"])
        return
    mail_queue(
        kind=NotificationKind.COMMENT_CREATED,
        to_address=recipient.email,
        subject=f"{author.name} commented on the cart '{cart.name}'",
        recipient=recipient,
        cart=cart,
        context={"cart_id": str(cart.pk), "cart_name": cart.name, "comments": [entry]},
        send_after=timezone.now() + timedelta(seconds=settings.CARTSHARE_MAIL_GROUP_SECONDS),
        group_key=comment_group_key(cart, recipient),
    )


def notify_comment_created(*, cart: Cart, author: Customer, text: str) -> None:
    """Everyone who may read the discussion, but the author: a mention to those named, a
    comment notification to the others."""
    readers = list(people_allowed(cart, CartAction.COMMENT).exclude(pk=author.pk))
    mentioned = {person.pk for person in mentioned_in(text, readers)}
    quote = _short(text)
    for reader in readers:
        if reader.pk in mentioned:
            _notify(
                recipient=reader,
                kind=NotificationKind.COMMENT_MENTION,
                cart=cart,
                actor=author,
                text=f"{author.name} mentioned you on the cart '{cart.name}': “{quote}”",
                subject=f"{author.name} mentioned you on the cart '{cart.name}'",
                context={"actor_name": author.name, "text": text},
            )
            continue
        Notification.objects.create(
            recipient=reader,
            kind=NotificationKind.COMMENT_CREATED,
            cart=cart,
            actor=author,
            text=f"{author.name} commented on the cart '{cart.name}': “{quote}”"[:500],
        )
        if email_wanted(reader, NotificationKind.COMMENT_CREATED):
            _comment_mail(cart=cart, recipient=reader, author=author, text=text)


def notify_cart_ordered(*, cart: Cart, actor: Customer, reference: str, total: str) -> None:
    """The owner and everyone the cart was shared with, but whoever ordered."""
    for person in people_allowed(cart, CartAction.VIEW).exclude(pk=actor.pk):
        _notify(
            recipient=person,
            kind=NotificationKind.CART_ORDERED,
            cart=cart,
            actor=actor,
            text=f"{actor.name} ordered the cart '{cart.name}' ({reference}, {total}).",
            subject=f"{actor.name} ordered the cart '{cart.name}' ({reference})",
            context={"actor_name": actor.name, "reference": reference, "total": total},
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
        text=f"{actor.name} copied your proposal '{proposal.name}' into a cart of their own.",
        subject=f"{actor.name} copied your proposal '{proposal.name}'",
        context={"actor_name": actor.name},
    )


def notify_prepared_cart_ordered(
    *, cart: Cart, actor: Customer, reference: str, total: str
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
        text=f"{actor.name} ordered your proposal '{proposal.name}' ({reference}, {total}).",
        subject=f"{actor.name} ordered your proposal '{proposal.name}' ({reference})",
        context={
            "actor_name": actor.name,
            "reference": reference,
            "total": total,
            "reason": "You get this mail because you prepared this proposal.",
        },
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
