"""The bell's page, "mark all read", the e-mail settings and the one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cartshare.accounts.models import Customer
from cartshare.common.errors import NotFound
from cartshare.notifications.mails import setting_clause, unsubscribe_read
from cartshare.notifications.models import EmailSetting
from cartshare.notifications.selectors import notification_path, notifications_of
from cartshare.notifications.services import (
    notification_settings_get,
    notification_settings_update,
    notifications_mark_read,
)
from cartshare.storefront.errors import error_page
from cartshare.storefront.views.carts import current_customer

PAGE_SIZE = 50


def _customer(request: HttpRequest) -> Customer:
    return current_customer(request)


@login_required
@require_http_methods(["GET"])
def notification_list(request: HttpRequest) -> HttpResponse:
    entries = [
        (entry, notification_path(entry))
        for entry in notifications_of(_customer(request))[:PAGE_SIZE]
    ]
    return render(request, "storefront/notifications/list.html", {"entries": entries})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(customer=_customer(request))
    messages.success(
        request, _("All notifications are marked read.") if count else _("Nothing was unread.")
    )
    return redirect("storefront:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    if request.method == "POST":
        notification_settings_update(
            customer=customer,
            changes={setting.value: setting.value in request.POST for setting in EmailSetting},
        )
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("storefront:notification_settings")
    current = notification_settings_get(customer)
    switches = [(setting.value, setting.label, current[setting.value]) for setting in EmailSetting]
    return render(request, "storefront/notifications/settings.html", {"switches": switches})


@csrf_exempt  # the signed token in the address is the proof; mail clients post without a form
@require_http_methods(["GET", "POST"])
def notifications_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a confirmation (link scanners must not unsubscribe anyone); POST, from the
    page or a mail client's one-click (RFC 8058), turns that kind of mail off."""
    found = unsubscribe_read(token)
    customer = Customer.objects.filter(pk=found[0], is_active=True).first() if found else None
    if found is None or customer is None:
        return error_page(
            request,
            NotFound(
                _(
                    "This unsubscribe link is not valid. "
                    "Change your e-mail settings in your account."
                )
            ),
        )
    setting = found[1]
    done = request.method == "POST"
    if done:
        notification_settings_update(customer=customer, changes={setting.value: False})
    return render(
        request,
        "storefront/notifications/unsubscribe.html",
        {"label": setting_clause(setting), "done": done, "token": token},
    )
