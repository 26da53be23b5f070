from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def create_community_source(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Source = apps.get_model("sources", "Source")
    Source.objects.get_or_create(
        slug="community", defaults={"name": "Community", "kind": "community"}
    )


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(create_community_source, migrations.RunPython.noop)]
