"""Each public package lists its exports in __all__, and every name there exists."""
import importlib

import pytest

PACKAGES = ["gongkai.formats", "gongkai.report", "gongkai.checks", "gongkai.errors", "gongkai.tally",
            "gongkai.narrative", "gongkai.examples", "gongkai.read", "gongkai.write", "gongkai.law", "gongkai.compose"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_complete(name):
    mod = importlib.import_module(name)
    assert mod.__all__
    for export in mod.__all__:
        assert hasattr(mod, export), f"{name}.{export}"
    public = {n for n, v in vars(mod).items() if not n.startswith("_") and getattr(v, "__module__", name) == name
              and callable(v)}
    assert public <= set(mod.__all__) | {"annotations"}, public - set(mod.__all__)
