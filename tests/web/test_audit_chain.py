"""The audit log is append-only in the database, and a hash chain shows where it was changed (issue 13, point 7).

Before: on SQLite a raw ``UPDATE audit_auditentry`` went through (only the Python model refused), and nothing
could tell a changed entry from an original one."""
from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from typer.testing import CliRunner

from gongkai.web.audit.models import AuditChain, AuditEntry
from gongkai.web.audit.selectors import audit_chain_verify


def _entries(world: dict[str, Any], make_app: Any, n: int = 4) -> list[AuditEntry]:
    for i in range(n):
        make_app(description=f"第{i}份申请")
    return list(AuditEntry.objects.order_by("seq"))


def _raw(sql: str, params: tuple[Any, ...] = ()) -> None:
    with transaction.atomic(), connection.cursor() as cur:  # a savepoint: PostgreSQL's transaction survives
        cur.execute(sql, params)


def _drop_triggers() -> None:
    """What someone with the database file (or a superuser's psql) can do."""
    if connection.vendor == "sqlite":
        _raw("DROP TRIGGER gongkai_audit_no_update")
        _raw("DROP TRIGGER gongkai_audit_no_delete")
    else:
        _raw("DROP TRIGGER gongkai_audit_append_only ON audit_auditentry")


def test_entries_form_a_gapless_chain(world, make_app):
    entries = _entries(world, make_app)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == "" and all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    head = AuditChain.objects.get(pk=AuditChain.HEAD)
    assert (head.seq, head.hash) == (entries[-1].seq, entries[-1].hash)
    verdict = audit_chain_verify()
    assert verdict.ok and verdict.entries == len(entries)


def test_json_values_hash_the_same_after_the_database_round_trip(world):
    from gongkai.web.audit.services import audit_record

    odd = {"float": 1.0, "big": 1e16, "huge": 1.5e300, "small": 1e-7, "tuple": (1, 2), "int_key": {1: "一"},
           "text": "引号\"与\\反斜杠", "nested": [{"b": 2, "a": [None, True]}]}
    audit_record(actor=None, action="test.odd", subject=world["a"], body=world["a"], before=odd, after={"x": -0.5})
    assert audit_chain_verify().ok  # read back from the database (jsonb on PostgreSQL) and hashed again


@pytest.mark.parametrize("sql", ["UPDATE audit_auditentry SET note = 'x' WHERE seq = 2",
                                 "UPDATE audit_auditentry SET actor_name = 'someone' ",
                                 "DELETE FROM audit_auditentry WHERE seq = 2",
                                 "DELETE FROM audit_auditentry"])
def test_raw_sql_cannot_change_or_delete_entries(world, make_app, sql):
    before = [(e.pk, e.note, e.actor_name) for e in _entries(world, make_app)]
    with pytest.raises(DatabaseError, match="审计日志只能追加"):
        _raw(sql)
    assert [(e.pk, e.note, e.actor_name) for e in AuditEntry.objects.order_by("seq")] == before


def test_removing_a_user_keeps_the_entries_and_the_chain(world, make_app):
    clerk = world["users"]["clerk_a"]
    _entries(world, make_app)
    mine = AuditEntry.objects.filter(actor=clerk).count()
    assert mine
    clerk.delete()  # actor_id set to NULL: the one change the triggers allow
    assert AuditEntry.objects.filter(actor__isnull=True, actor_name="clerk_a").count() == mine
    assert audit_chain_verify().ok


def test_a_changed_entry_is_found_at_that_entry(world, make_app):
    entries = _entries(world, make_app)
    _drop_triggers()
    target = entries[2]
    _raw("UPDATE audit_auditentry SET note = %s WHERE id = %s", ("事后补记", target.pk))
    verdict = audit_chain_verify()
    assert not verdict.ok
    assert [(b.kind, b.seq, b.entry_id) for b in verdict.breaks] == [("content", target.seq, target.pk)]
    assert "内容与哈希不符" in verdict.breaks[0].detail and verdict.breaks[0].at == target.at


def test_a_rewritten_hash_a_deleted_entry_and_a_cut_tail_are_found(world, make_app):
    entries = _entries(world, make_app, n=6)
    _drop_triggers()
    # the attacker changes entry 2 and recomputes its hash: the next entry no longer links to it
    from gongkai.web.audit.chain import link

    e2 = AuditEntry.objects.get(pk=entries[1].pk)
    e2.note = "改写"
    _raw("UPDATE audit_auditentry SET note = %s, hash = %s WHERE id = %s", ("改写", link(e2.prev_hash, e2), e2.pk))
    _raw("DELETE FROM audit_auditentry WHERE id = %s", (entries[3].pk,))
    _raw("DELETE FROM audit_auditentry WHERE id = %s", (entries[-1].pk,))
    kinds = [(b.kind, b.seq) for b in audit_chain_verify().breaks]
    assert kinds == [("link", 3), ("gap", 5), ("link", 5), ("head", len(entries) - 1)]


def test_anchor_reveals_a_chain_rewritten_from_the_start(world, make_app):
    from gongkai.web.audit.chain import GENESIS, link

    entries = _entries(world, make_app)
    anchor = {entries[-1].seq: entries[-1].hash}
    _drop_triggers()
    prev = GENESIS
    for e in AuditEntry.objects.order_by("seq"):  # rewrite every hash after changing the first entry
        if e.seq == 1:
            e.note = "伪造"
        e.prev_hash, e.hash = prev, link(prev, e)
        _raw("UPDATE audit_auditentry SET note = %s, prev_hash = %s, hash = %s WHERE id = %s",
             (e.note, e.prev_hash, e.hash, e.pk))
        prev = e.hash
    _raw("UPDATE audit_auditchain SET hash = %s", (prev,))
    assert audit_chain_verify().ok  # consistent in itself …
    verdict = audit_chain_verify(anchors=anchor)  # … but not with the head written down before
    assert [(b.kind, b.seq) for b in verdict.breaks] == [("anchor", entries[-1].seq)]


def test_cli_audit_verify(world, make_app):
    from gongkai.cli import app

    entries = _entries(world, make_app)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"审计日志哈希链完整：共 {len(entries)} 条记录" in result.output and entries[-1].hash in result.output
    result = CliRunner().invoke(app, ["audit", "verify", "--anchor", f"{entries[-1].seq}:{entries[-1].hash}"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["audit", "verify", "--anchor", "3:abc"])
    assert result.exit_code == 2 and "--anchor 应为" in result.output
    _drop_triggers()
    _raw("UPDATE audit_auditentry SET action = 'application.nothing' WHERE id = %s", (entries[1].pk,))
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "发现 1 处断点" in result.output
    assert f"第 2 条（记录 id {entries[1].pk}，" in result.output and "内容与哈希不符" in result.output


def test_triggers_are_installed_after_all_migrations(db):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'")
            assert {r[0] for r in cur.fetchall()} == {"gongkai_audit_no_update", "gongkai_audit_no_delete"}
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass "
                        "AND NOT tgisinternal")
            assert {r[0] for r in cur.fetchall()} == {"gongkai_audit_append_only"}


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_existing_entries() -> None:
    """Entries written before the chain existed are chained in the order they were written."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_append_only_trigger")])
    old = executor.loader.project_state([("audit", "0002_append_only_trigger")]).apps
    body_model = old.get_model("bodies", "Body")
    body = body_model.objects.first() or None
    entry_model = old.get_model("audit", "AuditEntry")
    for i in range(5):
        entry_model.objects.create(subject_type="bodies.body", subject_id=str(i), action="old.entry",
                                   body=body, after={"i": i, "v": 1.5}, note=f"旧记录{i}")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [(e.seq, e.note) for e in entries] == [(i + 1, f"旧记录{i}") for i in range(5)]
    assert audit_chain_verify().ok
    with pytest.raises(DatabaseError, match="审计日志只能追加"):
        _raw("UPDATE audit_auditentry SET note = 'x'")
    from gongkai.web.audit.services import audit_record

    audit_record(actor=None, action="new.entry", subject=entries[0], note="新记录")  # the chain goes on
    assert AuditEntry.objects.order_by("seq").last().seq == 6 and audit_chain_verify().ok
