"""PostgreSQL: keep each item's tsvector in a column that a trigger maintains, indexed by GIN.

The expression index of 0002 only served ``@@`` on ``to_tsvector(search_text)``;
ranking still parsed every row's text on every query (1.9 s at 50,000 items).
A stored, indexed tsvector lets search match through the index and rank only
the matching rows. SQLite keeps its FTS5 table; nothing changes there. The
column is not a model field: only search reads it, and the trigger writes it.
"""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE library_libraryitem ADD COLUMN search_vector tsvector",
    "UPDATE library_libraryitem"
    " SET search_vector = to_tsvector('simple'::regconfig, COALESCE(search_text, ''))",
    "CREATE TRIGGER library_search_vector_update BEFORE INSERT OR UPDATE OF search_text"
    " ON library_libraryitem FOR EACH ROW EXECUTE FUNCTION"
    " tsvector_update_trigger(search_vector, 'pg_catalog.simple', search_text)",
    "CREATE INDEX library_search_vector_gin ON library_libraryitem USING GIN (search_vector)",
    "DROP INDEX IF EXISTS library_search_gin",
]
POSTGRES_DROP = [
    "CREATE INDEX library_search_gin ON library_libraryitem USING GIN"
    " (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
    "DROP INDEX IF EXISTS library_search_vector_gin",
    "DROP TRIGGER IF EXISTS library_search_vector_update ON library_libraryitem",
    "ALTER TABLE library_libraryitem DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0003_index_updated_at")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_DROP))]
