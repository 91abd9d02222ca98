"""The public generation row and the triggers that bump it (see ``PublicGeneration``)."""
from django.db import migrations, models

# (table, SQLite WHEN condition per operation or None): drafts edited by staff do not touch the public pages
WATCHED = {
    "catalog_item": {"INSERT": "NEW.state = 'published'", "UPDATE": "OLD.state = 'published' OR NEW.state = 'published'",
                     "DELETE": "OLD.state = 'published'"},
    "catalog_attachment": {},
    "catalog_item_related": {},
    "bodies_body": {},
    "reports_annualreport": {},
    "reports_reportfile": {},
}
BUMP = "UPDATE portal_publicgeneration SET n = n + 1 WHERE id = 1"


def create_triggers(apps, schema_editor):
    apps.get_model("portal", "PublicGeneration").objects.get_or_create(pk=1, defaults={"n": 0})
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(f"CREATE OR REPLACE FUNCTION portal_bump_generation() RETURNS trigger AS $$ "
                f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql")
        for table in WATCHED:
            execute(f"CREATE TRIGGER portal_gen_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_generation()")
    elif schema_editor.connection.vendor == "sqlite":
        for table, when in WATCHED.items():
            for op in ("INSERT", "UPDATE", "DELETE"):
                cond = f" WHEN {when[op]}" if op in when else ""
                execute(f"CREATE TRIGGER portal_gen_{table}_{op.lower()} AFTER {op} ON {table}{cond} "
                        f"BEGIN {BUMP}; END")
    else:
        raise RuntimeError(f"the public page cache needs triggers for {schema_editor.connection.vendor}")


def drop_triggers(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED:
            execute(f"DROP TRIGGER IF EXISTS portal_gen_{table} ON {table}")
        execute("DROP FUNCTION IF EXISTS portal_bump_generation()")
    else:
        for table in WATCHED:
            for op in ("insert", "update", "delete"):
                execute(f"DROP TRIGGER IF EXISTS portal_gen_{table}_{op}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("catalog", "0001_initial"),
        ("bodies", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
