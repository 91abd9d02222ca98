"""On PostgreSQL the audit log is append-only in the database too: a trigger refuses UPDATE and DELETE of
audit rows (except setting ``actor_id`` to NULL when a user is removed; ``actor_name`` keeps who it was).
TRUNCATE (used by the test runner's flush) is not affected. SQLite gets its triggers in 0004."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION gongkai_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = '审计日志只能追加，不能修改或删除：' || TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER gongkai_audit_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION gongkai_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS gongkai_audit_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS gongkai_audit_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
