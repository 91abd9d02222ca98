"""Text reports parsed per second on one core (target ≥ 100/s), beside a baseline.

    .venv/bin/python bench/bench_read_text.py

Inputs: the text and Markdown reports of the dev corpus (crawler-flattened, OCR, PDF-to-Markdown),
plus synthetic reports in four layouts (Markdown, tab-separated, space-separated, flattened), each
parsed in full: blocks → lines → alignment → numbers → repair → metadata → Report (checks left out,
they have their own bench). Baseline: the same texts through ``str.splitlines`` and one regex scan
for numbers — the cost of merely touching every line and digit, which no reader can beat.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.read import blocks_to_report, parse_bytes
from gongkai.read._text import decode_text, text_to_blocks
from gongkai.read.registry import Document, ReadOptions

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"  # shared/ beside the checkout
SECONDS = float(os.environ.get("GONGKAI_BENCH_SECONDS", "4"))


def _inputs() -> list[tuple[str, str]]:
    out = []
    if CORPUS.is_dir():
        for p in sorted(CORPUS.iterdir()):
            if p.suffix in (".txt", ".md") and p.name != "README.md":
                out.append((p.name, decode_text(p.read_bytes())[0]))
    try:
        from tests.read.synth import LAYOUTS, Variant, render_text, sample_report

        for i, layout in enumerate(LAYOUTS):
            for fid in ("2021", "2019-trial"):
                out.append((f"synthetic-{layout}-{fid}", render_text(sample_report(fid, seed=i + 1),
                                                                      Variant(layout=layout, seed=i))))
    except ImportError:
        pass
    return out


def _full(text: str) -> None:
    """The whole parse as ``gongkai parse`` does it: reader, shared stages and the checks."""
    parse_bytes(text.encode("utf-8"), name="report.txt", options=ReadOptions(ocr="never"))


def _ours(text: str) -> None:
    doc = Document(blocks=text_to_blocks(text), kind="text")
    blocks_to_report(doc, options=ReadOptions())


_NUM = re.compile(r"\d+(?:\.\d+)?")


def _baseline(text: str) -> None:
    n = 0
    for line in text.splitlines():
        n += len(_NUM.findall(line))


def _rate(func, texts: list[str]) -> float:
    """Reports per second of CPU time of this process (the machine is shared: wall time would
    measure the other processes too)."""
    for t in texts:  # warm-up (regex compilation, caches)
        func(t)
    done, start = 0, time.process_time()
    while time.process_time() - start < SECONDS:
        for t in texts:
            func(t)
        done += len(texts)
    return done / (time.process_time() - start)


def main() -> None:
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    inputs = _inputs()
    texts = [t for _, t in inputs]
    kb = sum(len(t.encode("utf-8")) for t in texts) / len(texts) / 1024
    print(f"bench_read_text: {len(texts)} reports (mean {kb:.1f} KB), {SECONDS:.0f}s CPU per measurement, one core, "
          f"load average {os.getloadavg()[0]:.1f}")
    ours = _rate(_ours, texts)
    full = _rate(_full, texts)
    base = _rate(_baseline, texts)
    print(f"  gongkai text pipeline    {ours:10.1f} reports/s   (target ≥ 100/s: {'met' if ours >= 100 else 'NOT met'})")
    print(f"  full parse (with checks) {full:10.1f} reports/s   (target ≥ 100/s: {'met' if full >= 100 else 'NOT met'})")
    print(f"  baseline splitlines+re   {base:10.1f} reports/s   ({base / ours:.0f}× ours)")
    slow = []
    for name, text in inputs:
        t0 = time.process_time()
        _ours(text)
        slow.append((time.process_time() - t0, name))
    slow.sort(reverse=True)
    print("  slowest: " + ", ".join(f"{n} {s * 1000:.0f} ms" for s, n in slow[:3]))


if __name__ == "__main__":
    main()
