"""The caller's notifications and e-mail settings (API.md, "Invitations, notifications")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from cartshare.api.auth import caller
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.schemas import (
    NotificationPage,
    NotificationSettingsIn,
    NotificationSettingsOut,
    NotificationsReadIn,
    Problem,
)
from cartshare.common.errors import InvalidInput
from cartshare.notifications.models import Notification
from cartshare.notifications.selectors import notification_path, notifications_of
from cartshare.notifications.services import (
    notification_settings_get,
    notification_settings_update,
    notifications_mark_read,
)
from cartshare.sharing.tokens import base_url_for

router = Router(tags=["notifications"])


class UnreadFilter(Schema):
    unread: bool = False


def notification_payload(notification: Notification, base_url: str) -> dict[str, Any]:
    actor = notification.actor
    path = notification_path(notification)
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "cart_id": notification.cart_id,
        "actor": {"id": actor.pk, "name": actor.name} if actor is not None else None,
        "text": notification.text,
        "url": f"{base_url}{path}",
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@router.get(
    "/notifications",
    response=NotificationPage,
    summary="My notifications, newest first (`unread=true`: only the unread ones)",
)
def list_notifications(
    request: HttpRequest, page: Query[PageParams], filters: Query[UnreadFilter]
) -> dict[str, Any]:
    found = notifications_of(caller(request), unread_only=filters.unread)
    result = paginate(request, found, page)
    base_url = base_url_for(request)
    return {
        "results": [notification_payload(entry, base_url) for entry in result.results],
        "next": result.next,
        "has_more": result.has_more,
    }


@router.post(
    "/notifications/read",
    response={204: None, 422: Problem},
    summary="Mark notifications read: `{ids: [...]}` or `{all: true}`",
)
def read_notifications(request: HttpRequest, payload: NotificationsReadIn) -> Status:
    if payload.all == (payload.ids is not None):
        message = _("Send either the ids of the notifications to mark read, or all: true.")
        raise InvalidInput(message, errors={"ids": [message]})
    notifications_mark_read(customer=caller(request), ids=None if payload.all else payload.ids)
    return Status(204, None)


@router.get(
    "/me/notification-settings",
    response=NotificationSettingsOut,
    summary="Which notifications I also get by e-mail",
)
def get_notification_settings(request: HttpRequest) -> dict[str, Any]:
    return {"email": notification_settings_get(caller(request))}


@router.patch(
    "/me/notification-settings",
    response=NotificationSettingsOut,
    summary="Turn kinds of e-mail on or off (only the fields sent change)",
)
def update_notification_settings(
    request: HttpRequest, payload: NotificationSettingsIn
) -> dict[str, Any]:
    changes = payload.email.model_dump(exclude_none=True)
    return {"email": notification_settings_update(customer=caller(request), changes=changes)}
