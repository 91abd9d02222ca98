"""The shared fixtures of tests/web/catalog/conftest.py (loaded by path: tests/ is not a package)."""
import importlib.util
import pathlib

_spec = importlib.util.spec_from_file_location("gongkai_catalog_fixtures_channels",
                                               pathlib.Path(__file__).parents[1] / "catalog" / "conftest.py")
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
world, publish = _fixtures.world, _fixtures.publish
