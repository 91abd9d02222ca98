"""Build a dataset of every report: read, check, and write Parquet tables plus a DuckDB database over them.

    summary = build(["../shared/corpus/dev", "more/"], "dataset/", workers=2)           # local processes
    summary = build(inputs, "dataset/", scheduler="tcp://10.0.0.5:8786")                 # a dask.distributed cluster

Tables (one Parquet file each in DIR, the same tables in DIR/corpus.duckdb):

* ``reports``   one row per distinct input (by content): metadata, format, source, body, counts of cells by status
                and of findings by level, sections found, the cross-year X1/X2/X4 outcome against the body's
                previous year
* ``cells``     long: report, key, value (double and exact text), status, raw text, unit, note, source position
* ``findings``  every finding: the report's own checks, and the cross-year checks X1–X4 (``prev_report_id`` set)
* ``narrative`` numbers stated in the prose, with the table's value and whether they agree
* ``sections``  the six section texts (for X4 and the repetition figures)
* ``bodies``    one row per body recognised across names and years, with its stable id and printed names
* ``errors``    one row per input that could not be read (the batch goes on)
* ``files``     the inputs: path, size, mtime, content hash (what makes the next build incremental)

Incremental: an input whose path, size and mtime are unchanged is not opened again; one whose content hash is
already in the dataset (moved or touched) is not parsed again. The cross-year series are recomputed each build
from the stored cells and texts (no file is read for them).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GongkaiError, InputError

SKIP_SUFFIXES = (".json",)  # in folders: sidecars and parse output; a JSON file named explicitly is read
TABLES = ("reports", "cells", "findings", "narrative", "sections", "bodies", "errors", "files")
DB_NAME = "corpus.duckdb"
CHUNK = 16  # inputs per task: enough to amortise the hand-over, small enough for a live progress bar

Columns = dict[str, list[Any]]
Progress = Callable[[int, int, str], None]


# --- inputs ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Input:
    path: str
    size: int
    mtime_ns: int


def list_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Input]:
    """The files named, and every file under the folders named (hidden files and *.json in folders skipped)."""
    out: dict[str, Input] = {}
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files = (f for f in sorted(path.rglob("*")) if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(path).parts) and not f.name.endswith(SKIP_SUFFIXES))
        elif path.is_file():
            files = iter([path])
        else:
            raise InputError("文件或文件夹不存在", path=str(p))
        for f in files:
            st = f.stat()
            key = str(f.resolve())
            out.setdefault(key, Input(key, st.st_size, st.st_mtime_ns))
    return list(out.values())


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- one report → rows (runs in a worker process) ---------------------------------------------------------------
def _num(v: Any) -> tuple[float | None, str | None]:
    if v is None:
        return None, None
    return float(v), str(v)


_STATUS_TEXT: dict[Any, str] = {}  # Status → its text (Enum.value is a slow descriptor, read ~200 times a report)


def report_columns(report: Any, findings: Iterable[Any], rid: str) -> dict[str, Columns]:
    """The rows of one parsed report for each table, as columns (reports without body/series columns, filled
    in later). The cells table (some 200 rows a report) is built column by column: rows of dicts turned into
    columns afterwards cost twice as much."""
    from ..checks.warnings import table_value
    from ..narrative import report_facts

    if not _STATUS_TEXT:
        from ..report import Status

        _STATUS_TEXT.update({st: st.value for st in Status})
    keys = list(report.cells)
    cs = list(report.cells.values())
    values = [c.value for c in cs]
    sources = [c.source for c in cs]
    status_texts = [_STATUS_TEXT[c.status] for c in cs]
    statuses = Counter(status_texts)
    cells: Columns = {
        "report_id": [rid] * len(keys), "key": keys, "section": [int(k[1]) for k in keys],
        "value": [None if v is None else float(v) for v in values],
        "value_text": [None if v is None else str(v) for v in values],
        "status": status_texts, "raw": [c.raw for c in cs], "unit": [c.unit for c in cs],
        "note": [c.note for c in cs], "page": [s.page if s else None for s in sources],
        "line": [s.line if s else None for s in sources],
    } if keys else {}
    fl = list(findings)
    levels = {lvl: sum(1 for f in fl if f.level.value == lvl) for lvl in ("error", "warning", "info")}
    expected = report.expected_keys()
    m = report.metadata
    found = sorted({s.number for s in report.sections})
    row = {
        "report_id": rid, "agency": m.agency, "year": m.year, "format": report.format,
        "section_formats": json.dumps(report.section_formats, sort_keys=True) if report.section_formats else None,
        "format_declared": m.format_declared, "basis_cited": m.basis_cited,
        "publish_date": m.publish_date.isoformat() if m.publish_date else None,
        "period_start": m.period_start.isoformat() if m.period_start else None,
        "period_end": m.period_end.isoformat() if m.period_end else None,
        "source_kind": m.source_kind, "body_kind": m.body_kind.value if m.body_kind else None,
        "n_cells": len(report.cells), "n_expected": len(expected),
        "n_missing": sum(1 for k in expected if k not in report.cells),
        **{f"n_{s}": statuses.get(s, 0) for s in ("ok", "blank", "repaired", "uncertain")},
        "errors": levels["error"], "warnings": levels["warning"], "infos": levels["info"],
        "identity_failures": sum(1 for f in fl if f.level.value == "error" and f.id.startswith("I")),
        "sections_found": "".join("一二三四五六"[n - 1] for n in found),
        "sections_missing": "".join("一二三四五六"[n - 1] for n in range(1, 7) if n not in found),
    }
    return {
        "reports": _columns([row]),
        "cells": cells,
        "findings": _columns([finding_row(f, rid) for f in fl]),
        "narrative": _columns([{"report_id": rid, "key": f.key, "stated": f.value, "text": f.text,
                                "table_value": _num(table_value(report, f.key))[0]} for f in report_facts(report)]),
        "sections": _columns([{"report_id": rid, "number": s.number, "heading": s.heading, "text": s.text,
                               "order": s.order} for s in report.sections]),
    }


def finding_row(f: Any, rid: str, prev: str | None = None) -> dict[str, Any]:
    def side(s: Any) -> tuple[str | None, str | None]:
        if s is None:
            return None, None
        return s.expr, None if s.value is None else str(s.value)

    lhs, rhs = side(f.lhs), side(f.rhs)
    return {"report_id": rid, "prev_report_id": prev, "check_id": f.id, "level": f.level.value, "message": f.message,
            "cells": ",".join(f.cells), "scope": f.scope, "lhs_expr": lhs[0], "lhs_value": lhs[1],
            "rhs_expr": rhs[0], "rhs_value": rhs[1]}


def read_one(path: str, data: bytes | None = None) -> tuple[str, dict[str, Columns] | None, str | None]:
    """Read one input: (content hash, its rows as columns, None) or (hash, None, the error in Chinese). Never
    raises."""
    try:
        if data is None:
            data = Path(path).read_bytes()
    except OSError as exc:
        return "", None, f"无法读取文件：{exc.strerror or exc}"
    sha = content_hash(data)
    rid = sha[:20]
    try:
        name = Path(path).name
        head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
        if name.lower().endswith(".json") or head.startswith(b"{"):
            from ..checks import run_checks
            from ..report import Report

            report = Report.from_json(data, path=name)
            findings = run_checks(report)
            kind = "json"
        else:
            from ..read import parse_bytes

            result = parse_bytes(data, name=name)
            report, findings, kind = result.report, list(result.findings), result.kind
        cols = report_columns(report, findings, rid)
        cols["reports"]["source_kind"][0] = cols["reports"]["source_kind"][0] or kind
        return sha, cols, None
    except GongkaiError as exc:
        return sha, None, exc.message
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        return sha, None, f"内部错误：{type(exc).__name__}: {exc}"


def read_chunk(items: list[tuple[str, bytes | None]]) -> list[tuple[str, str, dict[str, Columns] | None, str | None]]:
    """A worker's task: several inputs, each (path, hash, rows as columns, error)."""
    out = []
    for path, data in items:
        sha, cols, error = read_one(path, data)
        out.append((path, sha, cols, error))
    return out


def _columns(rows: list[dict[str, Any]]) -> Columns:
    cols: Columns = {}
    for r in rows:
        for k, v in r.items():
            cols.setdefault(k, []).append(v)
    if rows:
        n = len(rows)
        for k in cols:
            if len(cols[k]) != n:  # pragma: no cover - rows of one table share their keys
                raise ValueError(f"ragged column {k}")
    return cols


# --- the build ----------------------------------------------------------------------------------------------
@dataclass
class Summary:
    """What a build did, for the user and for tests."""

    out: str
    inputs: int = 0
    opened: int = 0  # files whose bytes were read this build
    parsed: int = 0  # inputs read and parsed this build
    reused: int = 0  # inputs taken from the previous build (unchanged content)
    failed: int = 0
    removed: int = 0  # reports of the previous build no longer among the inputs
    reports: int = 0
    cells: int = 0
    findings: int = 0
    bodies: int = 0
    series_pairs: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)


def build(inputs: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], *, workers: int | None = None,
          scheduler: str | None = None, progress: Progress | None = None) -> Summary:
    """Read every input (incrementally), check it, run the cross-year series, write the tables and the database."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t0 = time.perf_counter()
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    own = str(out_dir.resolve()) + os.sep
    files = [f for f in list_inputs(inputs) if not f.path.startswith(own)]  # never the dataset itself
    summary = Summary(out=str(out_dir), inputs=len(files))
    old = _load(out_dir)
    old_files = {r["path"]: r for r in old["files"].to_pylist()} if "files" in old else {}
    old_ids = set(old["reports"].column("report_id").to_pylist()) if "reports" in old else set()
    old_errors = {r["sha256"]: r["error"] for r in old["errors"].to_pylist()} if "errors" in old else {}

    # which inputs need reading: unchanged (path, size, mtime) keep their hash without opening the file
    todo: list[Input] = []
    file_rows: dict[str, dict[str, Any]] = {}
    for f in files:
        prev = old_files.get(f.path)
        if prev and prev["size"] == f.size and prev["mtime_ns"] == f.mtime_ns and prev["sha256"] and (
                prev["sha256"][:20] in old_ids or prev["sha256"] in old_errors):
            file_rows[f.path] = {**prev}
        else:
            todo.append(f)
    # a changed path whose content is already known (moved, touched) is hashed but not parsed
    known_hashes = {r["sha256"]: r for r in old_files.values() if r["sha256"]}
    to_parse: list[Input] = []
    for f in todo:
        try:
            sha = content_hash(Path(f.path).read_bytes())
        except OSError as exc:
            summary.errors.append((f.path, f"无法读取文件：{exc.strerror or exc}"))
            continue
        summary.opened += 1
        if sha in known_hashes and (sha[:20] in old_ids or sha in old_errors):
            file_rows[f.path] = {"path": f.path, "size": f.size, "mtime_ns": f.mtime_ns, "sha256": sha,
                                 "report_id": known_hashes[sha]["report_id"]}
        else:
            to_parse.append(f)

    new_rows: dict[str, list[Columns]] = {t: [] for t in ("reports", "cells", "findings", "narrative", "sections")}
    new_errors: dict[str, str] = {}
    total = len(to_parse)
    if progress:
        progress(0, total, "")
    for done, (path, sha, rows, error) in enumerate(_run(to_parse, workers=workers, scheduler=scheduler), start=1):
        summary.parsed += 1
        if rows is None:
            new_errors[sha or path] = error or "未知错误"
            summary.errors.append((path, error or "未知错误"))
            file_rows[path] = {"path": path, "size": None, "mtime_ns": None, "sha256": sha or None, "report_id": None}
        else:
            for t, cols in rows.items():
                new_rows[t].append(cols)
            file_rows[path] = {"path": path, "size": None, "mtime_ns": None, "sha256": sha, "report_id": sha[:20]}
        if progress:
            progress(done, total, Path(path).name)
    for f in files:  # sizes and mtimes as listed (also for files parsed now)
        if f.path in file_rows:
            file_rows[f.path].update(size=f.size, mtime_ns=f.mtime_ns)

    # the dataset: the previous rows of the reports still among the inputs, plus the new ones
    keep = {r["report_id"] for r in file_rows.values() if r.get("report_id")}
    summary.reused = sum(1 for f in files if f not in to_parse and file_rows.get(f.path, {}).get("report_id"))
    summary.removed = len(old_ids - keep)
    tables: dict[str, pa.Table] = {}
    for t, chunks in new_rows.items():
        parts = []
        if t in old:
            base = old[t]
            if t == "reports":
                base = base.drop_columns([c for c in SERIES_SCHEMA if c in base.column_names])
            if t == "findings":
                base = base.filter(pc.is_null(base["prev_report_id"]))
            parts.append(base.filter(pc.is_in(base["report_id"], pa.array(sorted(keep), pa.string()))))
        parts += [pa.table(c, schema=_schema(t)) for c in chunks if c]
        tables[t] = _concat(parts, t)
    # a report given twice (same content under two paths) is one report
    tables = {t: _dedupe(tbl, t) for t, tbl in tables.items()}
    err_rows = [{"path": p, "sha256": r.get("sha256"), "error": new_errors.get(r.get("sha256") or p)
                 or old_errors.get(r.get("sha256") or "")} for p, r in file_rows.items() if not r.get("report_id")]
    summary.errors += [(r["path"], r["error"] or "") for r in err_rows
                       if r["path"] not in {p for p, _ in summary.errors}]
    summary.failed = len(err_rows)
    tables["errors"] = _table(err_rows, ERROR_SCHEMA)
    tables["files"] = _table(sorted(file_rows.values(), key=lambda r: r["path"]), FILE_SCHEMA)

    from .series import run_series

    known = {r["key"]: r["body_id"] for r in old["aliases"].to_pylist()} if "aliases" in old else {}
    tables, summary.series_pairs = run_series(tables, known, previous=_previous_series(old))
    _write(out_dir, tables)
    summary.reports = tables["reports"].num_rows
    summary.cells = tables["cells"].num_rows
    summary.findings = tables["findings"].num_rows
    summary.bodies = tables["bodies"].num_rows
    summary.kinds = dict(sorted(Counter(map(str, tables["reports"].column("source_kind").to_pylist())).items()))
    summary.seconds = time.perf_counter() - t0
    return summary


def _previous_series(old: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The cross-year results of the previous build per (report, previous report): ids are content hashes, so
    a pair seen before gives the same results and is not checked again."""
    if "reports" not in old or "prev_report_id" not in old["reports"].column_names:
        return {}
    import pyarrow.compute as pc

    out: dict[tuple[str, str], dict[str, Any]] = {}
    cols = [old["reports"].column(c).to_pylist() for c in ("report_id", "prev_report_id", "x1", "x2", "x4_rate")]
    for rid, prev, x1, x2, x4 in zip(*cols, strict=True):
        if prev:
            out[(rid, prev)] = {"x1": x1, "x2": x2, "x4_rate": x4, "findings": []}
    cross = old["findings"].filter(pc.invert(pc.is_null(old["findings"]["prev_report_id"])))
    for row in cross.to_pylist():
        entry = out.get((row["report_id"], row["prev_report_id"]))
        if entry is not None:
            entry["findings"].append(row)
    return out


SCHEMAS: dict[str, dict[str, str]] = {
    "reports": {"report_id": "string", "agency": "string", "year": "int32", "format": "string",
                "section_formats": "string", "format_declared": "string", "basis_cited": "string",
                "publish_date": "string", "period_start": "string", "period_end": "string", "source_kind": "string",
                "body_kind": "string", "n_cells": "int32", "n_expected": "int32", "n_missing": "int32",
                "n_ok": "int32", "n_blank": "int32", "n_repaired": "int32", "n_uncertain": "int32", "errors": "int32",
                "warnings": "int32", "infos": "int32", "identity_failures": "int32", "sections_found": "string",
                "sections_missing": "string"},
    "cells": {"report_id": "string", "key": "string", "section": "int8", "value": "float64", "value_text": "string",
              "status": "string", "raw": "string", "unit": "string", "note": "string", "page": "int32",
              "line": "int32"},
    "findings": {"report_id": "string", "prev_report_id": "string", "check_id": "string", "level": "string",
                 "message": "string", "cells": "string", "scope": "string", "lhs_expr": "string",
                 "lhs_value": "string", "rhs_expr": "string", "rhs_value": "string"},
    "narrative": {"report_id": "string", "key": "string", "stated": "int64", "text": "string",
                  "table_value": "float64"},
    "sections": {"report_id": "string", "number": "int8", "heading": "string", "text": "string", "order": "int16"},
}


def _schema(name: str):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    return pa.schema([(k, getattr(pa, t)()) for k, t in SCHEMAS[name].items()])


# the columns run_series adds to reports (dropped from the previous build's reports and added again)
SERIES_SCHEMA = {"body_id": "string", "body_name": "string", "region": "string", "level": "string",
                 "prev_report_id": "string", "x1": "string", "x2": "string", "x4_rate": "float64"}
ERROR_SCHEMA = {"path": "string", "sha256": "string", "error": "string"}
FILE_SCHEMA = {"path": "string", "size": "int64", "mtime_ns": "int64", "sha256": "string", "report_id": "string"}


def _table(rows: list[dict[str, Any]], schema: dict[str, str]):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    return pa.table({k: pa.array([r.get(k) for r in rows], type=getattr(pa, t)()) for k, t in schema.items()})


def _concat(parts: list[Any], name: str):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    parts = [p for p in parts if p.num_rows]
    if not parts:
        return _schema(name).empty_table()
    return pa.concat_tables(parts, promote_options="permissive")


_SORT = {"reports": ["report_id"], "cells": ["report_id", "key"], "findings": ["report_id", "check_id", "message"],
         "narrative": ["report_id", "key", "text"], "sections": ["report_id", "number"]}


def _dedupe(tbl: Any, name: str) -> Any:
    if not tbl.num_rows:
        return tbl
    if name == "reports":
        ids = tbl.column("report_id").to_pylist()
        first = {}
        for i, r in enumerate(ids):
            first.setdefault(r, i)
        tbl = tbl.take(sorted(first.values()))
    elif name in ("cells", "sections"):
        keys = ["report_id", "key" if name == "cells" else "number"]
        seen: set[tuple[Any, ...]] = set()
        idx = []
        for i, k in enumerate(zip(*(tbl.column(c).to_pylist() for c in keys), strict=True)):
            if k not in seen:
                seen.add(k)
                idx.append(i)
        tbl = tbl.take(idx)
    return tbl.sort_by([(c, "ascending") for c in _SORT[name]])


def _run(todo: list[Input], *, workers: int | None, scheduler: str | None
         ) -> Iterator[tuple[str, str, dict[str, Columns] | None, str | None]]:
    """Read the inputs in chunks: in this process, over local processes, or on a dask.distributed cluster."""
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    if not chunks:
        return
    if scheduler:
        yield from _run_dask(chunks, scheduler)
        return
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1 or len(todo) < 2:
        for chunk in chunks:
            yield from read_chunk([(f.path, None) for f in chunk])
        return
    import multiprocessing

    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(read_chunk, [(f.path, None) for f in chunk]) for chunk in chunks]
        for fut in as_completed(futures):
            yield from fut.result()


def _run_dask(chunks: list[list[Input]], scheduler: str
              ) -> Iterator[tuple[str, str, dict[str, Columns] | None, str | None]]:
    """On a cluster the workers may not see this machine's files: the client reads each input and sends its bytes."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise InputError("使用 --scheduler 需要安装 dask[distributed]（pip install 'gongkai[batch]'）") from None
    try:
        client = Client(scheduler, timeout="20s")
    except OSError as exc:
        raise InputError(f"无法连接 dask 调度器 {scheduler}：{exc}") from None
    try:
        futures = [client.submit(read_chunk, [(f.path, Path(f.path).read_bytes()) for f in chunk], pure=False)
                   for chunk in chunks]
        for fut in dask_completed(futures):
            yield from fut.result()
    finally:
        client.close()


# --- storage --------------------------------------------------------------------------------------------------
def _load(out_dir: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    return {t: pq.read_table(out_dir / f"{t}.parquet") for t in (*TABLES, "aliases")
            if (out_dir / f"{t}.parquet").exists()}


def _write(out_dir: Path, tables: dict[str, Any]) -> None:
    import duckdb
    import pyarrow.parquet as pq

    for name, tbl in tables.items():
        tmp = out_dir / f".{name}.parquet.tmp"
        pq.write_table(tbl, tmp, compression="zstd")
        tmp.replace(out_dir / f"{name}.parquet")
    db = out_dir / DB_NAME
    tmp_db = out_dir / f".{DB_NAME}.tmp"
    tmp_db.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp_db))
    try:
        for name in tables:
            path = str((out_dir / f"{name}.parquet").resolve()).replace("'", "''")
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
    finally:
        con.close()
    tmp_db.replace(db)


__all__ = ["DB_NAME", "TABLES", "Summary", "build", "list_inputs", "read_chunk", "read_one", "report_columns"]
