"""The building blocks of a format: sections, tables, rows, columns, equations.

Everything here is plain, immutable data. A :class:`Format` knows every cell key it defines,
the label (and known variants) of every row and column, and the identities (equations) that
hold between its cells. Readers, writers and checks take all of that from here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class RowKind(StrEnum):
    """What a row of a table is."""

    DATA = "data"  # a numbered data row outside the result tree (一、本年新收…)
    GROUP = "group"  # a heading row that carries no numbers (（三）不予公开)
    LEAF = "leaf"  # a result row that adds up to the total
    TOTAL = "total"  # （七）总计


class ValueType(StrEnum):
    """The type of the numbers in a column."""

    INT = "int"  # a count, >= 0
    SIGNED_INT = "signed_int"  # 2019 本年增/减, may be negative
    WAN_YUAN = "wan_yuan"  # decimal amount in 万元, keep every printed decimal
    MONEY = "money"  # amount with the unit printed in the cell (e.g. 元)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: ValueType = ValueType.INT
    aliases: tuple[str, ...] = ()
    group: str | None = None  # the spanning header above it (法人或其他组织, 行政复议, 未经复议直接起诉 …)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Row:
    key: str | None  # None for group rows and for the unlabeled single row of section 四
    label: str
    kind: RowKind = RowKind.DATA
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # label of the group row it belongs to
    basis: str = ""  # the 条例 article(s) behind a result leaf (for the ledger's reply types)
    collapsible: bool = False  # a group that some reports print as one leaf row (V17: （六）其他处理)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Table:
    """One printed table. Cell keys are ``prefix.row.column`` (row omitted when it has no key)."""

    id: str  # e.g. "s2.1", "s3", "s4"
    section: int  # 2, 3 or 4
    caption: str | None  # 第二十条第（一）项
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    stub: str = "信息内容"
    prefix: str = "s2"
    note: str | None = None  # the corner note of section 三
    column_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # header spans: (label, column keys)
    caption_aliases: tuple[str, ...] = ()

    def cell_key(self, row: Row, column: Column) -> str:
        parts = [self.prefix]
        if row.key:
            parts.append(row.key)
        parts.append(column.key)
        return ".".join(parts)

    @property
    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.kind is not RowKind.GROUP)

    def row(self, key: str | None) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def keys(self) -> list[str]:
        return [self.cell_key(r, c) for r in self.data_rows for c in self.columns]


@dataclass(frozen=True)
class Equation:
    """``sum(lhs) == sum(rhs)`` over cell keys: one instance of an identity (e.g. I1 for 自然人)."""

    id: str
    scope: str  # what the instance is about, e.g. the column key or row key
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Section:
    number: int
    numeral: str  # 一 … 六
    heading: str  # official heading, with its numbering
    variants: tuple[str, ...] = ()  # heading variants seen in real reports
    key_phrases: tuple[tuple[str, ...], ...] = ()  # any one group of phrases, all present, identifies it
    kind: str = "text"  # "text" or "tables"

    @property
    def title(self) -> str:
        """The heading without its numbering (总体情况)."""
        return self.heading.split("、", 1)[1]


@dataclass(frozen=True)
class Format:
    id: str  # "2021" or "2019-trial"
    name: str
    basis: str  # the notice that issued it
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    signals: tuple[str, ...] = ()  # labels that only this format prints
    _index: dict[str, tuple[Table, Row, Column]] = field(default_factory=dict, compare=False, repr=False)
    _memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)  # derived data, computed once

    def __post_init__(self) -> None:
        for table in self.tables:
            for row in table.data_rows:
                for col in table.columns:
                    self._index[table.cell_key(row, col)] = (table, row, col)

    # --- keys -------------------------------------------------------------------------------
    def keys(self) -> list[str]:
        """Every cell key of the format, in printed order."""
        return list(self._index)

    def has_key(self, key: str) -> bool:
        return key in self._index or key in self._alternative_index()

    def locate(self, key: str) -> tuple[Table, Row, Column]:
        if key in self._index:
            return self._index[key]
        alt = self._alternative_index()
        if key in alt:
            return alt[key]
        raise KeyError(key)

    def value_type(self, key: str) -> ValueType:
        return self.locate(key)[2].type

    def derived(self, name: str, compute: Callable[[Format], T]) -> T:
        """Data another layer derives from this format alone (the reader's row tables …), computed once and
        kept with the format, as the format keeps its own (``name`` names it; ``compute`` reads only the format)."""
        memo = self._memo.get(("derived", name))
        if memo is None:
            memo = self._memo[("derived", name)] = compute(self)
        return memo  # type: ignore[return-value]

    def value_type_or_none(self, key: str) -> ValueType | None:
        """The key's value type, or None when the format has no such key (one lookup, for the hot paths)."""
        where = self._index.get(key) or self._alternative_index().get(key)
        return where[2].type if where else None

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def tables_of(self, section: int) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.section == section)

    def alternative_keys(self) -> dict[str, tuple[Table, Row, Column]]:
        """Keys valid in place of a group's children when the group is printed as one row (V17)."""
        return dict(self._alternative_index())

    def _alternative_index(self) -> dict[str, tuple[Table, Row, Column]]:
        memo = self._memo.get("alternative_keys")
        if memo is not None:
            return memo  # type: ignore[return-value]
        out: dict[str, tuple[Table, Row, Column]] = {}
        for table in self.tables:
            for row in table.rows:
                if row.collapsible and row.kind is RowKind.GROUP:
                    leaf = Row(key=_group_key(table, row), label=row.label, kind=RowKind.LEAF)
                    for col in table.columns:
                        out[table.cell_key(leaf, col)] = (table, leaf, col)
        self._memo["alternative_keys"] = out
        return out

    # --- section 三 structure ------------------------------------------------------------------
    @property
    def s3(self) -> Table:
        return self.table("s3")

    @property
    def s4(self) -> Table:
        return self.table("s4")

    def s3_leaves(self, *, collapsed: frozenset[str] = frozenset()) -> list[str]:
        """Row keys of the result leaves, with the groups in ``collapsed`` printed as one row."""
        table = self.s3
        out: list[str] = []
        skip_parent: str | None = None
        for row in table.rows:
            if row.kind is RowKind.GROUP and row.collapsible:
                gk = _group_key(table, row)
                skip_parent = row.label if gk in collapsed else None
                if gk in collapsed:
                    out.append(gk)
                continue
            if row.kind is RowKind.LEAF:
                if skip_parent and row.parent == skip_parent:
                    continue
                out.append(row.key or "")
        return out

    def collapsible_groups(self) -> dict[str, tuple[str, ...]]:
        """Group key -> its children's row keys, for groups a report may print as one row."""
        memo = self._memo.get("collapsible_groups")
        if memo is None:
            memo = self._memo["collapsible_groups"] = self._collapsible_groups()
        return dict(memo)  # type: ignore[call-overload]

    def _collapsible_groups(self) -> dict[str, tuple[str, ...]]:
        table = self.s3
        out: dict[str, tuple[str, ...]] = {}
        for row in table.rows:
            if row.collapsible and row.kind is RowKind.GROUP:
                out[_group_key(table, row)] = tuple(
                    r.key or "" for r in table.rows if r.parent == row.label and r.kind is RowKind.LEAF
                )
        return out

    def equations(self, *, collapsed: frozenset[str] = frozenset()) -> list[Equation]:
        """Every instance of the identities I1, I3, I4, I5 in this format."""
        memo_key = ("equations", frozenset(collapsed))
        memo = self._memo.get(memo_key)
        if memo is None:
            memo = self._memo[memo_key] = tuple(self._equations(frozenset(collapsed)))
        return list(memo)  # type: ignore[call-overload]

    def _equations(self, collapsed: frozenset[str]) -> list[Equation]:
        s3, s4 = self.s3, self.s4
        cols = [c.key for c in s3.columns]
        parts = [c for c in cols if c != "total"]
        leaves = self.s3_leaves(collapsed=collapsed)
        rows = ["new", "carried_over", *leaves, "total", "carry_forward"]
        eqs: list[Equation] = []
        for c in cols:
            eqs.append(Equation("I1", c, (f"s3.new.{c}", f"s3.carried_over.{c}"),
                                (f"s3.total.{c}", f"s3.carry_forward.{c}"),
                                "本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理"))
        for c in cols:
            eqs.append(Equation("I3", c, (f"s3.total.{c}",), tuple(f"s3.{r}.{c}" for r in leaves),
                                "（七）总计 = 各办理结果之和"))
        for r in rows:
            eqs.append(Equation("I4", r, (f"s3.{r}.total",), tuple(f"s3.{r}.{c}" for c in parts),
                                "总计列 = 自然人与五类法人或其他组织之和"))
        blocks = dict.fromkeys(c.key.split(".")[0] for c in s4.columns)
        for g in blocks:
            eqs.append(Equation("I5", g, (f"s4.{g}.total",),
                                tuple(f"s4.{g}.{r}" for r in ("upheld", "corrected", "other", "pending")),
                                "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"))
        return eqs


def _group_key(table: Table, row: Row) -> str:
    """The key a collapsible group gets when printed as one leaf: the shared prefix of its children."""
    children = [r.key for r in table.rows if r.parent == row.label and r.key]
    return children[0].split(".")[0] if children else ""
