"""A partner provides several categories (Provision); categories can be retired.

Each listing's single category becomes the first of its set (position 0)."""

import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def one_to_first(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    listing_model = apps.get_model("partners", "Listing")
    provision_model = apps.get_model("partners", "Provision")
    provision_model.objects.bulk_create(
        provision_model(listing_id=pk, category_id=category, position=0)
        for pk, category in listing_model.objects.values_list("pk", "category_id")
    )


def first_to_one(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    listing_model = apps.get_model("partners", "Listing")
    provision_model = apps.get_model("partners", "Provision")
    for listing in listing_model.objects.all():
        first = (
            provision_model.objects.filter(listing=listing)
            .order_by("position", "category_id")
            .first()
        )
        if first is None:
            listing.delete()  # a listing needs a category before this migration
            continue
        listing.category_id = first.category_id
        listing.save(update_fields=["category"])


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="retired",
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name="Provision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="provisions",
                        to="partners.category",
                    ),
                ),
                (
                    "listing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="provisions",
                        to="partners.listing",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "category_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("listing", "category"), name="partner_provision_once"
                    )
                ],
            },
        ),
        # Reversed: the old column comes back nullable, is filled, then required again.
        migrations.AlterField(
            model_name="listing",
            name="category",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="listings",
                to="partners.category",
            ),
        ),
        migrations.RunPython(one_to_first, first_to_one),
        migrations.RemoveField(model_name="listing", name="category"),
        migrations.AddField(
            model_name="listing",
            name="categories",
            field=models.ManyToManyField(
                related_name="listings", through="partners.Provision", to="partners.category"
            ),
        ),
    ]
