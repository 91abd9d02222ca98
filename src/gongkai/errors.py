"""The errors gongkai raises. Check *findings* are data, never exceptions.

    GongkaiError
    ├── InputError            a Report JSON (or other input) that cannot be used
    ├── ReadError             a document that cannot be read
    │   ├── UnsupportedInput  a kind of file gongkai does not read
    │   ├── CorruptDocument   a damaged, encrypted or oversized file
    │   ├── NotAReport        readable, but not an annual report
    │   └── NeedsOCR          a scan with no text layer
    ├── WriteError            a report that could not be written
    └── LawError              an impossible legal computation (date outside the calendar …)
"""
from __future__ import annotations


class GongkaiError(Exception):
    """Base of every error gongkai raises; ``str(err)`` is a one-line message for the user."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None,
                 page: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.key = key
        self.page = page

    def __str__(self) -> str:
        where = " ".join(p for p in (
            self.path and f"{self.path}:", self.page is not None and f"第{self.page}页" or None,
            self.key and f"[{self.key}]") if p)
        return f"{where} {self.message}".strip()


class InputError(GongkaiError):
    """Input that cannot be used: malformed JSON, unknown keys, text where a number belongs."""


class ReadError(GongkaiError):
    """A document that cannot be read."""


class UnsupportedInput(ReadError):
    """A kind of file gongkai does not read."""


class CorruptDocument(ReadError):
    """A damaged, truncated, encrypted or oversized document."""


class NotAReport(ReadError):
    """A readable document that is not a 政府信息公开工作年度报告."""


class NeedsOCR(ReadError):
    """A scanned document without a text layer."""


class WriteError(GongkaiError):
    """A report that could not be written."""


class LawError(GongkaiError):
    """A legal computation that cannot be done (a date outside the working-day calendar …)."""


__all__ = ["CorruptDocument", "GongkaiError", "InputError", "LawError", "NeedsOCR", "NotAReport", "ReadError",
           "UnsupportedInput", "WriteError"]
