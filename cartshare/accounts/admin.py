"""Back office for customers, companies, business units and company users (spec §1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    BaseUserCreationForm,
    UserChangeForm,
)
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.accounts.authentication import (
    InvalidCredentials,
    TooManyAttempts,
    customer_authenticate,
)
from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
from cartshare.accounts.services import credentials_changed
from cartshare.live.bus import people_access_changed


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's log-in checks the credentials with the shop's one service: the same e-mail
    normalisation and the same rate rule as the log-in page and the API."""

    def clean(self) -> dict[str, Any]:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            client = self.request if self.request is not None else "unknown"
            try:
                self.user_cache = customer_authenticate(client, email, password)
            except TooManyAttempts as error:
                raise ValidationError(error.message, code="too_many_attempts") from error
            except InvalidCredentials as error:
                raise self.get_invalid_login_error() from error
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm


def _email_unique(form: forms.ModelForm, email: str) -> str:
    """E-mail addresses log in without regard to case, so they must be unique without it."""
    email = email.strip().lower()
    others = Customer.objects.filter(email__iexact=email)
    if form.instance.pk is not None:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise ValidationError(_("A customer with this e-mail address exists already."))
    return email


class CustomerCreationForm(BaseUserCreationForm):
    class Meta:
        model = Customer
        fields = ("email", "name")

    def clean_email(self) -> str:
        return _email_unique(self, self.cleaned_data["email"])


class CustomerChangeForm(UserChangeForm):
    class Meta:
        model = Customer
        fields = "__all__"

    def clean_email(self) -> str:
        return _email_unique(self, self.cleaned_data["email"])


class CompanyUserInline(admin.StackedInline):
    model = CompanyUser
    extra = 0
    max_num = 1
    can_delete = True
    fields = ("business_unit", "is_active")
    autocomplete_fields = ("business_unit",)


class CustomerPasswordChangeForm(AdminPasswordChangeForm):
    """A password set by staff is a password change like the customer's own: every session and
    every API token of the account stops working (accounts.services.credentials_changed)."""

    def save(self, commit: bool = True) -> Customer:
        customer = super().save(commit=commit)
        assert isinstance(customer, Customer)
        if commit:
            credentials_changed(customer)
        return customer


@admin.register(Customer)
class CustomerAdmin(UserAdmin):
    form = CustomerChangeForm
    change_password_form = CustomerPasswordChangeForm
    add_form = CustomerCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (gettext_lazy("Personal info"), {"fields": ("name", "active_cart")}),
        (
            gettext_lazy("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )
    list_display = ("email", "name", "company_unit", "is_active", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "company_user__business_unit__company")
    list_select_related = ("company_user__business_unit__company",)
    search_fields = ("email", "name")
    ordering = ("email",)
    raw_id_fields = ("active_cart",)
    readonly_fields = ("last_login", "date_joined")
    inlines = (CompanyUserInline,)

    @admin.display(
        description=gettext_lazy("Company / unit"), ordering="company_user__business_unit"
    )
    def company_unit(self, customer: Customer) -> str:
        company_user = getattr(customer, "company_user", None)
        return str(company_user.business_unit) if company_user else "— (B2C)"

    def get_inlines(
        self, request: HttpRequest, obj: Customer | None
    ) -> tuple[type[InlineModelAdmin[Any, Any]], ...]:
        return tuple(self.inlines) if obj is not None else ()

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formsets: list[Any],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        if change:  # active or not, and their company user's unit: open streams ask again
            people_access_changed([form.instance.pk])


class BusinessUnitInline(admin.TabularInline):
    model = BusinessUnit
    extra = 1
    fields = ("name",)
    show_change_link = True


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "unit_names")
    search_fields = ("name",)
    inlines = (BusinessUnitInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Company]:
        return super().get_queryset(request).prefetch_related("business_units")

    @admin.display(description=gettext_lazy("Business units"))
    def unit_names(self, company: Company) -> str:
        return ", ".join(unit.name for unit in company.business_units.all())


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "company")
    list_filter = ("company",)
    list_select_related = ("company",)
    search_fields = ("name", "company__name")
    autocomplete_fields = ("company",)


@admin.register(CompanyUser)
class CompanyUserAdmin(admin.ModelAdmin):
    """Deactivating a company user or moving them to another unit takes away every right they
    had through sharing on their next request: the sharing policy checks both on every read."""

    list_display = ("customer_name", "customer_email", "business_unit", "is_active", "created_at")
    list_editable = ("business_unit", "is_active")
    list_filter = ("business_unit", "is_active")
    list_select_related = ("customer", "business_unit__company")
    search_fields = ("customer__email", "customer__name", "business_unit__name")
    autocomplete_fields = ("customer", "business_unit")

    def save_model(
        self,
        request: HttpRequest,
        obj: CompanyUser,
        form: forms.ModelForm,
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        if change:  # deactivated or moved: the open streams of their carts ask the policy again
            people_access_changed([obj.customer_id])

    @admin.display(description=gettext_lazy("Name"), ordering="customer__name")
    def customer_name(self, company_user: CompanyUser) -> str:
        return company_user.customer.name

    @admin.display(description=gettext_lazy("E-mail"), ordering="customer__email")
    def customer_email(self, company_user: CompanyUser) -> str:
        return company_user.customer.email

    def formfield_for_foreignkey(
        self,
        db_field: ForeignKey[Any, Any],
        request: HttpRequest,
        **kwargs: Any,  # noqa: ANN401
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "business_unit":
            kwargs["queryset"] = BusinessUnit.objects.select_related("company")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
