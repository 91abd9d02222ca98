"""The search indexes: FTS5 trigram and bigram tables on SQLite; pg_trgm GIN indexes on PostgreSQL when available."""
from django.db import migrations

FTS = ("CREATE VIRTUAL TABLE IF NOT EXISTS catalog_item_fts USING fts5("
       "title, doc_number, index_no, content, tags, tokenize='trigram')")


BIGRAM = "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_item_bigram USING fts5(grams, detail=none)"


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            cur.execute(FTS)
            cur.execute(BIGRAM)
        elif conn.vendor == "postgresql":
            cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cur.fetchone() is None:
                return
            try:
                cur.execute("SAVEPOINT gk_trgm")
                cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                for col in ("title", "text"):
                    cur.execute(f"CREATE INDEX IF NOT EXISTS catalog_item_{col}_trgm "
                                f"ON catalog_item USING gin (UPPER({col}) gin_trgm_ops)")
                cur.execute("RELEASE SAVEPOINT gk_trgm")
            except Exception:  # noqa: BLE001 — no right to create the extension: ILIKE still works, unindexed
                cur.execute("ROLLBACK TO SAVEPOINT gk_trgm")


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            cur.execute("DROP TABLE IF EXISTS catalog_item_fts")
            cur.execute("DROP TABLE IF EXISTS catalog_item_bigram")
        elif conn.vendor == "postgresql":
            cur.execute("DROP INDEX IF EXISTS catalog_item_title_trgm")
            cur.execute("DROP INDEX IF EXISTS catalog_item_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
