"""Forms for logging in, registering and changing the password. They only check input; creating
the customer is cartshare.accounts.services' job."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cartshare.accounts.authentication import (
    InvalidCredentials,
    TooManyAttempts,
    customer_authenticate,
)
from cartshare.accounts.models import Customer

NAME_MAX_LENGTH = Customer._meta.get_field("name").max_length
EMAIL_MAX_LENGTH = 254
PASSWORD_HELP = _("At least 8 characters, not only digits, not too close to your name or e-mail.")


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    WRONG_CREDENTIALS = _(
        "That e-mail and password do not match an account. Check both and try again "
        "(the password is case-sensitive)."
    )

    def __init__(
        self,
        request: HttpRequest | None = None,
        *args: Any,  # noqa: ANN401 (the arguments of Django's Form)
        **kwargs: Any,  # noqa: ANN401
    ) -> None:
        self.request = request
        self.customer: Customer | None = None
        self.retry_after: int | None = None  # set when the attempt was refused as too many
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password and self.request is not None:
            # One service for the page, the API and the admin: e-mail matched without regard
            # to case, failed attempts rate-limited per client and per account.
            try:
                self.customer = customer_authenticate(self.request, email, password)
            except TooManyAttempts as error:
                self.retry_after = error.retry_after
                raise ValidationError(error.message, code="too_many_attempts") from error
            except InvalidCredentials as error:
                raise ValidationError(self.WRONG_CREDENTIALS, code="invalid_login") from error
        return cleaned


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Enter your name."),
            "max_length": _("Your name can have at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, like name@example.com."),
            "max_length": _("An e-mail address can have at most %(limit_value)d characters."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Choose a password.")},
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        error_messages={"required": _("Enter the password a second time.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Customer.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "There is already an account with this e-mail address. Log in instead, "
                    "or use another address."
                ),
                code="email_taken",
            )
        return email

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same. Type them again."))
        elif password1:
            candidate = Customer(email=cleaned.get("email") or "", name=cleaned.get("name") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (checks the current password, runs the validators) with our labels."""

    def __init__(
        self,
        *args: Any,  # noqa: ANN401 (the arguments of Django's PasswordChangeForm)
        **kwargs: Any,  # noqa: ANN401
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].error_messages["required"] = _("Enter your current password.")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password1"].error_messages["required"] = _("Choose a new password.")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = _(
            "Enter the new password a second time."
        )
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("Your current password is not correct. Type it again."),
            "password_mismatch": _("The two new passwords are not the same. Type them again."),
        }
