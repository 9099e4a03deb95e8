"""Domain errors → storefront responses, in one place: which page, which status, which title."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy

from cartshare.common.database import RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE
from cartshare.common.errors import CartDeleted, DomainError, NotFound, PermissionDenied
from cartshare.common.headers import share_headers_set

ERROR_TITLES = {
    403: "You can't do that here",
    404: "Not found",
    409: "That is not possible right now",
    410: "No longer available",
    412: "This page is out of date",
    429: "Slow down a little",
}
# The pages of /share/{token}: what happened to the link, in the visitor's words.
LINK_PROBLEM_TITLES = {
    401: gettext_lazy("Please log in"),
    403: gettext_lazy("This link is not for your account"),
    404: gettext_lazy("This link does not exist"),
    409: gettext_lazy("That is not possible any more"),
    410: gettext_lazy("This link no longer works"),
    422: gettext_lazy("That is not possible"),
    429: gettext_lazy("Slow down a little"),
}


def _with_retry_after(response: HttpResponse, error: DomainError) -> HttpResponse:
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(int(retry_after))
    return response


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A full page for errors that leave nothing to go back to (404, 403)."""
    response = render(
        request,
        "storefront/error.html",
        {"title": ERROR_TITLES.get(error.status, "Something went wrong"), "error": error},
        status=error.status,
    )
    return _with_retry_after(response, error)


def unavailable_page(request: HttpRequest) -> HttpResponse:
    """503 while the database does not answer (spec §14), in the shop's look. Rendered without
    the request, so no context processor runs: no session, no user, no active cart, nothing
    that needs the database. "Try again" repeats a GET; after a form post it goes to the shop,
    since the post changed nothing."""
    retry_url = (
        request.get_full_path()
        if request.method in {"GET", "HEAD"}
        else reverse("storefront:product_list")
    )
    body = render_to_string(
        "storefront/unavailable.html",
        {
            "title": "The shop is busy for a moment",
            "message": UNAVAILABLE_MESSAGE,
            "retry_url": retry_url,
        },
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Kept out of caches and search engines, and no Referer: the address may hold a share
    # token (a /share/ page whose own middleware failed never adds these itself).
    return share_headers_set(response)


def link_problem_page(
    request: HttpRequest, error: DomainError, *, offer: dict[str, object] | None = None
) -> HttpResponse:
    """The 403/404/409/410/422/429 pages of /share/: what happened and what to do (`offer`:
    "Request access", on the page of a dead internal link, for whoever may ask)."""
    cart_deleted = isinstance(error, CartDeleted)
    title = (
        gettext("This cart is no longer available")
        if cart_deleted
        else LINK_PROBLEM_TITLES.get(error.status, gettext_lazy("Something went wrong"))
    )
    response = render(
        request,
        "storefront/links/problem.html",
        {
            "title": title,
            "message": error.message,
            "status": error.status,
            "cart_deleted": cart_deleted,
            "offer": offer,
        },
        status=error.status,
    )
    return _with_retry_after(response, error)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """A relative, same-host `next` from the form or query string, else `fallback`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def back_with_error(request: HttpRequest, error: DomainError, fallback: str) -> HttpResponse:
    """For form posts: not-found and forbidden get their page; anything else is shown as a
    message on the page the person came from, with their data untouched."""
    if isinstance(error, NotFound | PermissionDenied):
        return error_page(request, error)
    messages.error(request, error.message)
    return redirect(safe_next(request, fallback))
