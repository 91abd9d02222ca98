"""Read one report in a child process: the bytes on stdin, the file name as the argument, one line of JSON out
(``{"report": …, "kind": …}`` or ``{"error": …}``). Imports no Django; the parent caps memory and CPU time."""
from __future__ import annotations

import json
import sys


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else None
    data = sys.stdin.buffer.read()
    try:
        from gongkai.errors import GongkaiError
        from gongkai.read import parse_bytes

        try:
            result = parse_bytes(data, name=name)
            out = {"report": result.report.to_json(indent=None), "kind": result.kind}
        except GongkaiError as exc:
            out = {"error": exc.message}
    except MemoryError:
        out = {"error": "文件过大或结构异常，内存不足，无法读取"}
    sys.stdout.write(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
