"""Decode photos from bytes, in memory, into RGB uint8 arrays.

Nothing is written to disk. Formats: JPEG, PNG, WebP, BMP, TIFF, and HEIC/HEIF
(iPhone and Android photos) through pillow-heif. The EXIF orientation is applied,
so a portrait phone photo comes out upright; grayscale, palette, RGBA, 16-bit and
CMYK images are converted to 8-bit RGB.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

Image.MAX_IMAGE_PIXELS = 100_000_000  # PIL refuses twice this outright (bomb guard)

from dashboard.errors import InputError

try:  # HEIC/HEIF support; PoseDash works without it but says so.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    HEIF_SUPPORTED = False

#: Largest photo analysed, in pixels (a 48-megapixel phone photo fits; a
#: decompression bomb does not). Decoding 100 MP takes 300 MB of memory.
MAX_PIXELS = 100_000_000
MAX_SIDE = 30_000
MAX_BYTES = 200 * 1024 * 1024
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "heic", "heif")
PHOTO_FORMATS = "JPEG, PNG, WebP, BMP, TIFF or HEIC/HEIF"


@dataclass(frozen=True)
class DecodedImage:
    rgb: np.ndarray  # (H, W, 3) uint8
    format: str  # "JPEG", "PNG", ...
    original_mode: str  # PIL mode before conversion, e.g. "CMYK", "I;16"
    exif_rotated: bool


def _to_rgb8(img: Image.Image) -> np.ndarray:
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        if mode == "F":
            lo, hi = np.nanmin(arr), np.nanmax(arr)
            arr = (arr - lo) / (hi - lo or 1.0) * 255.0
        else:  # 16-bit samples stored in 16 or 32-bit integers
            arr = arr / (257.0 if arr.max(initial=0) > 255 else 1.0)
        gray = np.clip(np.rint(arr), 0, 255).astype(np.uint8)
        return np.repeat(gray[..., None], 3, axis=2)
    if mode in ("RGBA", "LA", "PA", "P", "RGBa", "La") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(background, rgba).convert("RGB"))
    return np.asarray(img.convert("RGB"))


def decode_image(data: bytes, name: str = "photo") -> DecodedImage:
    """Decode photo bytes into an upright 8-bit RGB array.

    Raises
    ------
    InputError
        With a message for the user: empty, not a picture, truncated, too large.
    """
    if not data:
        raise InputError(f"{name} is empty (0 bytes).", "Choose the photo again.")
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is {len(data) / 2**20:.0f} MB; PoseDash reads photos up to "
                         f"{MAX_BYTES // 2**20} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            width, height = img.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise InputError(
                    f"{name} is {width} x {height} pixels, larger than PoseDash analyses "
                    f"({MAX_PIXELS // 1_000_000} megapixels, {MAX_SIDE} pixels a side).",
                    "Export a smaller copy of the photo and try again.")
            if width < 1 or height < 1:
                raise InputError(f"{name} has no pixels.")
            fmt = img.format or "unknown"
            original_mode = img.mode
            img.load()
            upright = ImageOps.exif_transpose(img)
            rotated = _has_orientation(img)
            rgb = _to_rgb8(upright)
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError(f"{name} is not a photo PoseDash can read.",
                         f"Use a {PHOTO_FORMATS} file.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(f"{name} declares a picture of more than {MAX_PIXELS // 1_000_000} "
                         "megapixels, too large to decode safely.",
                         "Export a smaller copy of the photo and try again.") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        text = str(exc)
        if "truncated" in text or "premature" in text.lower() or isinstance(exc, EOFError):
            raise InputError(f"{name} is incomplete: the file ends before the picture does.",
                             "It may not have finished copying; copy it again.") from None
        raise InputError(f"{name} could not be decoded ({text or type(exc).__name__}).",
                         f"Use a {PHOTO_FORMATS} file.") from None
    except MemoryError:
        raise InputError(f"{name} is too large to decode on this computer.") from None
    return DecodedImage(np.ascontiguousarray(rgb), fmt, original_mode, bool(rotated))


def _has_orientation(img: Image.Image) -> bool:
    try:
        return img.getexif().get(0x0112, 1) not in (1, None)
    except Exception:  # malformed EXIF: we simply did not rotate
        return False
