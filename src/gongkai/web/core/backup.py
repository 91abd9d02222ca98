"""Backup and restore of a data directory (issue 13): the database, the uploaded files (``MEDIA_ROOT``), the
generated secret key, and a manifest — one tar file.

**The database** is copied as one consistent snapshot while the server keeps running: on SQLite with the online
backup API (``sqlite3.Connection.backup``), on PostgreSQL with ``pg_dump -Fc`` on a snapshot exported from a
REPEATABLE READ transaction, in which the row counts and the audit chain head of the manifest are read too.

**The manifest** (``manifest.json``): format version, gongkai version, time, database vendor, the row count of
every table, the audit chain head (``seq``, ``hash``: an anchor for ``gongkai audit verify --anchor``), and the
size and SHA-256 of every member. The tar is written next to its destination under a temporary name, flushed to
disk and renamed: a backup file is whole or absent.

**Restore** checks every checksum before touching anything, refuses a data directory that already holds data
(audit entries, bodies or uploaded files) unless ``force``, puts the database and the files in place, migrates
(a backup from an older version is brought up to date), and compares the row counts with the manifest.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from ...errors import GongkaiError

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_SQLITE = "database/gongkai.sqlite3"
DB_PG = "database/gongkai.pgdump"
SECRET = "secret_key"
_CHUNK = 1 << 20


class BackupError(GongkaiError):
    """A backup that cannot be made or restored."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed})


def _vendor() -> str:
    return connection.vendor


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` on PATH, else the newest installed under /usr/lib/postgresql (Debian)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian 软件包 postgresql-client）")
    return str(candidates[-1])


def _run(args: list[str], *, env: dict[str, str]) -> None:
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败：{out.stderr.strip()[-500:]}")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- backup ---------------------------------------------------------------------------------------------------

def _snapshot_sqlite(dest: Path) -> tuple[dict[str, int], tuple[int, str]]:
    if not _sqlite_path().is_file():
        raise BackupError(f"数据库不存在：{_sqlite_path()}（数据目录是否正确？）")
    src = sqlite3.connect(f"file:{_sqlite_path()}?mode=rw", uri=True)  # never creates an empty database
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)  # one consistent copy, while other connections keep writing
    finally:
        src.close()
    try:
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        problems = dst.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise BackupError(f"数据库完整性检查未通过：{problems[:3]}")
        have = {r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {t: dst.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _tables() if t in have}
        head = dst.execute("SELECT seq, hash FROM audit_auditchain WHERE id = 1").fetchone() \
            if "audit_auditchain" in have else None
    finally:
        dst.close()
    return counts, tuple(head) if head else (0, "")


def _snapshot_postgres(dest: Path) -> tuple[dict[str, int], tuple[int, str]]:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        have = {r[0] for r in cur.fetchall()}
        counts = {}
        for table in _tables():
            if table in have:
                cur.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cur.fetchone()[0]
        head = None
        if "audit_auditchain" in have:
            cur.execute("SELECT seq, hash FROM audit_auditchain WHERE id = 1")
            head = cur.fetchone()
        # the dump sees exactly what this transaction sees (it stays open until pg_dump is done)
        _run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              "-f", str(dest)], env=_pg_env())
    return counts, tuple(head) if head else (0, "")


def backup_create(out: Path) -> dict[str, Any]:
    """Write a backup of the configured data directory and database to ``out``; returns the manifest."""
    from ... import __version__

    out = out.expanduser().resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    vendor = _vendor()
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库：{vendor}")
    with tempfile.TemporaryDirectory(prefix=".gongkai-backup-", dir=out.parent) as tmp:
        db_member = DB_SQLITE if vendor == "sqlite" else DB_PG
        db_file = Path(tmp) / Path(db_member).name
        snapshot = _snapshot_sqlite if vendor == "sqlite" else _snapshot_postgres
        counts, head = snapshot(db_file)
        members: list[tuple[str, Path]] = [(db_member, db_file)]
        media_root = Path(settings.MEDIA_ROOT)
        members += [("media/" + p.relative_to(media_root).as_posix(), p) for p in _media_files()]
        secret = Path(settings.DATA_DIR) / SECRET
        if secret.is_file() and not os.environ.get("GONGKAI_SECRET_KEY"):
            members.append((SECRET, secret))
        files = [{"path": name, "size": path.stat().st_size, "sha256": _sha256(path)} for name, path in members]
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "gongkai_version": __version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "vendor": vendor,
            "database": db_member, "counts": counts,
            "media_files": sum(1 for f in files if f["path"].startswith("media/")),
            "audit": {"entries": counts.get("audit_auditentry", 0), "head_seq": head[0], "head_hash": head[1]},
            "files": files,
        }
        part = out.with_name(f".{out.name}.part-{os.getpid()}")
        try:
            # only the owner may read it: personal data of applicants and the secret key
            with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
                    tar.addfile(info, io.BytesIO(data))
                    for name, path in members:
                        info = tar.gettarinfo(str(path), arcname=name)
                        info.uid = info.gid = 0
                        info.uname = info.gname = ""
                        info.mode = 0o600 if name in (SECRET, db_member) else 0o644
                        with path.open("rb") as fh:
                            tar.addfile(info, fh)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
        _fsync_dir(out.parent)
    return manifest


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- restore --------------------------------------------------------------------------------------------------

def backup_read(file: Path, into: Path) -> dict[str, Any]:
    """Unpack ``file`` into the directory ``into`` and check it against its manifest; returns the manifest."""
    try:
        with tarfile.open(file, mode="r:*") as tar:
            try:
                manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
            except (KeyError, AttributeError, ValueError):
                raise BackupError(f"{file} 不是 gongkai 备份文件（缺少或无法读取 {MANIFEST}）") from None
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{file} 不是 gongkai 备份文件")
            if manifest.get("format_version", 0) > FORMAT_VERSION:
                raise BackupError(f"备份文件格式版本 {manifest.get('format_version')} 高于本程序支持的 "
                                  f"{FORMAT_VERSION}，请先升级 gongkai")
            tar.extractall(into, filter="data")  # no absolute paths, no '..', no links out, no devices
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"无法读取备份文件 {file}：{exc}") from None
    listed = {f["path"] for f in manifest["files"]}
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    if present - listed:
        raise BackupError(f"备份文件含有清单以外的文件：{sorted(present - listed)[:3]}")
    for f in manifest["files"]:
        path = into / f["path"]
        if not path.is_file():
            raise BackupError(f"备份文件不完整：缺少 {f['path']}")
        if path.stat().st_size != f["size"] or _sha256(path) != f["sha256"]:
            raise BackupError(f"备份文件已损坏：{f['path']} 的校验和与清单不符")
    return manifest


def _holds_data_sqlite(path: Path) -> bool:
    if not path.exists():
        return False
    db = sqlite3.connect(path)
    try:
        have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return any(db.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()
                   for t in ("audit_auditentry", "bodies_body") if t in have)
    except sqlite3.DatabaseError:
        return True  # something is there that is not ours to overwrite silently
    finally:
        db.close()


def _holds_data_postgres() -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        have = {r[0] for r in cur.fetchall()}
        for table in ("audit_auditentry", "bodies_body"):
            if table in have:
                cur.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
                if cur.fetchone():
                    return True
    return False


@contextmanager
def _staging(data_dir: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as tmp:
        yield Path(tmp)


def backup_restore(file: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore ``file`` into the configured data directory and database. Returns ``{"manifest", "counts",
    "differences"}`` (tables whose row count differs from the manifest's, after migrating)."""
    file = file.expanduser().resolve()
    if not file.is_file():
        raise BackupError(f"备份文件不存在：{file}")
    data_dir = Path(settings.DATA_DIR)
    vendor = _vendor()
    with _staging(data_dir) as stage:
        manifest = backup_read(file, stage)
        if manifest["vendor"] != vendor:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupError(f"备份来自 {names.get(manifest['vendor'], manifest['vendor'])} 数据库，"
                              f"不能恢复到 {names.get(vendor, vendor)}")
        media_root = Path(settings.MEDIA_ROOT)
        holds = _media_files() or (_holds_data_sqlite(_sqlite_path()) if vendor == "sqlite"
                                   else _holds_data_postgres())
        if holds and not force:
            raise BackupError(f"数据目录 {data_dir} 已有数据；确需用备份覆盖，请加 --force")
        if vendor == "sqlite":
            connection.close()
            target = _sqlite_path()
            placed = target.with_name(target.name + ".restoring")
            shutil.copyfile(stage / DB_SQLITE, placed)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            os.replace(placed, target)
        else:
            # --clean: tables a migrate already made (holding no data, or --force) are replaced by the dump's
            connection.close()
            _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  "--clean", "--if-exists", "-d", str(settings.DATABASES["default"]["NAME"]), str(stage / DB_PG)],
                 env=_pg_env())
        staged_media = stage / "media"
        if media_root.exists():
            shutil.rmtree(media_root)
        if staged_media.is_dir():
            shutil.move(str(staged_media), str(media_root))
        secret = stage / SECRET
        if secret.is_file() and not os.environ.get("GONGKAI_SECRET_KEY"):
            os.replace(secret, data_dir / SECRET)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    counts = {}
    with connection.cursor() as cur:
        for table in manifest["counts"]:
            cur.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cur.fetchone()[0]
    differences = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
    return {"manifest": manifest, "counts": counts, "differences": differences}
