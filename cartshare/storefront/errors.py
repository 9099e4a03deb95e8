"""Domain errors → storefront responses, in one place."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from cartshare.common.errors import DomainError, NotFound, PermissionDenied

ERROR_TITLES = {
    403: "You can't do that here",
    404: "Not found",
    409: "That is not possible right now",
    410: "No longer available",
    412: "This page is out of date",
}


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A full page for errors that leave nothing to go back to (404, 403)."""
    return render(
        request,
        "storefront/error.html",
        {"title": ERROR_TITLES.get(error.status, "Something went wrong"), "error": error},
        status=error.status,
    )


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
