"""Pre-processing a scanned page before OCR: what real scans and phone photos need.

Each step is a small pure function on numpy images (BGR or grey ``uint8``):

    load_images → remove_stamp → to_grey → normalise_contrast → denoise → deskew

(Orientation — 90°, 180°, 270° — is decided from the OCR boxes and scores, in :func:`..ocr_page`.)

Decoding is guarded: the image size is read from the header first, huge images are reduced while
decoding (JPEG draft mode) or refused, and a damaged file is a :class:`CorruptDocument`.
"""
from __future__ import annotations

import io
import warnings

import cv2
import numpy as np

from ...errors import CorruptDocument, UnsupportedInput
from ..limits import LimitExceeded, count, current

# Larger images are scaled down to this many pixels on the long side before OCR: a 300 dpi A4 page is
# 3508 px long; detail beyond that only costs time.
MAX_SIDE = 3000
# Images whose header promises more pixels than this are refused (unless the decoder can reduce them
# while decoding): 100 Mpx is more than an A3 page at 600 dpi, about 300 MB once decoded.
MAX_FRAMES = 200
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8", b"RIFF")


def frame_count(data: bytes) -> int:
    """How many pages an image file holds (a multi-page TIFF), read from its headers only."""
    return len(_open_checked(data, decode=()))


def load_images(data: bytes) -> list[np.ndarray]:
    """Decode an image file (PNG, JPEG, TIFF with any number of pages, BMP …) into BGR pages."""
    return _open_checked(data, decode=None)


def load_frame(data: bytes, index: int) -> np.ndarray:
    """Decode one page (0-based) of an image file."""
    return _open_checked(data, decode=(index,))[index]


def _open_checked(data: bytes, *, decode: tuple[int, ...] | None) -> list:
    """Open, check sizes, and decode the frames in ``decode`` (all when None); others stay None."""
    from PIL import Image, UnidentifiedImageError

    # PIL refuses huge images at open; we check the size ourselves (after open, before decoding), so a
    # huge JPEG can still be reduced while decoding. The limit is lifted for this open only.
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        im = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        if data.startswith(_IMAGE_MAGIC):
            raise CorruptDocument("图像文件已损坏，无法读取") from exc
        raise UnsupportedInput("无法识别的图像文件（支持 PNG、JPEG、TIFF、BMP）") from exc
    except Exception as exc:  # any decoder failure is a damaged file
        raise CorruptDocument("图像文件已损坏或不完整，无法读取") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    if _truncated(data, im.format):
        raise CorruptDocument("图像文件不完整（被截断），无法读取")
    pages: list = []
    try:
        n = getattr(im, "n_frames", 1)
        if n > MAX_FRAMES:
            raise CorruptDocument(f"图像有 {n} 页，超过上限 {MAX_FRAMES} 页")
        for i in range(n):
            if n > 1:
                im.seek(i)
            pages.append(_decode_frame(im) if decode is None or i in decode else None)
    except CorruptDocument:
        raise
    except MemoryError as exc:
        raise CorruptDocument("图像过大，内存不足以读取") from exc
    except Exception as exc:
        raise CorruptDocument("图像文件已损坏或不完整，无法读取") from exc
    return pages


def _truncated(data: bytes, fmt: str | None) -> bool:
    """A PNG without its IEND chunk or a JPEG without an end-of-image marker. Checked on the bytes because
    PIL's own check is a process-wide switch that other libraries turn off (WeasyPrint sets
    ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` on import), which would read a cut-off scan as a blank page."""
    if fmt == "PNG":
        return b"IEND" not in data[-64:]
    if fmt == "JPEG":
        return data.rfind(b"\xff\xd9") < 0
    return False


def _decode_frame(im: object) -> np.ndarray:
    from PIL import Image, ImageOps

    assert isinstance(im, Image.Image)
    w, h = im.size
    if w < 1 or h < 1:
        raise CorruptDocument("图像尺寸为零")
    if max(w, h) > MAX_SIDE and im.format == "JPEG":
        im.draft("RGB", (MAX_SIDE, MAX_SIDE))  # the decoder reduces by 1/2, 1/4, 1/8 while decoding
        w, h = im.size
    if w * h > current().image_pixels:
        raise LimitExceeded(f"图像过大（{im.size[0]}×{im.size[1]} 像素），超过上限 {count(current().image_pixels)} 像素，"
                            "请缩小后再识别")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        im.load()
    frame = ImageOps.exif_transpose(im) if im.format == "JPEG" else im
    if frame.mode not in ("RGB", "L"):
        if frame.mode in ("RGBA", "LA", "P", "PA") or "transparency" in frame.info:
            rgba = frame.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            frame = Image.alpha_composite(white, rgba).convert("RGB")
        elif frame.mode in ("1", "I;16", "I;16B", "I", "F"):
            frame = frame.convert("L") if frame.mode == "1" else _to_l(frame)
        else:
            frame = frame.convert("RGB")
    arr = np.asarray(frame)
    if arr.ndim == 2:
        arr = cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    else:
        arr = cv2.cvtColor(arr, cv2.COLOR_RGB2BGR)
    return limit_size(arr)


def _to_l(frame: object) -> object:
    arr = np.asarray(frame).astype(np.float64)
    lo, hi = float(arr.min()), float(arr.max())
    from PIL import Image

    scaled = ((arr - lo) / (hi - lo or 1.0) * 255).astype(np.uint8)
    return Image.fromarray(scaled, "L")


def limit_size(img: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    h, w = img.shape[:2]
    if max(h, w) <= max_side:
        return img
    f = max_side / max(h, w)
    return cv2.resize(img, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)


def remove_stamp(bgr: np.ndarray) -> tuple[np.ndarray, float]:
    """Whiten red ink (公章 over text, red letterheads): returns the image and the red fraction of the page.

    Black text under a stamp stays dark, so it survives; the stamp's red disc and letters go.
    """
    if bgr.ndim == 2:
        return bgr, 0.0
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    red = ((hue <= 12) | (hue >= 160)) & (sat >= 60) & (val >= 80)
    frac = float(red.mean())
    if frac == 0.0:
        return bgr, 0.0
    mask = cv2.dilate(red.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    # Red ink is bright in the red channel, black ink is dark in every channel, and black ink under a
    # stamp stays dark in red too: the red channel, with the stamp lifted to paper white, is the page.
    # (The whole page, not just the mask: JPEG smears the stamp's colour over its edges.)
    r_chan = bgr[..., 2].astype(np.float32)
    outside = r_chan[~mask] if (~mask).any() else np.array([255.0], np.float32)
    paper = float(np.median(outside))
    ink = float(np.percentile(outside, 0.3))
    # under the stamp, bring the stamp's level up to the paper's; what stays clearly darker is ink
    stamp_level = float(np.percentile(r_chan[red], 75))
    inside = np.clip(r_chan * (paper / max(stamp_level, 60.0)), 0, 255)
    inside[inside > ink + 0.7 * (paper - ink)] = paper
    r_chan[mask] = inside[mask]
    out = cv2.cvtColor(r_chan.astype(np.uint8), cv2.COLOR_GRAY2BGR)
    return out, frac


def to_grey(img: np.ndarray) -> np.ndarray:
    return img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def normalise_contrast(grey: np.ndarray) -> np.ndarray:
    """Stretch a faded or grey scan so the paper is white and the ink is black."""
    lo, hi = np.percentile(grey, (0.5, 90))
    if hi - lo < 8:  # an empty (or uniformly dark) page: nothing to stretch
        return grey
    if lo < 40 and hi > 215:
        return grey
    scaled = (grey.astype(np.float32) - float(lo)) * (255.0 / float(hi - lo))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def noise_level(grey: np.ndarray) -> float:
    """Rough noise estimate: the typical difference to a 3×3 median, on the paper (text edges ignored)."""
    med = cv2.medianBlur(grey, 3)
    diff = cv2.absdiff(grey, med)
    paper = cv2.erode((med > 200).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    if paper.sum() < 100:
        return 0.0
    return float(np.percentile(diff[paper], 75))


def denoise(grey: np.ndarray) -> np.ndarray:
    """Sensor noise and JPEG ringing: a light Gaussian blur where the paper is noisy, non-local means
    where it is very noisy.

    (A median filter would wipe out 1-pixel rules and the single strokes of 一 and 二 at 150 dpi.)
    """
    level = noise_level(grey)
    if level < 4.0:
        return grey
    if level < 12.0:
        return cv2.GaussianBlur(grey, (3, 3), 0.8)
    # heavy noise (a dark photo, a fax): non-local means, slower but it keeps strokes
    return cv2.fastNlMeansDenoising(grey, None, h=min(30.0, 1.1 * level), templateWindowSize=7,
                                    searchWindowSize=15)


def _binary(grey: np.ndarray) -> np.ndarray:
    _, bw = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return bw


def _small(bw: np.ndarray, width: int = 900) -> np.ndarray:
    h, w = bw.shape[:2]
    if w <= width:
        return bw
    f = width / w
    return cv2.resize(bw, (width, max(1, round(h * f))), interpolation=cv2.INTER_AREA)


def _profile_score(bw: np.ndarray, angle: float) -> float:
    h, w = bw.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(bw, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    prof = rot.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(prof)).sum())


def skew_angle(grey: np.ndarray, *, limit: float = 6.0) -> float:
    """The skew of the text lines in degrees (positive: counter-clockwise), by projection profiles."""
    bw = _small(_binary(grey))
    if bw.mean() < 0.5:  # (almost) nothing on the page
        return 0.0
    best, best_score = 0.0, _profile_score(bw, 0.0)
    for step, span in ((0.5, limit), (0.1, 0.5), (0.02, 0.1)):
        centre = best
        a = centre - span
        while a <= centre + span + 1e-9:
            s = _profile_score(bw, a)
            if s > best_score:
                best, best_score = a, s
            a += step
    return round(best, 2)


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees about the centre, filling with white and keeping the whole page."""
    if abs(angle) < 0.05:
        return img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    fill = 255 if img.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=fill)


def deskew(grey: np.ndarray) -> tuple[np.ndarray, float]:
    angle = skew_angle(grey)
    return rotate(grey, angle), angle


def ink_fraction(grey: np.ndarray) -> float:
    return float((grey < 128).mean())


def prepare(bgr: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """The whole chain for one page: a clean, upright, deskewed grey image and what was done."""
    info: dict[str, float] = {}
    img, info["stamp"] = remove_stamp(bgr)
    grey = to_grey(img)
    grey = normalise_contrast(grey)
    grey = denoise(grey)
    grey, info["skew"] = deskew(grey)
    return grey, info
