"""The audit log's hash chain (issue 13, point 7): every entry stores ``hash = sha256(prev_hash + "\\n" +
canonical(entry))`` where ``prev_hash`` is the hash of the entry before it (``""`` for the first) and ``canonical``
is a fixed JSON serialisation of the entry's own fields, including its position ``seq`` (1, 2, 3 … without gaps).

An entry changed in place no longer matches its hash; a hash rewritten to match no longer matches the next entry's
``prev_hash``; a deleted entry leaves a gap in ``seq``; entries cut off at the end no longer reach the chain head
(:class:`~gongkai.web.audit.models.AuditChain`, one row: the last ``seq`` and ``hash``). The chain has no secret:
someone who can write the database file can rewrite the whole chain from the first changed entry on. Write the head
down elsewhere (the backup manifest keeps it; ``gongkai audit verify`` prints it and checks it with ``--anchor``) and
a rewrite shows.

**Concurrency.** The head is taken write-first (:func:`gongkai.web.core.db.bump` on its ``seq``) inside the
writing transaction: on PostgreSQL the row stays locked until the transaction commits, so the next writer reads the
committed hash; on SQLite the transaction holds the database's write lock from its ``BEGIN IMMEDIATE``. A transaction
that rolls back gives its ``seq`` back with it.

**Fields covered:** ``seq``, ``at`` (UTC, microseconds), ``actor_name``, ``body_id``, ``subject_type``,
``subject_id``, ``action``, ``before``, ``after``, ``note``. Not ``actor_id``: removing a user sets it to NULL (the
database triggers allow exactly that); ``actor_name`` keeps who it was. Numbers in ``before``/``after`` are written
so that PostgreSQL's ``jsonb`` round trip cannot change them (:func:`_number`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

GENESIS = ""
FIELDS = ("seq", "at", "actor_name", "body_id", "subject_type", "subject_id", "action", "before", "after", "note")
_EXACT = 2 ** 53  # integers below this are exact as floats


def _number(value: float) -> float:
    """One spelling per number: ``jsonb`` stores ``1e16`` as ``10000000000000000`` (read back as an int) and
    ``1.0`` as ``1.0``; integral values below 2**53 are written as ints, larger ones as floats."""
    if isinstance(value, float) and not value.is_integer():
        return value
    whole = int(value)
    return whole if abs(whole) < _EXACT else float(whole)


def _normal(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normal(v) for v in value]
    return value


def as_stored(value: Any) -> Any:
    """``value`` as the database gives it back (a JSON round trip: tuples become lists, keys strings)."""
    return None if value is None else json.loads(json.dumps(value))


def _utc(at: dt.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(entry: Any) -> bytes:
    """The bytes an entry's hash covers (``entry`` is an AuditEntry or anything with the same attributes)."""
    data = {name: getattr(entry, name) for name in FIELDS}
    data["at"] = _utc(entry.at)
    return json.dumps(_normal(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def link(prev_hash: str, entry: Any) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(entry)).hexdigest()


def seal(entry: Any) -> None:
    """Give a new entry its place in the chain: ``seq``, ``prev_hash``, ``hash``; the head moves to it. Runs in
    the caller's transaction (``AuditEntry.save``), before the insert. Two statements on the head (raw SQL: this
    runs for every write of the system): take it write-first and read it (``UPDATE … RETURNING``), then store the
    new hash."""
    from django.db import connection

    from ..core.db import bump
    from .models import AuditChain

    if not connection.in_atomic_block:
        raise RuntimeError("seal() must run inside a transaction")
    table = connection.ops.quote_name(AuditChain._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET seq = seq + 1 WHERE id = %s RETURNING seq, hash", [AuditChain.HEAD])
        row = cur.fetchone()
        if row is None:  # a new database (or a flushed one): the first entry creates the head
            bump(AuditChain, {"pk": AuditChain.HEAD}, field="seq")
            cur.execute(f"SELECT seq, hash FROM {table} WHERE id = %s", [AuditChain.HEAD])
            row = cur.fetchone()
        seq, prev = row
        entry.before, entry.after = as_stored(entry.before), as_stored(entry.after)
        entry.seq, entry.prev_hash = seq, prev
        entry.hash = link(prev, entry)
        cur.execute(f"UPDATE {table} SET hash = %s WHERE id = %s", [entry.hash, AuditChain.HEAD])


# --- verification -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    """Where the chain does not hold. ``kind``: ``content`` (the entry does not match its hash), ``link`` (its
    ``prev_hash`` is not the previous entry's hash), ``gap`` (entries missing before it), ``head`` (the chain head
    does not point at the last entry), ``anchor`` (a hash written down earlier does not match)."""

    kind: str
    seq: int | None
    entry_id: int | None
    at: dt.datetime | None
    detail: str


@dataclass
class Verdict:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def _short(h: str) -> str:
    return h[:16] + "…" if h else "（空）"


def verify(entries: Iterator[Any], *, head: tuple[int, str] | None,
           anchors: dict[int, str] | None = None) -> Verdict:
    """Walk ``entries`` (in ``seq`` order) and report every place the chain does not hold. Each entry is checked
    against its own stored ``prev_hash`` and ``hash``, so one changed entry is reported once, at that entry."""
    verdict = Verdict()
    anchors = dict(anchors or {})
    prev_hash, expected_seq, last = GENESIS, 1, None
    for e in entries:
        verdict.entries += 1
        where = {"seq": e.seq, "entry_id": e.pk, "at": e.at}
        if e.seq != expected_seq:
            if e.seq > expected_seq:
                missing = (f"第 {expected_seq} 条" if e.seq == expected_seq + 1
                           else f"第 {expected_seq}–{e.seq - 1} 条")
                verdict.breaks.append(Break("gap", **where, detail=f"序号不连续：缺少{missing}（被删除）"))
            else:
                verdict.breaks.append(Break("gap", **where, detail=f"序号重复或倒退：应为 {expected_seq}"))
        if e.prev_hash != prev_hash:
            verdict.breaks.append(Break("link", **where, detail=(
                f"与前一条的链接断开：记录的前一哈希为 {_short(e.prev_hash)}，前一条的哈希为 {_short(prev_hash)}")))
        computed = link(e.prev_hash, e)
        if computed != e.hash:
            verdict.breaks.append(Break("content", **where, detail=(
                f"内容与哈希不符（记录在写入后被改动）：存储的哈希 {_short(e.hash)}，按内容计算为 {_short(computed)}")))
        if e.seq in anchors and anchors.pop(e.seq) != e.hash:
            verdict.breaks.append(Break("anchor", **where, detail=(
                f"与事先记下的哈希不符：现为 {_short(e.hash)}（整条链自此被重写）")))
        prev_hash, expected_seq, last = e.hash, e.seq + 1, e
    if last is not None:
        verdict.head_seq, verdict.head_hash = last.seq, last.hash
    for seq in sorted(anchors):
        verdict.breaks.append(Break("anchor", seq, None, None, f"事先记下的第 {seq} 条不存在"))
    if head is not None and head != (verdict.head_seq, verdict.head_hash):
        where = {"seq": last.seq if last else None, "entry_id": last.pk if last else None,
                 "at": last.at if last else None}
        verdict.breaks.append(Break("head", **where, detail=(
            f"链头记录为第 {head[0]} 条（{_short(head[1])}），而最后一条是第 {verdict.head_seq} 条"
            f"（{_short(verdict.head_hash)}）：末尾的记录被删除，或有记录绕过了哈希链")))
    return verdict
