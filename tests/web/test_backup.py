"""``gongkai backup`` / ``gongkai restore`` (issue 13): a populated data directory — the demo's applications,
appeals, catalog items, the published 2023 report, users and the audit log, plus catalog items with attachments —
is backed up through the CLI, restored into a fresh data directory (on PostgreSQL: a fresh database), and every
row of every table and every uploaded file is found again, byte for byte; the audit chain verifies against the
head the manifest recorded. A damaged backup and a data directory that already holds data are refused.

The CLI runs in its own processes (as an operator would run it), so these tests use no pytest-django database."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from .test_concurrent_writes import _fresh_postgres

pytestmark = pytest.mark.slow

POPULATE = r"""
import django

django.setup()
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from gongkai.web.bodies.models import Body
from gongkai.web.catalog import services as catalog
from gongkai.web.core.demo import load_demo

load_demo(count=30)  # a smaller year of applications: the test is about every row, not many
clerk = get_user_model().objects.get(username="dengji")
body = Body.objects.get(short_name="七政")
for i in range(3):
    item = catalog.item_create(body=body, author=clerk, title=f"附件测试第{i}号", text="正文。")
    catalog.attachment_add(item=item, actor=clerk, name=f"附件{i}.pdf",
                           data=b"%PDF-1.4\n" + bytes(range(256)) * (40 + i) + b"\n%%EOF\n")
"""

# every row of every table (binary columns as their SHA-256), every uploaded file's SHA-256, the audit chain
FINGERPRINT = r"""
import hashlib
import json
from pathlib import Path

import django

django.setup()
from django.apps import apps
from django.conf import settings
from gongkai.web.audit.selectors import audit_chain_verify


def plain(v):
    if isinstance(v, (bytes, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(v)).hexdigest()
    return v if isinstance(v, (int, float, str, bool, type(None), list, dict)) else str(v)


tables = {}
for model in apps.get_models(include_auto_created=True):
    names = [f.attname for f in model._meta.concrete_fields]
    tables[model._meta.db_table] = [[plain(v) for v in row]
                                    for row in model.objects.order_by("pk").values_list(*names)]
media = Path(settings.MEDIA_ROOT)
files = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(media.rglob("*")) if p.is_file()}
chain = audit_chain_verify()
print(json.dumps({"tables": tables, "files": files, "chain_ok": chain.ok, "chain_entries": chain.entries,
                  "head": [chain.head_seq, chain.head_hash]}, default=str))
"""


CONTINUE = r"""
import datetime as dt
import django

django.setup()
from django.contrib.auth import get_user_model
from gongkai.web.applications.services import application_register
from gongkai.web.bodies.models import Body

application_register(body=Body.objects.get(short_name="七政"), channel="in_person", submitted_on=dt.date.today(),
                     applicant_type="natural", applicant_name="恢复后", description="恢复后的第一份申请",
                     actor=get_user_model().objects.get(username="dengji"))
"""


class DataDir:
    """A data directory (and, under scripts/with-postgres.sh, a fresh PostgreSQL database of its own)."""

    def __init__(self, path: Path, drops: list[Any]) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "GONGKAI_SECRET_KEY")}
        self.env["GONGKAI_DATA_DIR"] = str(path)
        if self.env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            self.env["DATABASE_URL"], drop = _fresh_postgres(self.env["DATABASE_URL"], suffix=path.name)
            drops.append(drop)
        else:
            self.env.pop("DATABASE_URL", None)

    def python(self, code: str) -> str:
        out = subprocess.run([sys.executable, "-c", code], env={**self.env, "DJANGO_SETTINGS_MODULE":
                             "gongkai.web.settings"}, capture_output=True, text=True, timeout=300, check=False)
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout

    def gongkai(self, *args: str) -> subprocess.CompletedProcess[str]:
        exe = os.path.join(os.path.dirname(sys.executable), "gongkai")
        return subprocess.run([exe, *args], env=self.env, capture_output=True, text=True, timeout=300, check=False)

    def fingerprint(self) -> dict[str, Any]:
        return json.loads(self.python(FINGERPRINT).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def world(tmp_path_factory: Any) -> Any:
    tmp = tmp_path_factory.mktemp("backup")
    drops: list[Any] = []
    try:
        source = DataDir(tmp / "source", drops)
        source.python(POPULATE)
        backup = tmp / "out" / "备份.tar.gz"
        made = source.gongkai("backup", "-o", str(backup))
        assert made.returncode == 0, made.stderr
        yield {"tmp": tmp, "source": source, "backup": backup, "made": made, "drops": drops,
               "before": source.fingerprint()}
    finally:
        for drop in drops:
            drop()


def test_backup_file_and_manifest(world: dict[str, Any]) -> None:
    backup = world["backup"]
    assert oct(backup.stat().st_mode & 0o777) == "0o600"  # personal data and the secret key
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no temporary file left behind
    with tarfile.open(backup) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        names = set(tar.getnames())
    before = world["before"]
    assert manifest["counts"] == {t: len(rows) for t, rows in before["tables"].items() if t in manifest["counts"]}
    assert manifest["counts"]["applications_application"] > 30 and manifest["counts"]["reports_reportfile"] > 0
    assert manifest["media_files"] == len(before["files"]) == 3
    assert {f["path"] for f in manifest["files"]} | {"manifest.json"} == names
    assert manifest["audit"]["head_seq"] == before["head"][0] == manifest["counts"]["audit_auditentry"]
    assert f"审计日志 {manifest['audit']['entries']} 条" in world["made"].stdout


def test_restore_into_a_fresh_data_dir_finds_every_record_and_file(world: dict[str, Any]) -> None:
    target = DataDir(world["tmp"] / "fresh", world["drops"])
    restored = target.gongkai("restore", str(world["backup"]))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "审计日志哈希链完整" in restored.stdout and "链头与备份清单一致" in restored.stdout
    before, after = world["before"], target.fingerprint()
    assert after["files"] == before["files"] and len(after["files"]) == 3
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, table
    assert after["chain_ok"] and after["head"] == before["head"]
    assert (target.path / "secret_key").read_text() == (world["source"].path / "secret_key").read_text()
    verify = target.gongkai("audit", "verify")
    assert verify.returncode == 0 and "哈希链完整" in verify.stdout
    # the restored system takes new writes: ids and numbers go on (SQLite's sqlite_sequence, PostgreSQL's
    # sequences came back with the data), and so does the chain
    target.python(CONTINUE)
    grown = target.fingerprint()
    assert grown["chain_ok"] and grown["head"][0] == before["head"][0] + 1
    assert len(grown["tables"]["applications_application"]) == len(before["tables"]["applications_application"]) + 1
    # a data directory that holds data is not overwritten without --force
    again = target.gongkai("restore", str(world["backup"]))
    assert again.returncode == 2 and "已有数据" in again.stderr and "--force" in again.stderr
    forced = target.gongkai("restore", "--force", str(world["backup"]))
    assert forced.returncode == 0, forced.stderr
    assert target.fingerprint()["tables"] == before["tables"]


def test_a_damaged_backup_is_refused_before_anything_is_touched(world: dict[str, Any]) -> None:
    damaged = world["tmp"] / "damaged.tar.gz"
    with tarfile.open(world["backup"]) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("media/"):
                data = data[:-2] + b"!\n"  # one byte changed, same size
            dst.addfile(member, io.BytesIO(data))
    target = DataDir(world["tmp"] / "untouched", world["drops"])
    refused = target.gongkai("restore", str(damaged))
    assert refused.returncode == 2 and "已损坏" in refused.stderr and "校验和" in refused.stderr
    assert not (target.path / "media").exists() and not (target.path / "gongkai.sqlite3").exists()
    junk = world["tmp"] / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    refused = target.gongkai("restore", str(junk))
    assert refused.returncode == 2 and "无法读取备份文件" in refused.stderr
