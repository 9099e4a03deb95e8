"""Domain errors: raised by services and policies, mapped to HTTP once per front door.

Every error carries a stable machine-readable `code` (`ErrorCode`): the API sends it in its
problems (docs/api.md, "Problem codes"); the pages show only the message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ErrorCode(StrEnum):
    """Stable reasons for a refusal. Values never change within API v1; new ones may be added
    (clients treat an unknown code like the generic code of its HTTP status)."""

    # generic, one per status: what an error says when nothing more specific applies
    MALFORMED_REQUEST = "malformed_request"
    AUTHENTICATION_REQUIRED = "authentication_required"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    GONE = "gone"
    STALE_VERSION = "stale_version"
    BODY_TOO_LARGE = "body_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_ERROR = "validation_error"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"
    # specific
    INVALID_CREDENTIALS = "invalid_credentials"
    LINK_OTHER_UNIT = "link_other_unit"
    CART_ORDERED = "cart_ordered"
    CART_EMPTY = "cart_empty"
    CART_NOT_FILLABLE = "cart_not_fillable"
    LAST_CART = "last_cart"
    CART_FULL = "cart_full"
    PRODUCT_UNAVAILABLE = "product_unavailable"
    ALREADY_SHARED = "already_shared"
    ACCESS_REQUEST_PENDING = "access_request_pending"
    ACCESS_REQUEST_CLOSED = "access_request_closed"
    LINK_REVOKED = "link_revoked"
    LINK_EXPIRED = "link_expired"
    CART_DELETED = "cart_deleted"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"


class DomainError(Exception):
    """A refusal a person can act on; `message` is shown to them as it is; `code` says why for
    programs (the class's own code unless the raiser names a more specific one).

    The message may be lazy (a module's `gettext_lazy` constant): it is turned into text when
    the error is made, during the request, so it is in the language of the person asking."""

    status = 400
    code = ErrorCode.MALFORMED_REQUEST

    def __init__(
        self,
        message: StrOrPromise,
        *,
        errors: Mapping[str, Sequence[StrOrPromise]] | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        text = str(message)
        super().__init__(text)
        self.message = text
        self.errors: dict[str, list[str]] = {
            field: [str(each) for each in messages] for field, messages in (errors or {}).items()
        }
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """The input breaks a rule (quantity range, name length, unknown SKU)."""

    status = 422
    code = ErrorCode.VALIDATION_ERROR


class NotFound(DomainError):
    """Unknown, or not visible to the caller: the two are indistinguishable on purpose."""

    status = 404
    code = ErrorCode.NOT_FOUND


class PermissionDenied(DomainError):
    """The caller can see the object but their access level does not allow the action."""

    status = 403
    code = ErrorCode.FORBIDDEN


class Conflict(DomainError):
    """The object's state forbids the action (ordered cart, last own cart, already shared)."""

    status = 409
    code = ErrorCode.CONFLICT


class StaleVersion(DomainError):
    """The change was based on an older version of the cart than the current one."""

    status = 412
    code = ErrorCode.STALE_VERSION

    def __init__(self, message: StrOrPromise, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class Gone(DomainError):
    """The thing existed but is no longer usable (revoked or expired link, deleted cart)."""

    status = 410
    code = ErrorCode.GONE


class CartDeleted(Gone):
    """A share link whose cart has been deleted."""

    code = ErrorCode.CART_DELETED


class RateLimited(DomainError):
    """Too many requests from this client; `retry_after` says how many seconds to wait."""

    status = 429
    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: StrOrPromise, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LoginRequired(DomainError):
    """The action needs a logged-in person (an internal share link opened anonymously)."""

    status = 401
    code = ErrorCode.AUTHENTICATION_REQUIRED
