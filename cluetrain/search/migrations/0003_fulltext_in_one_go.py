"""SQLite: bulk writers may add new search entries to the FTS5 index in one statement.

The triggers of 0002 index one row at a time, each run a statement of its own, after which
FTS5 writes its pending terms out. 20,000 entries written through the trigger took 2.7
billion machine instructions, through one INSERT … SELECT into the index 2.0 (valgrind; in
the twcs import, 0.18 billion fewer of 7.3). While search_fts_pending holds a row, which a
bulk writer puts there and takes out again inside its own transaction
(search.indexing.fulltext_at_end), entries from its `first_id` on are not indexed yet: the
triggers leave them, updated or deleted, to the writer, which indexes those that remain in
one go before it commits.
"""

from importlib import import_module

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

_0002 = import_module("cluetrain.search.migrations.0002_fulltext_index")
_INDEXED_NOW = "NOT EXISTS (SELECT 1 FROM search_fts_pending WHERE {row}.id >= first_id)"

SQLITE_FORWARD = [
    "CREATE TABLE search_fts_pending (first_id integer NOT NULL)",
    "DROP TRIGGER search_fts_ai",
    "DROP TRIGGER search_fts_ad",
    "DROP TRIGGER search_fts_au",
    f"""CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry
    WHEN {_INDEXED_NOW.format(row="new")} BEGIN
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry
    WHEN {_INDEXED_NOW.format(row="old")} BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    f"""CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry
    WHEN {_INDEXED_NOW.format(row="old")} BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]
# Back to 0002's triggers, which index each row as it is written.
SQLITE_BACKWARD = [
    "DROP TRIGGER search_fts_ai",
    "DROP TRIGGER search_fts_ad",
    "DROP TRIGGER search_fts_au",
    *[sql for sql in _0002.SQLITE_FORWARD if sql.startswith("CREATE TRIGGER")],
    "DROP TABLE search_fts_pending",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]
    operations = [migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD))]
