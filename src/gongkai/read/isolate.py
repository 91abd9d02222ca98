"""Run one parse of untrusted bytes in a child process that cannot take more than a set memory and time.

    isolate.run("gongkai.read._xlsx:sheet_values", data)   →  the function's result, in this process

The child is a fresh interpreter (``python -m gongkai.read.isolate``), not a fork: it inherits no
threads, locks, database connections or request state of a web worker, and nothing it does to its own
heap can touch the parent. Before it reads its input it sets

* ``RLIMIT_AS`` to :attr:`Limits.memory_bytes` — an allocation past it fails (``MemoryError`` in
  Python, an abort in a C library); either way the child ends and the parent raises :class:`LimitExceeded`;
* ``RLIMIT_CPU`` to :attr:`Limits.cpu_seconds` — the kernel stops a child that loops;

and the parent also waits no longer than twice the CPU limit (a child blocked on I/O). Why a child
rather than limits inside the worker: a worker serves other requests on other threads, and C parsers
(pdfium, libxml2) do not all survive a failed allocation. The format checks of :mod:`.limits` still run
first in the child, so a bomb is refused there in a fraction of a second with its own message; the
process limits are the backstop for whatever those checks do not foresee.

Only functions of the ``gongkai`` package can be called; arguments and results travel as pickles
between this process and its own child (never from the untrusted input itself).
"""
from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from typing import Any

from .. import errors as _errors
from ..errors import CorruptDocument, GongkaiError
from .limits import LimitExceeded, Limits, current, size

_MEMORY_MESSAGE = "文件处理时超出内存上限（{limit}），疑似异常文件，已停止读取"
_TIME_MESSAGE = "文件处理超时（CPU 时间超过 {limit} 秒），疑似异常文件，已停止读取"


def run(target: str, *args: Any, limits: Limits | None = None) -> Any:
    """Call ``target`` (``"gongkai.module:function"``) with ``args`` in a limited child; its result.

    A :class:`GongkaiError` raised in the child is raised here (same class, same message); running out
    of memory or CPU time is a :class:`LimitExceeded`.
    """
    if not target.startswith("gongkai.") or ":" not in target:
        raise ValueError(f"not a gongkai function: {target!r}")
    lim = limits or current()
    env = dict(os.environ, GONGKAI_ISOLATE_MEMORY=str(lim.memory_bytes), GONGKAI_ISOLATE_CPU=str(lim.cpu_seconds))
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    try:
        proc = subprocess.run([sys.executable, "-m", "gongkai.read.isolate"], input=pickle.dumps((target, args)),
                              capture_output=True, timeout=2 * lim.cpu_seconds + 10, env=env, check=False)
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the child
        raise LimitExceeded(_TIME_MESSAGE.format(limit=lim.cpu_seconds)) from exc
    try:
        outcome = pickle.loads(proc.stdout) if proc.stdout else None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        outcome = None
    if isinstance(outcome, tuple) and outcome and outcome[0] == "ok":
        return outcome[1]
    if isinstance(outcome, tuple) and outcome and outcome[0] == "error":
        _kind, name, message = outcome
        cls = getattr(_errors, name, None)
        if name == "LimitExceeded":
            cls = LimitExceeded
        if not (isinstance(cls, type) and issubclass(cls, GongkaiError)):
            cls = CorruptDocument
        raise cls(message)
    if isinstance(outcome, tuple) and outcome and outcome[0] == "memory":
        raise LimitExceeded(_MEMORY_MESSAGE.format(limit=size(lim.memory_bytes)))
    if proc.returncode in (-24, -9, 152, 137):  # SIGXCPU, SIGKILL (the CPU hard limit)
        raise LimitExceeded(_TIME_MESSAGE.format(limit=lim.cpu_seconds))
    # no answer: a C library aborted on a failed allocation, or the child died some other way
    raise LimitExceeded(_MEMORY_MESSAGE.format(limit=size(lim.memory_bytes)))


def probe(kind: str, amount: int) -> int:
    """Check that the limits hold on this platform: allocate ``amount`` MiB (``"memory"``) or spin for
    ``amount`` seconds of CPU (``"cpu"``) — ``run("gongkai.read.isolate:probe", "memory", 4096)`` must
    raise :class:`LimitExceeded`."""
    import time

    if kind == "memory":
        blocks = [bytearray(1024 * 1024) for _ in range(amount)]
        return len(blocks)
    end, n = time.process_time() + amount, 0
    while time.process_time() < end:
        n += 1
    return n


def _child() -> None:
    import resource

    memory = int(os.environ.get("GONGKAI_ISOLATE_MEMORY", current().memory_bytes))
    cpu = int(os.environ.get("GONGKAI_ISOLATE_CPU", current().cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    out = sys.stdout.buffer
    try:
        target, args = pickle.loads(sys.stdin.buffer.read())
        module, _, name = target.partition(":")
        if not module.startswith("gongkai."):
            raise ValueError(module)
        result: tuple[Any, ...] = ("ok", getattr(importlib.import_module(module), name)(*args))
    except MemoryError:
        result = ("memory",)
    except GongkaiError as exc:
        result = ("error", type(exc).__name__, exc.message)
    except Exception as exc:  # noqa: BLE001 - any other failure of a parser on hostile bytes
        result = ("error", "CorruptDocument", f"文件无法读取（{type(exc).__name__}）")
    try:
        data = pickle.dumps(result)
    except MemoryError:
        data = pickle.dumps(("memory",))
    out.write(data)
    out.flush()


if __name__ == "__main__":
    _child()


__all__ = ["probe", "run"]
