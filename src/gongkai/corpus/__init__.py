"""Reports at scale: a dataset of every report (Parquet + DuckDB), bodies across years, an overview with charts.

    build(inputs, "dataset/")                 → Summary   (gongkai.corpus.build)
    overview("dataset/", "report.html")       → the static HTML overview with charts (gongkai.corpus.overview)
    assign(names) / name_key(name)            → bodies under the names they print (gongkai.corpus.bodies)

No Django here; pyarrow, duckdb and matplotlib are imported when used.
"""
from __future__ import annotations

from .bodies import assign, name_key, region_of
from .build import DB_NAME, TABLES, Summary, build, list_inputs

__all__ = ["DB_NAME", "TABLES", "Summary", "assign", "build", "list_inputs", "name_key", "region_of"]
