"""`manage.py load_demo`: the demo companies, people, carts and catalog (safe to run again)."""

from django.core.management.base import BaseCommand

from cartshare.accounts.management.demo import PASSWORD, load_demo_data
from cartshare.accounts.models import Customer
from cartshare.catalog.models import Product


class Command(BaseCommand):
    help = "Load the demo data. Running it again changes nothing."

    def handle(self, *args: object, **options: object) -> None:
        load_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Product.objects.count()} products, "
                f"{Customer.objects.count()} customers. "
                f"Log in as alice@acme.example with the password {PASSWORD}."
            )
        )
