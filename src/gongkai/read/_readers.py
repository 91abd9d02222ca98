"""Import every built-in reader so that it registers itself (see :mod:`gongkai.read.registry`).

Order matters only among readers sharing magic bytes or sniffing without magic: the registry tries
them in registration order, and ``binary`` (the catch-all for unknown bytes) comes last.
"""
from __future__ import annotations

from . import (
    _docx,  # noqa: F401  PK + word/document.xml
    _html,  # noqa: F401  sniffed HTML pages
    _office,  # noqa: F401  OLE2 (.doc/.wps/.xls), RTF, OpenDocument → LibreOffice
    _pdf,  # noqa: F401  %PDF
    _sniff,  # noqa: F401  images (→ OCR) and the binary catch-all
    _xlsx,  # noqa: F401  PK + xl/workbook.xml
)

try:  # the plain-text / Markdown reader
    from . import _text  # noqa: F401
except ImportError:  # pragma: no cover - while it is being written
    pass

# the catch-all for unknown bytes, after every reader that sniffs content
from ._sniff import looks_binary, read_binary
from .registry import reader

reader("binary", sniff=looks_binary)(read_binary)
