"""Every entry is in the chain (``seq`` required and unique), and on SQLite the audit log is append-only in the
database too (issue 13, point 7): triggers refuse UPDATE and DELETE of audit rows, except setting ``actor_id`` to
NULL when a user is removed — the same rule as PostgreSQL's trigger (0002).

Caution: SQLite rebuilds a table for most ALTERs (a new table, copied, renamed), and the rebuild drops its
triggers. A later migration that alters ``audit_auditentry`` must create them again (``create_sqlite_triggers``);
tests/web/test_audit_chain.py checks that they are in place after all migrations."""
from django.db import migrations, models

# every column but actor_id: an UPDATE may only set actor_id to NULL
_KEPT = ("id", "at", "actor_name", "body_id", "subject_type", "subject_id", "action", "before", "after", "note",
         "seq", "prev_hash", "hash")
_SAME = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in _KEPT)
SQLITE_TRIGGERS = [
    ("CREATE TRIGGER IF NOT EXISTS gongkai_audit_no_update BEFORE UPDATE ON audit_auditentry "
     f"WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL AND {_SAME}) "
     "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改或删除：UPDATE'); END"),
    ("CREATE TRIGGER IF NOT EXISTS gongkai_audit_no_delete BEFORE DELETE ON audit_auditentry "
     "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改或删除：DELETE'); END"),
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS gongkai_audit_no_update", "DROP TRIGGER IF EXISTS gongkai_audit_no_delete"]


def create_sqlite_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def drop_sqlite_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]

    operations = [
        migrations.AlterField(model_name="auditentry", name="seq",
                              field=models.BigIntegerField(editable=False, unique=True)),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
