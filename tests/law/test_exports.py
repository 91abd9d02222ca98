"""gongkai.law and its modules list their exports, and the package re-exports the modules' public API."""
import importlib
import subprocess
import sys

import pytest

MODULES = ["gongkai.law", "gongkai.law.calendar", "gongkai.law.deadlines", "gongkai.law.fees",
           "gongkai.law.decisions", "gongkai.law.notice", "gongkai.law.events"]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_complete(name):
    mod = importlib.import_module(name)
    for export in mod.__all__:
        assert hasattr(mod, export), f"{name}.{export}"
    public = {n for n, v in vars(mod).items()
              if not n.startswith("_") and callable(v) and getattr(v, "__module__", None) == name}
    assert public <= set(mod.__all__), public - set(mod.__all__)


def test_the_core_is_pure():
    code = ("import sys, gongkai.law; "
            "bad = [m for m in ('django', 'typer', 'gongkai.web', 'gongkai.cli') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
