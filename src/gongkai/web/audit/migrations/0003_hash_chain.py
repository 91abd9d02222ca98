"""The hash chain over the audit log (chain.py): three columns, the chain head, and the existing entries chained
in the order they were written (by id). On PostgreSQL the append-only trigger (0002) is lifted for the chaining
and put back; on SQLite the triggers come in 0004, after the table's last rebuild."""
from django.db import migrations, models

from gongkai.web.audit import chain


def _pg(schema_editor, sql):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql)


def lift(apps, schema_editor):  # type: ignore[no-untyped-def]
    _pg(schema_editor, "DROP TRIGGER IF EXISTS gongkai_audit_append_only ON audit_auditentry")


def restore(apps, schema_editor):  # type: ignore[no-untyped-def]
    _pg(schema_editor, "CREATE TRIGGER gongkai_audit_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
                       "FOR EACH ROW EXECUTE FUNCTION gongkai_audit_append_only()")


def chain_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    entry_model = apps.get_model("audit", "AuditEntry")
    head = apps.get_model("audit", "AuditChain")
    db = schema_editor.connection.alias
    prev, seq = chain.GENESIS, 0
    for entry in entry_model.objects.using(db).order_by("pk").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        entry.hash = chain.link(prev, entry)
        entry_model.objects.using(db).filter(pk=entry.pk).update(seq=seq, prev_hash=prev, hash=entry.hash)
        prev = entry.hash
    head.objects.using(db).create(pk=1, seq=seq, hash=prev)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(lift, restore),
        migrations.AddField(model_name="auditentry", name="seq",
                            field=models.BigIntegerField(editable=False, null=True)),
        migrations.AddField(model_name="auditentry", name="prev_hash",
                            field=models.CharField(blank=True, default="", editable=False, max_length=64),
                            preserve_default=False),
        migrations.AddField(model_name="auditentry", name="hash",
                            field=models.CharField(default="", editable=False, max_length=64),
                            preserve_default=False),
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(blank=True, default="", max_length=64)),
            ],
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(restore, lift),
    ]
