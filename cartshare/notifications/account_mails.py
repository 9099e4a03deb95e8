"""Mails about accounts: the password reset link and "you already have an account". Their links
hold a one-time token made here, when the mail is sent, so no usable token is ever stored."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cartshare.accounts.models import Customer
from cartshare.notifications.mails import MailContent, MailObsolete, composer_register
from cartshare.notifications.models import Mail
from cartshare.notifications.outbox import site_url


def _customer(mail: Mail) -> Customer:
    customer = Customer.objects.filter(pk=mail.context.get("customer_id"), is_active=True).first()
    if customer is None:
        raise MailObsolete("The account is gone or deactivated.")
    return customer


def reset_url(customer: Customer) -> str:
    path = reverse(
        "storefront:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(customer.pk)),
            default_token_generator.make_token(customer),
        ],
    )
    return f"{site_url().rstrip('/')}{path}"


def _days() -> int:
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT // 86400))


def _facts(customer: Customer) -> dict[str, object]:
    return {"name": customer.name, "email": customer.email, "days": _days()}


@composer_register("password.reset")
def _password_reset(mail: Mail) -> MailContent:
    customer = _customer(mail)
    facts = _facts(customer)
    return MailContent(
        subject=_("Reset your Cartshare password"),
        headline=_("Reset your password"),
        paragraphs=[
            _(
                "Hello %(name)s, someone (we hope you) asked to reset the password of your "
                "Cartshare account."
            )
            % facts,
            ngettext(
                "The link below works once, for %(days)d day. After the new password is set, "
                "every other session and API token of your account stops working.",
                "The link below works once, for %(days)d days. After the new password is set, "
                "every other session and API token of your account stops working.",
                _days(),
            )
            % facts,
            _("If you did not ask for it, ignore this mail: your password stays as it is."),
        ],
        action_label=_("Choose a new password"),
        action_path="",
        action_url=reset_url(customer),
        reason=_("You get this mail because a password reset was asked for %(email)s.") % facts,
    )


@composer_register("account.exists")
def _account_exists(mail: Mail) -> MailContent:
    customer = _customer(mail)
    facts = {**_facts(customer), "login": f"{site_url().rstrip('/')}{reverse('storefront:login')}"}
    return MailContent(
        subject=_("You already have a Cartshare account"),
        headline=_("You already have an account"),
        paragraphs=[
            _(
                "Hello %(name)s, someone tried to register a new Cartshare account with "
                "%(email)s. You have one already: log in at %(login)s."
            )
            % facts,
            ngettext(
                "Forgot your password? The button below lets you choose a new one (once, within "
                "%(days)d day). If it was not you, ignore this mail.",
                "Forgot your password? The button below lets you choose a new one (once, within "
                "%(days)d days). If it was not you, ignore this mail.",
                _days(),
            )
            % facts,
        ],
        action_label=_("Choose a new password"),
        action_path="",
        action_url=reset_url(customer),
        reason=_("You get this mail because someone tried to register %(email)s.") % facts,
    )
