"""Full-text index of library items: FTS5 on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE library_fts USING fts5(search_text, content='library_libraryitem',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER library_fts_insert AFTER INSERT ON library_libraryitem BEGIN"
    " INSERT INTO library_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER library_fts_delete AFTER DELETE ON library_libraryitem BEGIN"
    " INSERT INTO library_fts(library_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER library_fts_update AFTER UPDATE ON library_libraryitem BEGIN"
    " INSERT INTO library_fts(library_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO library_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO library_fts(library_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS library_fts_insert",
    "DROP TRIGGER IF EXISTS library_fts_delete",
    "DROP TRIGGER IF EXISTS library_fts_update",
    "DROP TABLE IF EXISTS library_fts",
]
POSTGRES = [
    "CREATE INDEX library_search_gin ON library_libraryitem USING GIN"
    " (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS library_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
