"""PostgreSQL: the GIN index rebuilt over the tsvector that django.contrib.postgres.search writes.

Search now asks through Django's SearchVector, whose SQL differs from 0002's hand-written
expression (it wraps each column in COALESCE and casts the configuration to regconfig).
PostgreSQL uses an expression index only for that same expression, so the index is built
from the same Django expression as cluetrain.search.backends.postgres_search_vector, written
out again here because a migration must not change when the code does.
"""

from importlib import import_module

from django.apps.registry import Apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

_0002 = import_module("cluetrain.search.migrations.0002_fulltext_index")
INDEX_NAME = "search_entry_fts_idx"


def _index() -> GinIndex:
    return GinIndex(
        SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english"),
        name=INDEX_NAME,
    )


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.add_index(apps.get_model("search", "SearchEntry"), _index())


def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    for statement in _0002.POSTGRES_FORWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fulltext_in_one_go")]
    operations = [migrations.RunPython(forward, backward)]
