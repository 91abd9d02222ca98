"""Example reports shipped with gongkai.

``qizheng-2023``: the 2023 report of 南岗区七政街道办事处 (our example user), its values and texts
transcribed from the published (scanned) report.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .report import Report

NAMES = ("qizheng-2023",)


def path(name: str) -> Path:
    if name not in NAMES:
        raise KeyError(f"unknown example {name!r}; known: {', '.join(NAMES)}")
    return Path(str(resources.files("gongkai") / "data" / "examples" / f"{name}.json"))


def load(name: str) -> Report:
    return Report.load(path(name))


__all__ = ["NAMES", "load", "path"]
