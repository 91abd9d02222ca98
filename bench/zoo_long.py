"""The layout zoo, long run: many random reports in every layout, cut and uncut; failures by layout.

    .venv/bin/python bench/zoo_long.py                  # 2000 examples (or GONGKAI_ZOO_EXAMPLES), all layouts
    .venv/bin/python bench/zoo_long.py 500 html-js      # 500 examples, one layout (or several)
    .venv/bin/python bench/zoo_long.py 2000 --show 3    # print up to 3 failing examples per (layout, property)
    .venv/bin/python bench/zoo_long.py 2000 --save DIR  # write each failing page (.txt/.html) and its problems (.json)

Each example draws a report and a way of printing it (tests/read/zoo.py), parses the whole page (every cell
must be exactly right) and the page cut at a random character after the start of section 二 (never refused
after 二's first row with values, nothing invented, every completely printed cell right or uncertain), and
counts the failing examples per layout and property. Unlike ``pytest tests/read/test_layout_zoo.py`` it does
not stop at the first failure and does not shrink; it is not named ``bench_*.py``, so ``make bench`` does not
run it. Exit status 1 when any example fails.
"""
from __future__ import annotations

import json
import os
import sys
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning
from tests.read.zoo import LAYOUTS, judge_cut, judge_uncut, parse_page, render_page, zoo_reports, zoos

from gongkai.errors import NotAReport

PROPS = ("uncut", "refused", "invented", "lost/wrong", "error")


def run(total: int, layouts: list[str], show: int, save: Path | None) -> int:
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    per = max(1, total // len(layouts))
    examples: Counter[str] = Counter()
    failed: Counter[tuple[str, str]] = Counter()  # (layout, property) -> failing examples
    kinds: Counter[tuple[str, str]] = Counter()  # (layout, problem kind) -> failing cells
    samples: dict[tuple[str, str], list[str]] = defaultdict(list)
    started = time.perf_counter()
    n_saved = 0

    for layout in layouts:
        strategy = st.tuples(zoo_reports(), zoos(layout), st.floats(0, 1))
        for _ in range(per):
            drawn, zoo, frac = strategy.example()
            report = drawn.report
            page = render_page(report, zoo)
            cut = page.s2_start + int(frac * (len(page.text) - 1 - page.s2_start))
            examples[layout] += 1
            found: dict[str, list[str]] = {}
            try:
                problems = judge_uncut(page, parse_page(page))
                if problems:
                    found["uncut"] = [str(p) for p in problems]
            except Exception as exc:  # noqa: BLE001 - counted, not raised
                found["uncut"] = [f"{type(exc).__name__}: {exc}"]
            try:
                got = parse_page(page, cut)
            except NotAReport as exc:
                if cut >= page.first_row_end:
                    found["refused"] = [f"NotAReport: {exc}"]
                got = None
            except Exception as exc:  # noqa: BLE001
                found["error"] = [f"{type(exc).__name__}: {exc}"]
                got = None
            if got is not None:
                problems = judge_cut(page, got, cut)
                for prop, ks in (("invented", ("invented",)), ("lost/wrong", ("lost", "wrong"))):
                    mine = [p for p in problems if p.kind in ks]
                    if mine:
                        found[prop] = [str(p) for p in mine]
                for p in problems:
                    kinds[(layout, p.kind)] += 1
            for prop, lines in found.items():
                failed[(layout, prop)] += 1
                where = "" if prop == "uncut" else f" cut={cut}: ...{page.text[:cut][-120:]!r}"
                text = f"{zoo} format={report.format}{where}\n    " + "\n    ".join(lines[:6])
                if len(samples[(layout, prop)]) < show:
                    samples[(layout, prop)].append(text)
            if found and save is not None:
                save.mkdir(parents=True, exist_ok=True)
                n_saved += 1
                stem = save / f"{n_saved:04d}-{layout}"
                stem.with_suffix(".html" if page.as_html else ".txt").write_text(page.text, encoding="utf-8")
                stem.with_suffix(".json").write_text(json.dumps(
                    {"zoo": asdict(zoo), "format": report.format, "cut": cut, "problems": found,
                     "report": json.loads(report.model_dump_json())}, ensure_ascii=False, indent=1), encoding="utf-8")

    seconds = time.perf_counter() - started
    n = sum(examples.values())
    print(f"layout zoo: {n} examples ({per} per layout; each parsed whole and cut once), {seconds:.1f}s "
          f"({1000 * seconds / max(n, 1):.0f} ms per example)")
    print("failing examples by layout and property:")
    print(f"{'layout':<20}{'examples':>9}" + "".join(f"{p:>12}" for p in PROPS))
    bad = 0
    for layout in layouts:
        row = [failed[(layout, p)] for p in PROPS]
        bad += sum(row)
        print(f"{layout:<20}{examples[layout]:>9}" + "".join(f"{x:>12}" for x in row))
    print(f"{'all':<20}{n:>9}" + "".join(f"{sum(failed[(lay, p)] for lay in layouts):>12}" for p in PROPS))
    if kinds:
        print("failing cells by layout and kind: "
              + ", ".join(f"{lay}/{k} {v}" for (lay, k), v in sorted(kinds.items())))
    for (layout, prop), texts in sorted(samples.items()):
        for t in texts:
            print(f"--- {layout} {prop}: {t}")
    if save is not None and n_saved:
        print(f"{n_saved} failing examples written to {save}")
    return 1 if bad else 0


def main() -> int:
    args = sys.argv[1:]
    show, save = 1, None
    for flag in ("--show", "--save"):
        if flag in args:
            i = args.index(flag)
            if flag == "--show":
                show = int(args[i + 1])
            else:
                save = Path(args[i + 1])
            del args[i: i + 2]
    total = int(args.pop(0)) if args and args[0].isdigit() else int(os.environ.get("GONGKAI_ZOO_EXAMPLES", "2000"))
    layouts = args or list(LAYOUTS)
    unknown = [x for x in layouts if x not in LAYOUTS]
    if unknown:
        print(f"unknown layouts {unknown}; layouts: {', '.join(LAYOUTS)}")
        return 2
    return run(total, layouts, show, save)


if __name__ == "__main__":
    sys.exit(main())
