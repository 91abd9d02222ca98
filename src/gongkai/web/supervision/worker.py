"""What the isolated child runs for a batch upload (``gongkai.read.isolate``): parse one report, return its JSON.
Imports no Django: the child is a fresh interpreter with capped memory and CPU time."""
from __future__ import annotations


def parse_to_json(data: bytes, name: str) -> tuple[str, str]:
    """(the Report as JSON, the reader's kind); a :class:`GongkaiError` travels back to the parent as itself."""
    from gongkai.read import parse_bytes

    result = parse_bytes(data, name=name)
    return result.report.to_json(indent=None), result.kind
