"""Django's SQLite backend, with one change: ``flush`` (the test runner's, or ``gongkai manage flush``) empties
tables the way PostgreSQL's TRUNCATE does, without firing row triggers. SQLite has no TRUNCATE, and Django's
``DELETE FROM`` would be refused by the audit log's append-only triggers (audit/migrations/0004); so the flush
drops the triggers of the tables it empties and creates them again in the same transaction."""
from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not sql:
            return sql
        flushed = "\n".join(sql)
        with self.connection.cursor() as cur:
            cur.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            triggers = [(name, ddl) for name, table, ddl in cur.fetchall() if self.quote_name(table) in flushed]
        return ([f'DROP TRIGGER "{name}";' for name, _ in triggers] + sql
                + [f"{ddl};" for _, ddl in triggers])


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
