"""The official annual-report formats as data.

``get_format("2021")`` and ``get_format("2019-trial")`` return a :class:`Format`: its sections with
headings and variants, its tables (rows, columns, labels, aliases, canonical keys, value types) and
its identities as :class:`Equation` instances. Labels and keys appear nowhere else in gongkai.
"""
from __future__ import annotations

from ._model import Column, Equation, Format, Row, RowKind, Section, Table, ValueType
from .f2019 import FORMAT_2019
from .f2021 import FORMAT_2021
from .vocab import BodyKind, Level, infer_body

FORMATS: dict[str, Format] = {f.id: f for f in (FORMAT_2021, FORMAT_2019)}
FORMAT_IDS = tuple(FORMATS)


def get_format(format_id: str) -> Format:
    """The format with this id ("2021" or "2019-trial"); raises KeyError for any other."""
    try:
        return FORMATS[format_id]
    except KeyError:
        raise KeyError(f"unknown format {format_id!r}; known: {', '.join(FORMATS)}") from None


def format_of_key(key: str) -> list[str]:
    """The ids of the formats that define this cell key."""
    return [f.id for f in FORMATS.values() if f.has_key(key)]


__all__ = [
    "FORMATS",
    "FORMAT_2019",
    "FORMAT_2021",
    "FORMAT_IDS",
    "BodyKind",
    "Column",
    "Equation",
    "Format",
    "Level",
    "Row",
    "RowKind",
    "Section",
    "Table",
    "ValueType",
    "format_of_key",
    "get_format",
    "infer_body",
]
