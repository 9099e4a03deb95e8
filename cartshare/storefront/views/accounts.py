"""Login, logout, registration and password change. Creating a customer (and their first cart)
is cartshare.accounts.services' job; these views only parse input and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cartshare.accounts.recovery import registration_attempted_for_existing
from cartshare.accounts.services import customer_register
from cartshare.common.ratelimit import client_address, rate_limit_hit
from cartshare.storefront.errors import safe_next
from cartshare.storefront.forms_accounts import LoginForm, PasswordChangeForm, RegistrationForm

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


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
        email = request.POST.get("email", "").strip().lower()[:254]
        decision = rate_limit_hit(
            scope="login",
            key=f"{client_address(request)}:{email}",
            rate=settings.CARTSHARE_LOGIN_RATE_LIMIT,
        )
        if not decision.allowed:
            messages.error(
                request,
                f"Too many login attempts. Wait {decision.retry_after} seconds and try again.",
            )
            response = render(
                request,
                "storefront/accounts/login.html",
                {
                    "form": LoginForm(request, initial={"email": email}),
                    "next": _next_field(request),
                },
                status=429,
            )
            response["Retry-After"] = str(decision.retry_after)
            return response
        if form.is_valid() and form.customer is not None:  # clean() found the customer
            login(request, form.customer)
            messages.success(request, f"Welcome back, {form.customer.name}.")
            return redirect(safe_next(request, _home()))
        status = 400
    return render(
        request,
        "storefront/accounts/login.html",
        {"form": form, "next": _next_field(request), "demo_hint": settings.DEBUG},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks (a link must never log anyone out); POST logs out."""
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect(_home())
        return render(request, "storefront/accounts/logout.html")
    logout(request)
    messages.success(request, "You are logged out. See you soon.")
    return redirect(_home())


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        messages.info(request, f"You are logged in as {request.user.email} already.")
        return redirect(_home())
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
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
                form.add_error("email", "There is already an account with this e-mail address.")
            else:
                login(request, customer, backend=MODEL_BACKEND)
                messages.success(
                    request,
                    f"Welcome to Cartshare, {customer.name}. Your first cart, “My cart”, is ready.",
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
            update_session_auth_hash(request, form.user)
            messages.success(request, "Your password has been changed.")
            return redirect("storefront:password_change")
        status = 400
    return render(
        request, "storefront/accounts/password_change.html", {"form": form}, status=status
    )
