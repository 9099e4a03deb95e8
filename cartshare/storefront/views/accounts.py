"""Login, logout, registration and password change. Creating a customer (and their first cart)
is cartshare.accounts.services' job; these views only parse input and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cartshare.accounts.models import Customer
from cartshare.accounts.recovery import registration_attempted_for_existing
from cartshare.accounts.services import FIRST_CART_NAME, credentials_changed, customer_register
from cartshare.common.ratelimit import client_address, rate_limit_hit
from cartshare.storefront.errors import safe_next
from cartshare.storefront.forms_accounts import (
    NAME_MAX_LENGTH,
    LoginForm,
    PasswordChangeForm,
    RegistrationForm,
)
from cartshare.storefront.views.links import (
    OPENED_LINKS,
    link_waiting_for_login,
    opened_link_keep,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
REGISTRATION_SCOPE = "register"


def registration_throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many registration attempts from your network in a short time. "
        "Wait %(minutes)d minute, then try again. "
        "If you have an account already, log in instead.",
        "Too many registration attempts from your network in a short time. "
        "Wait %(minutes)d minutes, then try again. "
        "If you have an account already, log in instead.",
        minutes,
    ) % {"minutes": minutes}


def _home() -> str:
    return reverse("storefront:product_list")


def _next_field(request: HttpRequest) -> str:
    """The `next` to carry through a form: only a safe one, so a foreign URL is never echoed."""
    return safe_next(request, "")


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(safe_next(request, _home()))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.customer is not None:  # clean() found the customer
            login(request, form.customer)
            messages.success(request, _("Welcome back, %(name)s.") % {"name": form.customer.name})
            return redirect(safe_next(request, _home()))
        status = 400 if form.retry_after is None else 429
    response = render(
        request,
        "storefront/accounts/login.html",
        {
            "form": form,
            "next": _next_field(request),
            "demo_hint": settings.DEBUG,
            "waiting": link_waiting_for_login(request),
        },
        status=status,
    )
    if form.retry_after is not None:
        response["Retry-After"] = str(form.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks (a link must never log anyone out); POST logs out."""
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect(_home())
        return render(request, "storefront/accounts/logout.html")
    back_to = safe_next(request, "")
    opened = list(request.session.get(OPENED_LINKS, []))
    logout(request)
    if back_to:  # "Log in with another account": the log-in comes back to where they were
        opened_link_keep(request, back_to, opened)
        messages.success(request, _("You are logged out. Log in with the other account to go on."))
        return redirect_to_login(back_to, resolve_url(settings.LOGIN_URL))
    messages.success(request, _("You are logged out. See you soon."))
    return redirect(_home())


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        messages.info(
            request,
            _("You are logged in as %(email)s already.") % {"email": request.user.email},
        )
        return redirect(_home())
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        # Per client address, every attempt: the form tells whether an address has an account
        # (helpful), so how often one client may ask is limited.
        decision = rate_limit_hit(
            scope=REGISTRATION_SCOPE,
            key=client_address(request),
            rate=settings.CARTSHARE_REGISTRATION_RATE_LIMIT,
        )
        if not decision.allowed:
            response = render(
                request,
                "storefront/accounts/register.html",
                {
                    "form": RegistrationForm(
                        initial={"name": request.POST.get("name", "")[:NAME_MAX_LENGTH]}
                    ),
                    "next": _next_field(request),
                    "throttled": registration_throttled_message(decision.retry_after),
                },
                status=429,
            )
            response["Retry-After"] = str(decision.retry_after)
            return response
        if form.has_error("email", "email_taken"):
            registration_attempted_for_existing(
                email=request.POST.get("email", ""), client=client_address(request)
            )
        if form.is_valid():
            try:
                customer = customer_register(
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                )
            except IntegrityError:  # registered by someone else a moment ago
                form.add_error("email", _("There is already an account with this e-mail address."))
            else:
                login(request, customer, backend=MODEL_BACKEND)
                messages.success(
                    request,
                    _("Welcome to Cartshare, %(name)s. Your first cart, “%(cart)s”, is ready.")
                    % {"name": customer.name, "cart": FIRST_CART_NAME},
                )
                return redirect(safe_next(request, _home()))
        status = 400
    return render(
        request,
        "storefront/accounts/register.html",
        {"form": form, "next": _next_field(request)},
        status=status,
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            if isinstance(form.user, Customer):
                credentials_changed(form.user, keep_session_key=request.session.session_key)
            update_session_auth_hash(request, form.user)
            messages.success(
                request,
                _(
                    "Your password has been changed. You were logged out everywhere else, "
                    "and every API access token of your account stopped working."
                ),
            )
            return redirect("storefront:password_change")
        status = 400
    return render(
        request, "storefront/accounts/password_change.html", {"form": form}, status=status
    )


@login_required
@require_http_methods(["POST"])
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """Ends every session of the account (this one too) and every API access token."""
    if isinstance(request.user, Customer):  # login_required
        credentials_changed(request.user)
    logout(request)
    messages.success(
        request,
        _(
            "You are logged out everywhere: on every device, and every API access token of "
            "your account stopped working."
        ),
    )
    return redirect(_home())
