"""Writing a report in the official layout: DOCX, PDF, HTML, Markdown, XLSX, JSON.

    render(report, "docx")                 -> bytes
    render(report, "html", fragment=True)  -> the <article> alone, for the web system (styles: STYLESHEET)
    write(report, "report.pdf")            -> Path (the format from the suffix, or ``to=``)
    template(2025, format_id="2021")       -> a blank Report (every cell 0) to render for a clerk

Every output is built from one :class:`~gongkai.write._layout.Layout` (labels from
:mod:`gongkai.formats`, texts from the report). Numbers are printed as they are in the report,
never "fixed": a report with findings renders with a visible warning block that lists them
(the check findings from :func:`gongkai.checks.run_checks` unless ``findings`` is given), and any
blank, missing or uncertain cell is named there. Text that the report lacks is left as a marked,
empty placeholder, never invented.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from ..errors import WriteError
from ..report import Metadata, Report, zero_report
from ._html import STYLESHEET
from ._layout import FindingLike, Layout, build_layout

Target = Literal["docx", "pdf", "html", "md", "xlsx", "json"]
TO: tuple[Target, ...] = ("docx", "pdf", "html", "md", "xlsx", "json")
SUFFIXES: dict[str, Target] = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md",
                               ".markdown": "md", ".xlsx": "xlsx", ".json": "json"}


def _checks(report: Report, previous: Report | None) -> list[FindingLike]:
    try:
        from ..checks import run_checks  # the lead's checks; absent in early trees
    except ImportError:
        return []
    return list(run_checks(report, previous=previous))


def layout(report: Report, *, findings: Iterable[FindingLike] | None = None, previous: Report | None = None,
           template: bool = False) -> Layout:
    """The layout every writer renders (exposed for the web system and for tests)."""
    found = list(findings) if findings is not None else ([] if template else _checks(report, previous))
    return build_layout(report, found, template=template)


def render(report: Report, to: str, *, findings: Iterable[FindingLike] | None = None,
           previous: Report | None = None, fragment: bool = False, template: bool = False) -> bytes:
    """The report as a document of kind ``to`` (one of :data:`TO`).

    ``findings``: show these instead of running the checks; ``previous``: last year's report for
    the cross-year checks (X1 …); ``fragment``: HTML without the page around the ``<article>``;
    ``template``: a blank form for a clerk (no warning block).
    """
    if to not in TO:
        raise WriteError(f"不支持的输出格式 {to!r}，可选：{'、'.join(TO)}")
    if to == "json":
        return report.to_json().encode()
    lay = layout(report, findings=findings, previous=previous, template=template)
    writer = _writer(to)
    try:
        return writer(lay, report, fragment=fragment)
    except WriteError:
        raise
    except (OSError, ValueError, RuntimeError) as exc:
        raise WriteError(f"生成 {to} 文件失败：{exc}") from exc


def _writer(to: str) -> Callable[..., bytes]:
    if to == "html":
        from ._html import render_html
        return lambda lay, report, fragment=False: render_html(lay, fragment=fragment)
    if to == "pdf":
        from ._pdf import render_pdf
        return lambda lay, report, fragment=False: render_pdf(lay)
    if to == "md":
        from ._md import render_md
        return lambda lay, report, fragment=False: render_md(lay)
    if to == "docx":
        from ._docx import render_docx
        return lambda lay, report, fragment=False: render_docx(lay)
    from ._xlsx import render_xlsx
    return lambda lay, report, fragment=False: render_xlsx(lay, report)


def target_of(path: str | Path, to: str | None = None) -> Target:
    """The output kind for a path: ``to`` when given, else from the suffix."""
    if to:
        if to not in TO:
            raise WriteError(f"不支持的输出格式 {to!r}，可选：{'、'.join(TO)}")
        return to  # type: ignore[return-value]
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise WriteError(f"无法从文件名判断输出格式（{suffix or '无扩展名'}），请指定 --to", path=str(path))
    return SUFFIXES[suffix]


def write(report: Report, path: str | Path, *, to: str | None = None, **options: Any) -> Path:
    """Render and write to ``path`` (written to a temporary name first, so a failure leaves nothing half-written)."""
    p = Path(path)
    data = render(report, target_of(p, to), **options)
    tmp = p.with_name(f".{p.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteError(f"无法写入文件：{exc.strerror}", path=str(p)) from exc
    return p


def template(year: int, *, format_id: str = "2021", agency: str | None = None) -> Report:
    """A blank report of the format: every cell 0, no texts; :func:`render` it with ``template=True``."""
    report = zero_report(format_id, year=year, agency=agency)
    return report.model_copy(update={"metadata": Metadata(agency=agency, year=year, format_declared=format_id,
                                                          period_start=dt.date(year, 1, 1),
                                                          period_end=dt.date(year, 12, 31))})


def render_many(reports: Sequence[Report], to: str, *, jobs: int = 1, **options: Any) -> list[bytes]:
    """Render several reports, in order; ``jobs`` > 1 spreads them over that many processes (PDF takes
    about 0.4 s of CPU per report, so a batch of 1,000 is worth the cores)."""
    if jobs <= 1 or len(reports) < 2:
        return [render(r, to, **options) for r in reports]
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(partial(_render_one, to=to, options=options), reports,
                             chunksize=max(1, len(reports) // (jobs * 4))))


def _render_one(report: Report, *, to: str, options: dict[str, Any]) -> bytes:
    return render(report, to, **options)


__all__ = ["STYLESHEET", "SUFFIXES", "TO", "Target", "layout", "render", "render_many", "target_of", "template", "write"]
