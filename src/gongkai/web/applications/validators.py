"""Checks of what an applicant types: the 统一社会信用代码 (GB 32100-2015) and uploaded files (type by content,
size). Each returns the cleaned value or raises :class:`~gongkai.web.core.errors.Invalid` with a Chinese message."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import Invalid, TooLarge

# GB 32100-2015 §4: 18 characters from this 31-character set (no I, O, Z, S, V); the last is a check character
# computed over the first 17 with these weights (modulus 31).
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 are given."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def clean_credit_code(value: str) -> str:
    """An upper-cased, checked 统一社会信用代码; '' stays ''."""
    code = "".join(value.split()).upper()
    if not code:
        return ""
    if len(code) != 18:
        raise Invalid("统一社会信用代码应为18位", details={"credit_code": ["统一社会信用代码应为18位"]})
    bad = sorted({c for c in code if c not in USCC_CHARS})
    if bad:
        msg = f"统一社会信用代码含有无效字符：{'、'.join(bad)}（不使用 I、O、Z、S、V）"
        raise Invalid(msg, details={"credit_code": [msg]})
    if not code[2:8].isdigit():
        msg = "统一社会信用代码第3至8位应为行政区划代码（数字）"
        raise Invalid(msg, details={"credit_code": [msg]})
    if uscc_check_char(code[:17]) != code[17]:
        msg = "统一社会信用代码校验位不正确，请核对"
        raise Invalid(msg, details={"credit_code": [msg]})
    return code


# --- uploads ----------------------------------------------------------------------------------------------------

MAX_FILE_BYTES = 10 * 1024 * 1024  # one file
MAX_FILES = 5  # per submission
MAX_CORRECTION_TEXT = 5000  # characters of a correction's text
ALLOWED = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
           ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
ALLOWED_TEXT = "PDF、JPG、PNG 或 Word（DOCX）"
_MAGIC = {"application/pdf": (b"%PDF-",), "image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",),
          ALLOWED[".docx"]: (b"PK\x03\x04",)}


@dataclass(frozen=True)
class Upload:
    """A checked file: its name as given, the type read from its first bytes, and its content."""

    name: str
    content_type: str
    content: bytes


def clean_uploads(files: list[tuple[str, bytes]], *, field: str = "files") -> list[Upload]:
    """Check each (name, content): at most ``MAX_FILES``, each non-empty, at most ``MAX_FILE_BYTES``, of an
    allowed type whose content matches its extension (a renamed program is refused)."""
    if len(files) > MAX_FILES:
        msg = f"一次最多上传{MAX_FILES}个文件"
        raise Invalid(msg, details={field: [msg]})
    out = []
    for name, content in files:
        name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "附件"
        ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if ext not in ALLOWED:
            msg = f"“{name}”的类型不受理：只接受 {ALLOWED_TEXT} 文件"
            raise Invalid(msg, details={field: [msg]})
        if len(content) > MAX_FILE_BYTES:
            raise TooLarge(f"“{name}”过大：每个文件不能超过{MAX_FILE_BYTES // 1024 // 1024}MB", details={field: ["文件过大"]})
        if not content:
            msg = f"“{name}”是空文件"
            raise Invalid(msg, details={field: [msg]})
        kind = ALLOWED[ext]
        if not content.startswith(_MAGIC[kind]):
            msg = f"“{name}”的内容与扩展名不符，请上传真实的 {ALLOWED_TEXT} 文件"
            raise Invalid(msg, details={field: [msg]})
        out.append(Upload(name, kind, content))
    return out
