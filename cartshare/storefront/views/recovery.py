"""Forgotten password pages: ask for the mail (the same answer whether or not the address has
an account), then Django's reset-confirm view in the shop's look. The rules and the mail are in
cartshare.accounts.recovery."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cartshare.accounts.recovery import password_reset_done, password_reset_request
from cartshare.common.errors import RateLimited
from cartshare.common.ratelimit import client_address
from cartshare.storefront.errors import error_page

SENT_MESSAGE = gettext_lazy(
    "If %(email)s belongs to an account, we have sent it a link to choose a new password. "
    "It works once, for 3 days. No mail? Check the address and your spam folder."
)
SENT_MESSAGE_WITHOUT_ADDRESS = gettext_lazy(
    "If your address belongs to an account, we have sent it a link to choose a new password. "
    "It works once, for 3 days. No mail? Check the address and your spam folder."
)


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter your e-mail address."),
            "invalid": gettext_lazy("Enter a valid e-mail address, like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


@require_http_methods(["GET", "POST"])
def password_reset_request_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            password_reset_request(email=email, client=client_address(request))
        except RateLimited as error:
            return error_page(request, error)
        request.session["password_reset_email"] = email
        return redirect("storefront:password_reset_sent")
    status = 400 if request.method == "POST" else 200
    return render(request, "storefront/accounts/password_reset.html", {"form": form}, status=status)


@require_http_methods(["GET"])
def password_reset_sent_view(request: HttpRequest) -> HttpResponse:
    email = request.session.get("password_reset_email")
    message = SENT_MESSAGE % {"email": email} if email else str(SENT_MESSAGE_WITHOUT_ADDRESS)
    return render(request, "storefront/accounts/password_reset_sent.html", {"message": message})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view (token checked, one use, `PASSWORD_RESET_TIMEOUT`), in our look; after
    the new password every other session and API token of the account stops working."""

    template_name = "storefront/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("storefront:password_reset_complete")
    form_class = SetPasswordForm

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_done(form.user)
        return response

    def get_context_data(self, **kwargs: object) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = (
            _("Choose a new password") if context.get("validlink") else _("Link no longer valid")
        )
        return context


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "storefront/accounts/password_reset_complete.html"
