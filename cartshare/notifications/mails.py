"""Turning an outbox `Mail` into the message that leaves: plain text and HTML in the shop's look,
the reason it was sent, a link to the settings and, for notifications, `List-Unsubscribe`.

Rendered at sending time from the mail's kind and context, so what needs a secret (a reset
link, a share link) is made then and never stored; grouped comments are all in the context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from cartshare.notifications.models import EmailSetting, Mail, NotificationKind
from cartshare.notifications.outbox import site_url

UNSUBSCRIBE_SALT = "cartshare.notifications.unsubscribe"


@dataclass
class MailContent:
    headline: str
    paragraphs: list[str]
    action_label: str
    action_path: str
    reason: str
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (who, what they wrote)
    setting: EmailSetting | None = None  # the switch that turns this kind of mail off
    action_url: str = ""  # absolute; made from action_path when empty


def unsubscribe_token(customer_id: int, setting: EmailSetting) -> str:
    return signing.dumps({"c": customer_id, "s": setting.value}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[int, EmailSetting] | None:
    """The person and switch of a List-Unsubscribe link, or None when it was not made by us."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["c"]), EmailSetting(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _cart_path(mail: Mail) -> str:
    cart_id = mail.context.get("cart_id") or (str(mail.cart_id) if mail.cart_id else "")
    return reverse("storefront:cart_detail", args=[cart_id]) if cart_id else "/"


def _cart_shared(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=mail.subject,
        paragraphs=[
            f"{c['actor_name']} gave you {c['level_label']} to the cart '{c['cart_name']}'.",
            f"With {c['level_label']} you can {c['level_description']}",
        ],
        action_label="Open the cart",
        action_path=_cart_path(mail),
        reason=f"You get this mail because {c['actor_name']} shared a cart with you.",
        setting=EmailSetting.SHARED_WITH_ME,
    )


def _comments(mail: Mail) -> MailContent:
    c = mail.context
    comments = c.get("comments", [])
    count = len(comments)
    return MailContent(
        headline=mail.subject,
        paragraphs=[
            f"{'A new comment was' if count == 1 else f'{count} new comments were'} written on "
            f"the cart '{c['cart_name']}':"
        ],
        quotes=[(comment["author"], comment["text"]) for comment in comments],
        action_label="Join the discussion",
        action_path=reverse("storefront:cart_discussion", args=[c["cart_id"]]),
        reason=f"You get this mail because you can see the cart '{c['cart_name']}'.",
        setting=EmailSetting.COMMENTS,
    )


def _mention(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=mail.subject,
        paragraphs=[
            f"{c['actor_name']} mentioned you in a comment on the cart '{c['cart_name']}':"
        ],
        quotes=[(c["actor_name"], c["text"])],
        action_label="Answer in the discussion",
        action_path=reverse("storefront:cart_discussion", args=[c["cart_id"]]),
        reason=f"You get this mail because {c['actor_name']} mentioned you by name.",
        setting=EmailSetting.MENTIONS,
    )


def _ordered(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=mail.subject,
        paragraphs=[
            f"{c['actor_name']} placed the order {c['reference']} from "
            f"{'a copy of your proposal' if c.get('reason') else 'the cart'} "
            f"'{c['cart_name']}' ({c['total']}).",
            "The cart is now frozen: it can be looked at and copied, not changed.",
        ],
        action_label="Look at the cart",
        action_path=_cart_path(mail),
        reason=c.get("reason")
        or f"You get this mail because you can see the cart '{c['cart_name']}'.",
        setting=EmailSetting.ORDERS,
    )


def _access_requested(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=mail.subject,
        paragraphs=[
            f"{c['actor_name']} asks you for {c['level_label']} to your cart '{c['cart_name']}'.",
            "Approve it (with that level or another) or decline it on the cart's page.",
        ],
        quotes=[(c["actor_name"], c["message"])] if c.get("message") else [],
        action_label="Answer the request",
        action_path=_cart_path(mail),
        reason=f"You get this mail because {c['actor_name']} asked for access to your cart.",
        setting=EmailSetting.ACCESS_REQUESTS,
    )


def _access_decided(mail: Mail) -> MailContent:
    c = mail.context
    if c.get("approved"):
        paragraphs = [f"You now have {c['level_label']} to the cart '{c['cart_name']}'."]
        action_label, action_path = "Open the cart", _cart_path(mail)
    else:
        paragraphs = [
            f"{c['actor_name']} declined your request for {c['level_label']} to the cart "
            f"'{c['cart_name']}'. Ask them directly if you still need it."
        ]
        # the requester may not see the cart: the answer's page, as the notification's link
        cart_id = c.get("cart_id") or (str(mail.cart_id) if mail.cart_id else "")
        action_label = "See what you can do"
        action_path = (
            reverse("storefront:my_access_request", args=[cart_id])
            if cart_id
            else reverse("storefront:cart_list")
        )
    return MailContent(
        headline=mail.subject,
        paragraphs=paragraphs,
        action_label=action_label,
        action_path=action_path,
        reason="You get this mail because you asked for access to this cart.",
        setting=EmailSetting.ACCESS_REQUESTS,
    )


class MailObsolete(Exception):
    """What the mail was to tell is no longer true (the link it carries was revoked): it is not
    sent, and not retried."""


INVITATION_PROMISES = {
    "PREVIEW": "see the cart's items and totals without logging in, and copy them into a cart "
    "of your own",
    "READ_ONLY": "view the cart and comment on it, once you log in with this address",
    "CONTRIBUTOR": "add items, change or remove the items you added, and comment, once you log "
    "in with this address",
    "FULL_ACCESS": "change the cart's items, comment and place the order, once you log in with "
    "this address",
}


def _invitation(mail: Mail) -> MailContent:
    from cartshare.sharing.models import ShareLink
    from cartshare.sharing.tokens import share_link_url

    c = mail.context
    link = ShareLink.objects.filter(pk=c["link_id"], revoked_at__isnull=True).first()
    url = share_link_url(link, site_url()) if link is not None and not link.is_expired() else None
    if url is None:
        raise MailObsolete("The link was revoked or expired before the mail left.")
    paragraphs = [
        f"{c['actor_name']} sends you the cart '{c['cart_name']}'. With this link you can "
        f"{INVITATION_PROMISES[c['share_option']]}."
    ]
    quotes = [(c["actor_name"], c["message"])] if c.get("message") else []
    if c.get("proposal"):
        paragraphs[0] = (
            f"{c['actor_name']} prepared the cart '{c['cart_name']}' for you. Open it to see "
            "the items and totals, and copy it into a cart of your own to order it."
        )
        if c.get("note"):
            quotes.append(("Note", c["note"]))
    return MailContent(
        headline=mail.subject,
        paragraphs=paragraphs,
        quotes=quotes,
        action_label="Open the cart",
        action_path="",
        action_url=url,
        reason=f"You get this mail because {c['actor_name']} sent it to this address from "
        "Cartshare.",
    )


def _proposal_copied(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=mail.subject,
        paragraphs=[
            f"{c['actor_name']} copied your proposal '{c['cart_name']}' into a cart of their own."
        ],
        action_label="Open your proposal",
        action_path=_cart_path(mail),
        reason="You get this mail because you prepared this proposal.",
        setting=EmailSetting.ORDERS,
    )


COMPOSERS: dict[str, Callable[[Mail], MailContent]] = {
    "invitation": _invitation,
    NotificationKind.PROPOSAL_COPIED: _proposal_copied,
    NotificationKind.CART_SHARED: _cart_shared,
    NotificationKind.COMMENT_CREATED: _comments,
    NotificationKind.COMMENT_MENTION: _mention,
    NotificationKind.CART_ORDERED: _ordered,
    NotificationKind.ACCESS_REQUESTED: _access_requested,
    NotificationKind.ACCESS_DECIDED: _access_decided,
}


def composer_register(
    kind: str,
) -> Callable[[Callable[[Mail], MailContent]], Callable[[Mail], MailContent]]:
    """Mails of other modules (invitations, account mails) add their composer here."""

    def register(composer: Callable[[Mail], MailContent]) -> Callable[[Mail], MailContent]:
        COMPOSERS[kind] = composer
        return composer

    return register


def message_id(mail: Mail) -> str:
    """The same for every attempt at one outbox mail: in the one case in which a mail may
    arrive twice (its worker killed between the server's answer and recording it), mail
    programs see one message (notifications/recovery.py)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "cartshare.invalid"
    return f"<outbox-{mail.pk}.{int(mail.created_at.timestamp())}@{domain}>"


def mail_message(mail: Mail) -> EmailMultiAlternatives:
    """The multipart message for one outbox mail."""
    import cartshare.notifications.account_mails  # noqa: F401  (registers its composers)

    content = COMPOSERS[mail.kind](mail)
    base = site_url().rstrip("/")
    headers: dict[str, str] = {"Message-ID": message_id(mail)}
    unsubscribe_url = ""
    if content.setting is not None and mail.recipient_id is not None:
        path = reverse(
            "storefront:notifications_unsubscribe",
            args=[unsubscribe_token(mail.recipient_id, content.setting)],
        )
        unsubscribe_url = f"{base}{path}"
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    context = {
        "content": content,
        "subject": mail.subject,
        "action_url": content.action_url or f"{base}{content.action_path}",
        "settings_url": f"{base}{reverse('storefront:notification_settings')}",
        "unsubscribe_url": unsubscribe_url,
        "setting_label": content.setting.label.lower() if content.setting else "",
        "site_url": base,
    }
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=render_to_string("notifications/mail/message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_address],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string("notifications/mail/message.html", context), "text/html"
    )
    return message
