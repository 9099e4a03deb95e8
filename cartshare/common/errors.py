"""Domain errors: raised by services and policies, mapped to HTTP once per front door."""


class DomainError(Exception):
    """A refusal a person can act on; `message` is shown to them as it is."""

    status = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    """The input breaks a rule (quantity range, name length, unknown SKU)."""

    status = 422


class NotFound(DomainError):
    """Unknown, or not visible to the caller: the two are indistinguishable on purpose."""

    status = 404


class PermissionDenied(DomainError):
    """The caller can see the object but their access level does not allow the action."""

    status = 403


class Conflict(DomainError):
    """The object's state forbids the action (ordered cart, last own cart, already shared)."""

    status = 409


class StaleVersion(DomainError):
    """The change was based on an older version of the cart than the current one."""

    status = 412

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class Gone(DomainError):
    """The thing existed but is no longer usable (revoked or expired link, deleted cart)."""

    status = 410


class CartDeleted(Gone):
    """A share link whose cart has been deleted."""


class RateLimited(DomainError):
    """Too many requests from this client; `retry_after` says how many seconds to wait."""

    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LoginRequired(DomainError):
    """The action needs a logged-in person (an internal share link opened anonymously)."""

    status = 401
