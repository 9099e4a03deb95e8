from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def existing_rows_at_the_current_version(apps, schema_editor):
    """Older rows get their cart's current version: the version they produced is unknown, so a
    stale edit made on a page loaded before this migration is refused, as it was before."""
    CartActivity = apps.get_model("activity", "CartActivity")
    Cart = apps.get_model("carts", "Cart")
    CartActivity.objects.filter(cart_version__isnull=True).update(
        cart_version=Subquery(Cart.objects.filter(pk=OuterRef("cart_id")).values("version")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("carts", "0004_item_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="cartactivity",
            name="cart_version",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="cartactivity",
            index=models.Index(fields=["cart", "cart_version"], name="activity_cart_version"),
        ),
        migrations.RunPython(existing_rows_at_the_current_version, migrations.RunPython.noop),
    ]
