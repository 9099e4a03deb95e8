"""Writing comments: everyone who may discuss a cart comments; authors edit their own; authors
and the cart's owner delete. Every write is recorded in the cart's activity log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.access.policies import (
    Actor,
    CartAction,
    ensure_can_delete_comment,
    ensure_can_edit_comment,
    ensure_customer_can,
)
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart
from cartshare.comments.models import MAX_COMMENT_LENGTH, Comment
from cartshare.common.errors import InvalidInput
from cartshare.common.locales import number_format
from cartshare.common.text import LINE_BREAKS_AND_TABS, control_characters_refuse
from cartshare.notifications.services import notify_comment_created

EMPTY_MESSAGE = gettext_lazy("Write a comment first: it cannot be empty.")


def comment_text_clean(text: object) -> str:
    """Plain text, 1 to 5,000 characters after trimming; line breaks are kept as \\n, tabs too,
    and any other control character is refused."""
    if not isinstance(text, str):
        text = ""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise InvalidInput(EMPTY_MESSAGE, errors={"text": [EMPTY_MESSAGE]})
    if len(cleaned) > MAX_COMMENT_LENGTH:
        message = _("A comment can have at most %(limit)s characters. This one has %(count)s.") % {
            "limit": number_format(MAX_COMMENT_LENGTH),
            "count": number_format(len(cleaned)),
        }
        raise InvalidInput(message, errors={"text": [message]})
    control_characters_refuse(
        cleaned,
        field="text",
        allowed=LINE_BREAKS_AND_TABS,
        message=_(
            "A comment can hold line breaks and tabs but no other control characters "
            "(found: %(found)s). Remove them and try again."
        ),
    )
    return cleaned


@transaction.atomic
def comment_create(*, cart: Cart, actor: Actor, text: str) -> Comment:
    author = ensure_customer_can(actor, CartAction.COMMENT, cart)
    comment = Comment.objects.create(cart=cart, author=author, text=comment_text_clean(text))
    activity_record(cart=cart, actor=actor, verb=Verb.COMMENTED, comment_id=comment.pk)
    notify_comment_created(cart=cart, author=author, text=comment.text)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, actor: Actor, text: str) -> Comment:
    """Only the author edits, and only while they may still comment on the cart."""
    ensure_can_edit_comment(actor, comment, comment.cart)
    cleaned = comment_text_clean(text)
    if cleaned != comment.text:
        now = timezone.now()
        Comment.objects.filter(pk=comment.pk).update(text=cleaned, edited_at=now, updated_at=now)
        comment.text, comment.edited_at, comment.updated_at = cleaned, now, now
        # The row is the live `comment.updated` event too (after commit, cartshare.live).
        activity_record(
            cart=comment.cart, actor=actor, verb=Verb.COMMENT_EDITED, comment_id=comment.pk
        )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: Actor) -> None:
    """The author deletes their own comment; the cart's owner deletes any."""
    ensure_can_delete_comment(actor, comment, comment.cart)
    # What the live `comment.deleted` event says of the comment once it is gone: never its text.
    gone = {
        "comment_id": comment.pk,
        "author_id": comment.author_id,
        "created_at": comment.created_at.isoformat(),
        "edited": comment.edited,
    }
    comment.delete()
    activity_record(cart=comment.cart, actor=actor, verb=Verb.COMMENT_DELETED, **gone)
