"""Turning an outbox `Mail` into the message that leaves: plain text and HTML in the shop's look,
the reason it was sent, a link to the settings and, for notifications, `List-Unsubscribe`.

Rendered at sending time from the mail's kind and context, so what needs a secret (a reset
link, a share link) is made then and never stored; grouped comments are all in the context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cartshare.common.money import money_format
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
    subject: str = ""  # empty: the kind's subject (SUBJECTS), else the stored one


# Each switch inside a sentence, after "when" ("You will no longer get e-mail when ..."): German
# needs a clause of its own there, never the label lowercased.
SETTING_CLAUSES: dict[str, Promise] = {
    EmailSetting.SHARED_WITH_ME: gettext_lazy("a cart is shared with me"),
    EmailSetting.COMMENTS: gettext_lazy("comments on carts I own or was given"),
    EmailSetting.MENTIONS: gettext_lazy("someone mentions me in a comment"),
    EmailSetting.ORDERS: gettext_lazy("a shared cart or my proposal is ordered or copied"),
    EmailSetting.ACCESS_REQUESTS: gettext_lazy("access requests and their decisions"),
}


def setting_clause(setting: EmailSetting) -> str:
    """The switch as the end of a sentence that begins "... when": "a cart is shared with me"."""
    return str(SETTING_CLAUSES[setting])


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


# A grant's level inside a mail's sentences ("gave you full access to ..."), and what it lets
# the reader do. German keeps the level's name: „Zugriff „Nur lesen““ (i18n glossary).
LEVEL_WORDS: dict[str, tuple[Promise, Promise]] = {
    "READ_ONLY": (
        gettext_lazy("read-only access"),
        gettext_lazy("see the cart, its comments and activity, and comment."),
    ),
    "CONTRIBUTOR": (
        gettext_lazy("contributor access"),
        gettext_lazy("add items, change or remove the items you added, and comment."),
    ),
    "FULL_ACCESS": (
        gettext_lazy("full access"),
        gettext_lazy("change the cart's items, comment, and place the order."),
    ),
}


def level_words(level: str) -> str:
    """A level as a sentence names it: "full access", "read-only access"."""
    words = LEVEL_WORDS.get(level)
    return str(words[0]) if words else level.replace("_", " ").lower()


def _level(c: dict[str, Any]) -> str:
    """The level of a mail's context in the active language (mails queued before the level was
    kept as a code carry its English words)."""
    return level_words(c["level"]) if "level" in c else str(c.get("level_label", ""))


def _total(c: dict[str, Any]) -> str:
    """An order's total in the active language's way of writing money."""
    if "grand_total" in c:
        return money_format(c["grand_total"], c.get("currency", "EUR"))
    return str(c.get("total", ""))


def _names(c: dict[str, Any], **extra: object) -> dict[str, object]:
    """The placeholders every sentence may use: who did it and which cart."""
    return {"actor": c.get("actor_name", ""), "cart": c.get("cart_name", ""), **extra}


def _seen_by_you(c: dict[str, Any]) -> str:
    return _("You get this mail because you can see the cart '%(cart)s'.") % _names(c)


# --- Subjects: rendered when the mail is sent, in its recipient's language ---------------------


def _cart_shared_subject(c: dict[str, Any]) -> str:
    if c.get("raised"):
        return _("%(actor)s gave you %(level)s to the cart '%(cart)s'") % _names(c, level=_level(c))
    return _("%(actor)s shared the cart '%(cart)s' with you") % _names(c)


def _comments_subject(c: dict[str, Any]) -> str:
    comments = c.get("comments", [])
    if len(comments) == 1:
        return _("%(actor)s commented on the cart '%(cart)s'") % _names(
            c, actor=comments[0]["author"]
        )
    authors = ", ".join(sorted({str(comment["author"]) for comment in comments}))
    return ngettext(
        "%(count)d new comment on the cart '%(cart)s' from %(authors)s",
        "%(count)d new comments on the cart '%(cart)s' from %(authors)s",
        len(comments),
    ) % _names(c, count=len(comments), authors=authors)


def _mention_subject(c: dict[str, Any]) -> str:
    return _("%(actor)s mentioned you on the cart '%(cart)s'") % _names(c)


def _prepared(c: dict[str, Any]) -> bool:
    """The ordered cart is a copy of the reader's proposal (older mails said so by a reason)."""
    return bool(c.get("proposal") or c.get("reason"))


def _ordered_subject(c: dict[str, Any]) -> str:
    names = _names(c, reference=c.get("reference", ""))
    if _prepared(c):
        return _("%(actor)s ordered your proposal '%(cart)s' (%(reference)s)") % names
    return _("%(actor)s ordered the cart '%(cart)s' (%(reference)s)") % names


def _access_requested_subject(c: dict[str, Any]) -> str:
    return _("%(actor)s asks for %(level)s to the cart '%(cart)s'") % _names(c, level=_level(c))


def _access_decided_subject(c: dict[str, Any]) -> str:
    if c.get("approved"):
        return _("%(actor)s gave you %(level)s to the cart '%(cart)s'") % _names(c, level=_level(c))
    return _("%(actor)s declined your request for access to '%(cart)s'") % _names(c)


def _invitation_subject(c: dict[str, Any]) -> str:
    if c.get("proposal"):
        return _("%(actor)s prepared a proposal for you: '%(cart)s'") % _names(c)
    return _("%(actor)s invited you to the cart '%(cart)s'") % _names(c)


def _proposal_copied_subject(c: dict[str, Any]) -> str:
    return _("%(actor)s copied your proposal '%(cart)s'") % _names(c)


SUBJECTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "invitation": _invitation_subject,
    NotificationKind.PROPOSAL_COPIED: _proposal_copied_subject,
    NotificationKind.CART_SHARED: _cart_shared_subject,
    NotificationKind.COMMENT_CREATED: _comments_subject,
    NotificationKind.COMMENT_MENTION: _mention_subject,
    NotificationKind.CART_ORDERED: _ordered_subject,
    NotificationKind.ACCESS_REQUESTED: _access_requested_subject,
    NotificationKind.ACCESS_DECIDED: _access_decided_subject,
}


def mail_subject(kind: str, context: dict[str, Any], fallback: str = "") -> str:
    """The subject of a mail of `kind` in the active language; `fallback` (the stored one) for
    a kind that has no subject of its own here."""
    subject = SUBJECTS.get(kind)
    return subject(context) if subject is not None else fallback


# --- Bodies -------------------------------------------------------------------------------------


def _cart_shared(mail: Mail) -> MailContent:
    c = mail.context
    level = _level(c)
    description = (
        str(LEVEL_WORDS[c["level"]][1])
        if c.get("level") in LEVEL_WORDS
        else str(c.get("level_description", ""))
    )
    return MailContent(
        headline=_cart_shared_subject(c),
        paragraphs=[
            _("%(actor)s gave you %(level)s to the cart '%(cart)s'.") % _names(c, level=level),
            _("With %(level)s you can %(what)s") % {"level": level, "what": description},
        ],
        action_label=_("Open the cart"),
        action_path=_cart_path(mail),
        reason=_("You get this mail because %(actor)s shared a cart with you.") % _names(c),
        setting=EmailSetting.SHARED_WITH_ME,
    )


def _comments(mail: Mail) -> MailContent:
    c = mail.context
    comments = c.get("comments", [])
    count = len(comments)
    return MailContent(
        headline=_comments_subject(c),
        paragraphs=[
            ngettext(
                "A new comment was written on the cart '%(cart)s':",
                "%(count)d new comments were written on the cart '%(cart)s':",
                count,
            )
            % _names(c, count=count)
        ],
        quotes=[(comment["author"], comment["text"]) for comment in comments],
        action_label=_("Join the discussion"),
        action_path=reverse("storefront:cart_discussion", args=[c["cart_id"]]),
        reason=_seen_by_you(c),
        setting=EmailSetting.COMMENTS,
    )


def _mention(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=_mention_subject(c),
        paragraphs=[_("%(actor)s mentioned you in a comment on the cart '%(cart)s':") % _names(c)],
        quotes=[(c["actor_name"], c["text"])],
        action_label=_("Answer in the discussion"),
        action_path=reverse("storefront:cart_discussion", args=[c["cart_id"]]),
        reason=_("You get this mail because %(actor)s mentioned you by name.") % _names(c),
        setting=EmailSetting.MENTIONS,
    )


def _ordered(mail: Mail) -> MailContent:
    c = mail.context
    names = _names(c, reference=c.get("reference", ""), total=_total(c))
    if _prepared(c):
        placed = _(
            "%(actor)s placed the order %(reference)s from a copy of your proposal "
            "'%(cart)s' (%(total)s)."
        )
        reason = str(PREPARED_REASON)
    else:
        placed = _("%(actor)s placed the order %(reference)s from the cart '%(cart)s' (%(total)s).")
        reason = _seen_by_you(c)
    return MailContent(
        headline=_ordered_subject(c),
        paragraphs=[
            placed % names,
            _("The cart is now frozen: it can be looked at and copied, not changed."),
        ],
        action_label=_("Look at the cart"),
        action_path=_cart_path(mail),
        reason=reason,
        setting=EmailSetting.ORDERS,
    )


def _access_requested(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=_access_requested_subject(c),
        paragraphs=[
            _("%(actor)s asks you for %(level)s to your cart '%(cart)s'.")
            % _names(c, level=_level(c)),
            _("Approve it (with that level or another) or decline it on the cart's page."),
        ],
        quotes=[(c["actor_name"], c["message"])] if c.get("message") else [],
        action_label=_("Answer the request"),
        action_path=_cart_path(mail),
        reason=_("You get this mail because %(actor)s asked for access to your cart.") % _names(c),
        setting=EmailSetting.ACCESS_REQUESTS,
    )


def _access_decided(mail: Mail) -> MailContent:
    c = mail.context
    names = _names(c, level=_level(c))
    if c.get("approved"):
        paragraphs = [_("You now have %(level)s to the cart '%(cart)s'.") % names]
        action_label, action_path = _("Open the cart"), _cart_path(mail)
    else:
        paragraphs = [
            _(
                "%(actor)s declined your request for %(level)s to the cart '%(cart)s'. "
                "Ask them directly if you still need it."
            )
            % names
        ]
        # the requester may not see the cart: the answer's page, as the notification's link
        cart_id = c.get("cart_id") or (str(mail.cart_id) if mail.cart_id else "")
        action_label = _("See what you can do")
        action_path = (
            reverse("storefront:my_access_request", args=[cart_id])
            if cart_id
            else reverse("storefront:cart_list")
        )
    return MailContent(
        headline=_access_decided_subject(c),
        paragraphs=paragraphs,
        action_label=action_label,
        action_path=action_path,
        reason=_("You get this mail because you asked for access to this cart."),
        setting=EmailSetting.ACCESS_REQUESTS,
    )


class MailObsolete(Exception):
    """What the mail was to tell is no longer true (the link it carries was revoked): it is not
    sent, and not retried."""


INVITATION_PROMISES = {
    "PREVIEW": gettext_lazy(
        "%(actor)s sends you the cart '%(cart)s'. With this link you can see the cart's items "
        "and totals without logging in, and copy them into a cart of your own."
    ),
    "READ_ONLY": gettext_lazy(
        "%(actor)s sends you the cart '%(cart)s'. With this link you can view the cart and "
        "comment on it, once you log in with this address."
    ),
    "CONTRIBUTOR": gettext_lazy(
        "%(actor)s sends you the cart '%(cart)s'. With this link you can add items, change or "
        "remove the items you added, and comment, once you log in with this address."
    ),
    "FULL_ACCESS": gettext_lazy(
        "%(actor)s sends you the cart '%(cart)s'. With this link you can change the cart's "
        "items, comment and place the order, once you log in with this address."
    ),
}
PREPARED_REASON = gettext_lazy("You get this mail because you prepared this proposal.")


def _invitation(mail: Mail) -> MailContent:
    from cartshare.sharing.models import ShareLink
    from cartshare.sharing.tokens import share_link_url

    c = mail.context
    link = ShareLink.objects.filter(pk=c["link_id"], revoked_at__isnull=True).first()
    url = share_link_url(link, site_url()) if link is not None and not link.is_expired() else None
    if url is None:
        raise MailObsolete("The link was revoked or expired before the mail left.")
    paragraphs = [str(INVITATION_PROMISES[c["share_option"]]) % _names(c)]
    quotes = [(c["actor_name"], c["message"])] if c.get("message") else []
    if c.get("proposal"):
        paragraphs[0] = _(
            "%(actor)s prepared the cart '%(cart)s' for you. Open it to see the items and "
            "totals, and copy it into a cart of your own to order it."
        ) % _names(c)
        if c.get("note"):
            quotes.append((_("Note"), c["note"]))
    return MailContent(
        headline=_invitation_subject(c),
        paragraphs=paragraphs,
        quotes=quotes,
        action_label=_("Open the cart"),
        action_path="",
        action_url=url,
        reason=_("You get this mail because %(actor)s sent it to this address from Cartshare.")
        % _names(c),
    )


def _proposal_copied(mail: Mail) -> MailContent:
    c = mail.context
    return MailContent(
        headline=_proposal_copied_subject(c),
        paragraphs=[
            _("%(actor)s copied your proposal '%(cart)s' into a cart of their own.") % _names(c)
        ],
        action_label=_("Open your proposal"),
        action_path=_cart_path(mail),
        reason=str(PREPARED_REASON),
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
    subject = content.subject or mail_subject(mail.kind, mail.context, mail.subject)
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
        "subject": subject,
        "action_url": content.action_url or f"{base}{content.action_path}",
        "settings_url": f"{base}{reverse('storefront:notification_settings')}",
        "unsubscribe_url": unsubscribe_url,
        "setting_label": setting_clause(content.setting) if content.setting else "",
        "site_url": base,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/mail/message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_address],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string("notifications/mail/message.html", context), "text/html"
    )
    return message
