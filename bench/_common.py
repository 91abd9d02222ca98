"""Shared by the database benches (bench_api, bench_ledger): run one bench on SQLite, then on PostgreSQL.

The bench scripts run as ``python bench/bench_x.py`` (``make bench``), so this directory is on ``sys.path``
and they import this module as ``_common``; its name does not match ``bench_*.py``, so ``make bench`` does
not run it by itself.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sqlite_then_postgres(script: str, run_here: Callable[[], None], *, prefix: str = "gongkai-bench-") -> None:
    """``script --here``: ``run_here()`` on the database of DATABASE_URL (or SQLite), then drop its temporary
    data directory. Without ``--here``: run ``script --here`` once on SQLite and once under
    scripts/with-postgres.sh (skipped with a note when PostgreSQL is not installed), each with a fresh data
    directory; a failure of either run is the exit status."""
    if "--here" in sys.argv:
        try:
            run_here()
        finally:
            if os.environ.get("GONGKAI_DATA_DIR", "").startswith(tempfile.gettempdir()):
                shutil.rmtree(os.environ["GONGKAI_DATA_DIR"], ignore_errors=True)
        return
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run([sys.executable, script, "--here"], env={**env, "GONGKAI_DATA_DIR": tempfile.mkdtemp(prefix=prefix)},
                   check=True)
    pg = subprocess.run([str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, script, "--here"],
                        env={**env, "GONGKAI_DATA_DIR": tempfile.mkdtemp(prefix=prefix)}, check=False)
    if pg.returncode == 3:
        print("[postgresql] skipped: PostgreSQL not available")
    elif pg.returncode:
        sys.exit(pg.returncode)


def demo_database(prefix: str):
    """Set Django up on a fresh data directory (unless GONGKAI_DATA_DIR is set), migrate and load the demo;
    returns the 七政 body."""
    if not os.environ.get("GONGKAI_DATA_DIR"):  # (setdefault would make a directory even when it is set)
        os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix=prefix)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from gongkai.web.bodies.models import Body
    from gongkai.web.core.demo import load_demo

    load_demo()
    return Body.objects.get(short_name="七政")


def demo_token(username: str) -> str:
    """An API token of a demo user (after :func:`demo_database`)."""
    from django.contrib.auth import get_user_model

    from gongkai.web.bodies.services import token_create

    return token_create(user=get_user_model().objects.get(username=username), name="bench")
