"""The OCR engine: rapidocr on onnxruntime, CPU only, with the models shipped in the wheel.

rapidocr 3.x ships three models inside its wheel (``rapidocr/models``): PP-OCRv6 small detection,
PP-OCRv6 small recognition and the mobile direction classifier. Any other model (PP-OCRv4 …) would be
downloaded at first use, which gongkai never does: we pin the bundled files by path, so a missing model
is a clear error, never a download. The direction classifier is off (``use_cls=False``): page
orientation is decided once per page (:mod:`._preprocess`), not per text line.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ReadError

# Preferred bundled files, newest first (rapidocr 3.10 ships PP-OCRv6 small; earlier 3.x shipped v4/v5).
_PREFERENCE = ("PP-OCRv6", "PP-OCRv5", "PP-OCRv4")


@dataclass(frozen=True)
class Char:
    text: str
    score: float
    x0: float
    x1: float


@dataclass(frozen=True)
class TextBox:
    """One detected text line: its axis-aligned box, text, score and (when known) its characters."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float
    chars: tuple[Char, ...] = ()

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).parent / "models"


def bundled_model(task: str) -> Path:
    """The detection or recognition model inside the rapidocr package; never a download."""
    found = sorted(model_dir().glob(f"*{task}*.onnx"))
    for version in _PREFERENCE:
        for path in found:
            if version in path.name:
                return path
    if found:
        return found[0]
    raise ReadError(f"OCR 模型文件缺失：{model_dir()} 中没有 {task} 模型（应随 rapidocr 安装包一同提供）")


class OcrEngine:
    """A lazily built rapidocr instance; :meth:`shared` gives one per process."""

    _shared: OcrEngine | None = None
    _lock = threading.Lock()

    def __init__(self, *, threads: int | None = None) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:  # pragma: no cover - rapidocr is a dependency
            raise ReadError("未安装 OCR 组件 rapidocr，无法识别扫描件") from exc
        det, rec = bundled_model("det"), bundled_model("rec")
        n = threads if threads is not None else max(1, os.cpu_count() or 1)
        params: dict[str, Any] = {
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Global.max_side_len": 2000,
            "Det.model_path": str(det),
            "Rec.model_path": str(rec),
            "Cls.model_path": str(bundled_model("cls")),
            "EngineConfig.onnxruntime.intra_op_num_threads": n,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        self._ocr = RapidOCR(params=params)
        self.lock = threading.Lock()

    @classmethod
    def shared(cls, *, threads: int | None = None) -> OcrEngine:
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls(threads=threads)
            return cls._shared

    def read(self, image: np.ndarray) -> list[TextBox]:
        """Detect and recognise every text line of an image (grey or BGR)."""
        if image.ndim == 2:
            image = np.ascontiguousarray(np.stack([image] * 3, axis=-1))
        # rapidocr keeps per-call flags as its new defaults: every call states all of them
        with self.lock:
            out = self._ocr(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True)
        if out is None or out.boxes is None or out.txts is None:
            return []
        words = getattr(out, "word_results", None) or ()
        boxes: list[TextBox] = []
        for i, (quad, text, score) in enumerate(zip(out.boxes, out.txts, out.scores, strict=False)):
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            chars: tuple[Char, ...] = ()
            if i < len(words) and words[i]:
                chars = tuple(
                    Char(str(w[0]), float(w[1]), float(min(p[0] for p in w[2])), float(max(p[0] for p in w[2])))
                    for w in words[i] if w and w[2] is not None and len(w[2])
                )
            boxes.append(TextBox(min(xs), min(ys), max(xs), max(ys), str(text), float(score), chars))
        return boxes

    def upside_down_votes(self, image: np.ndarray, boxes: list[TextBox], *, n: int = 12) -> tuple[int, int]:
        """Ask the bundled direction classifier about the ``n`` widest text lines: (votes for 180°, asked)."""
        wide = sorted((b for b in boxes if b.x1 - b.x0 > 3 * b.height), key=lambda b: b.x0 - b.x1)[:n]
        flipped = 0
        asked = 0
        for b in wide:
            crop = image[max(0, int(b.y0)):int(b.y1) + 1, max(0, int(b.x0)):int(b.x1) + 1]
            if crop.size == 0:
                continue
            if crop.ndim == 2:
                crop = np.ascontiguousarray(np.stack([crop] * 3, axis=-1))
            with self.lock:
                out = self._ocr(crop, use_det=False, use_cls=True, use_rec=False, return_word_box=False)
            res = getattr(out, "cls_res", None) or []
            if res:
                asked += 1
                label, score = res[0][0], float(res[0][1])
                if label == "180" and score > 0.9:
                    flipped += 1
        return flipped, asked

    def read_line(self, image: np.ndarray) -> tuple[str, float]:
        """Recognise one cropped text line (no detection)."""
        if image.ndim == 2:
            image = np.ascontiguousarray(np.stack([image] * 3, axis=-1))
        with self.lock:
            out = self._ocr(image, use_det=False, use_cls=False, use_rec=True, return_word_box=False)
        txts = getattr(out, "txts", None) or ("",)
        scores = getattr(out, "scores", None) or (0.0,)
        return str(txts[0]), float(scores[0])
