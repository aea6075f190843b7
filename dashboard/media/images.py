"""Decode photos from bytes, in memory, into RGB uint8 arrays.

Nothing is written to disk. Formats: JPEG, PNG, WebP, BMP, TIFF, and HEIC/HEIF
(iPhone and Android photos) through pillow-heif (GIF too). The EXIF orientation is
applied, so a portrait phone photo comes out upright; grayscale, palette, RGBA,
16-bit and CMYK images are converted to 8-bit RGB.

Notes
-----
Formats
    Only these formats' decoders are ever tried (Pillow's ``formats=``), so no
    upload reaches a decoder that runs an external program (Pillow's EPS
    decoder runs Ghostscript, which writes the upload to the temp folder) or a
    rarely used parser. Anything else is "not a supported photo format".
Size
    Photos of more than :data:`DETECT_MAX_PIXELS` are decoded at a reduced size
    (a power-of-two fraction: JPEG's decoder scales while decoding, so the full
    picture is never held in memory; other formats are reduced right after
    decoding). The pose model looks at a 256 x 256 crop of the person, so this
    loses no accuracy; :attr:`DecodedImage.size` keeps the full size, and the
    engine gives landmarks in full-resolution pixels (``image_size=``).
Mirror images
    Four of the eight EXIF orientations (2, 4, 5 and 7) also mirror the
    picture: a phone's front camera can store what the camera saw and mark the
    photo to be shown as a mirror image. The pose model labels sides as seen in
    the picture it gets, so in a mirror image the patient's left would be
    labelled right. PoseDash turns such photos upright without the mirror (the
    picture as the camera saw it), and says so (:data:`MIRROR_NOTE`), as it
    does for videos (:mod:`dashboard.media.video_orient`). A photo whose pixels
    were themselves saved mirrored carries no mark and cannot be detected.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import (
    BmpImagePlugin,
    GifImagePlugin,
    Image,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)

from dashboard.errors import InputError

#: The decoders of the formats PILLOW_FORMATS names, and only those: importing them
#: registers them with PIL.
_DECODERS = (
    BmpImagePlugin,
    GifImagePlugin,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

Image.MAX_IMAGE_PIXELS = 100_000_000  # PIL refuses twice this outright (bomb guard)

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
#: Photos with more pixels are decoded at 1/2, 1/4 or 1/8 of their size for detection.
DETECT_MAX_PIXELS = 25_000_000
#: The only Pillow decoders tried (JPEG also opens multi-picture MPO files from cameras).
PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF", "HEIF")
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "heic", "heif")
PHOTO_FORMATS = "JPEG, PNG, WebP, BMP, TIFF or HEIC/HEIF"
#: EXIF orientations that mirror the picture (2: mirrored; 4: mirrored upside down;
#: 5 and 7: mirrored across a diagonal).
MIRRORING_ORIENTATIONS = (2, 4, 5, 7)
MIRROR_NOTE = (
    "The phone marked this photo to be shown as a mirror image (front camera). "
    "PoseDash shows and measures it as the camera took it, so the patient's left "
    "side is labelled left."
)


@dataclass(frozen=True)
class DecodedImage:
    """A decoded photo.

    rgb
        (h, w, 3) uint8, upright; smaller than the photo when it has more than
        :data:`DETECT_MAX_PIXELS` (see ``size``).
    format
        "JPEG", "PNG", ...
    original_mode
        PIL mode before conversion, e.g. "CMYK", "I;16".
    exif_rotated
        Whether the EXIF orientation turned the picture.
    size
        (width, height) of the whole photo as displayed, in pixels; ``rgb`` is
        this size unless the photo was decoded reduced.
    mirror_undone
        Whether the EXIF orientation asked for a mirror image, which PoseDash
        did not apply (module Notes).
    """

    rgb: np.ndarray
    format: str
    original_mode: str
    exif_rotated: bool
    size: tuple[int, int] = (0, 0)
    mirror_undone: bool = False

    def __post_init__(self) -> None:
        if self.size == (0, 0):
            object.__setattr__(self, "size", (self.rgb.shape[1], self.rgb.shape[0]))

    @property
    def reduced(self) -> bool:
        """True when ``rgb`` is smaller than the photo."""
        return self.size != (self.rgb.shape[1], self.rgb.shape[0])

    @property
    def notes(self) -> tuple[str, ...]:
        """What the clinician should know about how the photo was read."""
        return (MIRROR_NOTE,) if self.mirror_undone else ()


def _reduction(width: int, height: int, max_pixels: int | None) -> int:
    """The power of two (1, 2, 4, 8) that brings width x height within ``max_pixels``."""
    factor = 1
    while max_pixels and factor < 8 and (width // factor) * (height // factor) > max_pixels:
        factor *= 2
    return factor


def _decode_reduced(img: Image.Image, max_pixels: int | None) -> Image.Image:
    """Load ``img``, at 1/2, 1/4 or 1/8 of its size if it has more than
    ``max_pixels`` (JPEG: while decoding, never holding the full picture)."""
    factor = _reduction(*img.size, max_pixels)
    if factor > 1 and img.format in ("JPEG", "MPO"):
        img.draft(
            "RGB" if img.mode not in ("L", "CMYK") else img.mode,
            (img.size[0] // factor, img.size[1] // factor),
        )
    img.load()
    factor = _reduction(*img.size, max_pixels)  # what the JPEG decoder did not do
    if factor > 1:
        if img.mode.startswith("I;16"):  # Image.reduce has no 16-bit modes: 32-bit keeps them
            info, fmt = img.info, img.format
            img = img.convert("I")
            img.info, img.format = info, fmt
        reduced = img.reduce(factor)
        reduced.info = img.info  # keeps the EXIF (orientation) with the picture
        reduced.format = img.format
        return reduced
    return img


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


def _orientation(img: Image.Image) -> int:
    """The EXIF orientation (1 to 8; 1 when absent or malformed, as exif_transpose does)."""
    try:
        orientation = img.getexif().get(0x0112, 1)
    except Exception:  # malformed EXIF: not rotated
        return 1
    return orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1


def _upright_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    """(width, height) after the EXIF orientation (5 to 8 swap the sides)."""
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _open(data: bytes, name: str) -> Image.Image:
    """Open with the supported decoders only, and check the declared size."""
    img = Image.open(io.BytesIO(data), formats=PILLOW_FORMATS)
    width, height = img.size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise InputError(
            f"{name} is {width} x {height} pixels, larger than PoseDash analyses "
            f"({MAX_PIXELS // 1_000_000} megapixels, {MAX_SIDE} pixels a side).",
            "Export a smaller copy of the photo and try again.",
        )
    if width < 1 or height < 1:
        raise InputError(f"{name} has no pixels.")
    return img


def decode_image(
    data: bytes, name: str = "photo", max_pixels: int | None = DETECT_MAX_PIXELS
) -> DecodedImage:
    """Decode photo bytes into an upright 8-bit RGB array.

    Parameters
    ----------
    data, name
        The file's bytes and name (for messages).
    max_pixels
        Larger photos are decoded at 1/2, 1/4 or 1/8 size (see module Notes);
        None decodes every photo at full size.

    Raises
    ------
    InputError
        With a message for the user: empty, not a supported photo format,
        truncated, too large.
    """
    if not data:
        raise InputError(f"{name} is empty (0 bytes).", "Choose the photo again.")
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name} is {len(data) / 2**20:.0f} MB; PoseDash reads photos up to "
            f"{MAX_BYTES // 2**20} MB."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = _open(data, name)
            orientation = _orientation(img)
            size = _upright_size(*img.size, orientation)
            fmt = img.format or "unknown"
            original_mode = img.mode
            img = _decode_reduced(img, max_pixels)
            upright = ImageOps.exif_transpose(img)
            mirrored = orientation in MIRRORING_ORIENTATIONS
            if mirrored:  # the upright picture without the mirror (module Notes)
                upright = ImageOps.mirror(upright)
            rgb = _to_rgb8(upright)
            del img, upright
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError(
            f"{name} is not a photo PoseDash can read: not a supported photo format.",
            f"Use a {PHOTO_FORMATS} file.",
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"{name} declares a picture of more than {MAX_PIXELS // 1_000_000} "
            "megapixels, too large to decode safely.",
            "Export a smaller copy of the photo and try again.",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        text = str(exc)
        if "truncated" in text or "premature" in text.lower() or isinstance(exc, EOFError):
            raise InputError(
                f"{name} is incomplete: the file ends before the picture does.",
                "It may not have finished copying; copy it again.",
            ) from None
        raise InputError(
            f"{name} could not be decoded ({text or type(exc).__name__}).",
            f"Use a {PHOTO_FORMATS} file.",
        ) from None
    except MemoryError:
        raise InputError(f"{name} is too large to decode on this computer.") from None
    return DecodedImage(
        np.ascontiguousarray(rgb),
        fmt,
        original_mode,
        orientation not in (1, 2),
        size,
        mirror_undone=mirrored,
    )
