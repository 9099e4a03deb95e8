"""Customers (people who log in), companies, business units and company users (spec §1)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy


class CustomerManager(BaseUserManager["Customer"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> Customer:
        if not email:
            raise ValueError("An e-mail address is required.")
        customer = self.model(email=self.normalize_email(email).lower(), **fields)
        customer.set_password(password)
        customer.save(using=self._db)
        return customer

    def create_superuser(
        self, email: str, password: str | None = None, **fields: object
    ) -> Customer:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class Customer(AbstractBaseUser, PermissionsMixin):
    """A person with an account. B2C customers have no company user."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Part of the session hash (get_session_auth_hash): raising it ends every session, as a
    # password change does (accounts.services.credentials_changed).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The cart "add to cart" goes to. Validated on every read (see carts.selectors), so a lost
    # grant never leaves someone writing into a cart they no longer see.
    active_cart = models.ForeignKey(
        "carts.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The language the customer last chose in the shop (header switcher), used for what reaches
    # them outside a request: e-mails. Blank: unknown (LANGUAGE_CODE then).
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)

    objects = CustomerManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def get_session_auth_hash(self) -> str:
        """Sessions remember this; it changes with the password and with `session_generation`
        ("log out everywhere"), so either ends every session made before."""
        return self._session_hash(None)

    def get_session_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str | bytes | None) -> str:
        return salted_hmac(
            "cartshare.accounts.Customer.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Company(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = gettext_lazy("companies")

    def __str__(self) -> str:
        return self.name


class BusinessUnit(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="business_units")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["company__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="unique_unit_name_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.company.name} / {self.name}"


class CompanyUser(models.Model):
    """A customer's membership of one business unit. Deactivating it ends all shared rights."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="company_user")
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, related_name="company_users"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["customer__name"]

    def __str__(self) -> str:
        return f"{self.customer.name} ({self.business_unit})"


class AccessToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored: a database dump alone does not
    yield a working token."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="access_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self) -> str:
        return f"Access token of {self.customer_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class RateLimitCounter(models.Model):
    """One fixed window of one rate limit (cartshare.common.ratelimit), when the cache is not
    Redis. `bucket` is the SHA-256 of scope, key and window, so neither e-mail addresses nor
    client addresses are stored in clear. Counted with one atomic upsert
    (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`), never a read then a write."""

    bucket = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.BigIntegerField(db_index=True)  # Unix time; ended rows are deleted

    def __str__(self) -> str:
        return f"{self.count} until {self.window_ends}"


class IdempotentRequest(models.Model):
    """A POST's `Idempotency-Key` and its first (2xx) answer (cartshare/api/conditional.py).
    Written in the transaction of the work the request does, so the key exists exactly when the
    work was committed: a retry after a rollback does the work, a retry after a commit gets
    the answer again. The key is kept as its SHA-256, the answer encrypted (`sealing`)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)  # method, address and body, keyed (HMAC)
    status_code = models.PositiveSmallIntegerField(null=True)  # set before the commit
    sealed_response = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "key_hash"], name="idempotent_request_one_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"Idempotency-Key of {self.customer_id} from {self.created_at:%Y-%m-%d %H:%M}"
