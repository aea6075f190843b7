"""Photo decoding on pictures made in memory, with known pixels."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from dashboard.errors import InputError
from dashboard.media.images import decode_image

RED = (200, 30, 40)


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "BMP", "TIFF", "HEIF"])
def test_formats_decode_to_rgb(fmt):
    img = Image.new("RGB", (64, 48), RED)
    out = decode_image(_encode(img, fmt, **({"quality": 95} if fmt in ("JPEG", "WEBP") else {})))
    assert out.rgb.shape == (48, 64, 3) and out.rgb.dtype == np.uint8
    assert np.abs(out.rgb[24, 32].astype(int) - RED).max() <= 6


def test_exif_orientation_is_applied():
    # A 60x40 landscape picture, red on its left half, stored with "rotate 90 CW" (6).
    img = Image.new("RGB", (60, 40), (0, 0, 255))
    img.paste(RED, (0, 0, 30, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = decode_image(_encode(img, "JPEG", exif=exif, quality=95))
    assert out.rgb.shape == (60, 40, 3)  # upright: portrait
    assert out.exif_rotated
    assert out.rgb[5, 20, 0] > 150 and out.rgb[55, 20, 2] > 150  # left half is now on top


@pytest.mark.parametrize(
    "mode,value,expected",
    [
        ("L", 100, (100, 100, 100)),
        ("I;16", 65535, (255, 255, 255)),
        ("I;16", 25700, (100, 100, 100)),
        ("CMYK", (0, 255, 255, 0), (255, 0, 0)),
        ("RGBA", (255, 0, 0, 0), (255, 255, 255)),  # transparent: composited on white
        ("RGBA", (255, 0, 0, 255), (255, 0, 0)),
        ("LA", (0, 255), (0, 0, 0)),
    ],
)
def test_modes_convert_to_8bit_rgb(mode, value, expected):
    img = Image.new(mode, (8, 8), value)
    fmt = "JPEG" if mode == "CMYK" else "PNG" if mode != "I;16" else "TIFF"
    out = decode_image(_encode(img, fmt, **({"quality": 100} if fmt == "JPEG" else {})))
    assert np.abs(out.rgb[4, 4].astype(int) - expected).max() <= 3


def test_16bit_png_grayscale():
    arr = np.full((10, 10), 51400, dtype=np.uint16)  # 200 * 257
    out = decode_image(_encode(Image.fromarray(arr), "PNG"))
    assert out.rgb[5, 5].tolist() == [200, 200, 200]


def test_palette_png():
    img = Image.new("RGB", (8, 8), RED).convert("P", palette=Image.Palette.ADAPTIVE)
    assert decode_image(_encode(img, "PNG")).rgb[0, 0].tolist() == list(RED)


def _png_header_only(width, height):
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a photo at all", "not a photo"),
        (_png_header_only(30000, 30000), "too large"),
        (_png_header_only(40000, 10), "larger than PoseDash analyses"),
    ],
)
def test_bad_inputs_raise_input_error(data, message):
    with pytest.raises(InputError, match=message):
        decode_image(data, "upload")


def test_truncated_jpeg():
    whole = _encode(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG")
    with pytest.raises(InputError, match="incomplete"):
        decode_image(whole[: len(whole) // 2])


def test_one_pixel_image_decodes():
    assert decode_image(_encode(Image.new("RGB", (1, 1)), "PNG")).rgb.shape == (1, 1, 3)


# Stored 60 x 40 pixels, red in the top-left 10 x 10 corner. Where the red corner lands
# after decoding, per EXIF orientation. The mirroring orientations (2, 4, 5, 7) are turned
# upright WITHOUT the mirror, so each gives the same picture as its rotation-only twin
# (2 as 1, 4 as 3, 5 as 6, 7 as 8): the picture as the camera took it.
CORNER_AFTER = {
    1: ("top-left", (40, 60)),
    2: ("top-left", (40, 60)),
    3: ("bottom-right", (40, 60)),
    4: ("bottom-right", (40, 60)),
    6: ("top-right", (60, 40)),
    5: ("top-right", (60, 40)),
    8: ("bottom-left", (60, 40)),
    7: ("bottom-left", (60, 40)),
}


def _red_corner(rgb: np.ndarray) -> str:
    h, w = rgb.shape[:2]
    corners = {
        "top-left": rgb[2, 2],
        "top-right": rgb[2, w - 3],
        "bottom-left": rgb[h - 3, 2],
        "bottom-right": rgb[h - 3, w - 3],
    }
    red = [name for name, px in corners.items() if px[0] > 150 and px[2] < 100]
    assert len(red) == 1, corners
    return red[0]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_upright_and_never_mirrored(orientation):
    img = Image.new("RGB", (60, 40), (0, 0, 255))
    img.paste(RED, (0, 0, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = decode_image(_encode(img, "PNG", exif=exif))
    corner, (h, w) = CORNER_AFTER[orientation]
    assert out.rgb.shape[:2] == (h, w) and out.size == (w, h)
    assert _red_corner(out.rgb) == corner
    assert out.mirror_undone == (orientation in (2, 4, 5, 7))
    assert out.exif_rotated == (orientation not in (1, 2))
    assert bool(out.notes) == out.mirror_undone
    if out.mirror_undone:
        assert "mirror image" in out.notes[0] and "left side is labelled left" in out.notes[0]


def test_16bit_png_over_the_detection_size_is_reduced_not_refused():
    """Regression (issue 26): a 16-bit greyscale PNG over the detection size was refused
    with "image has wrong mode" (Image.reduce has no 16-bit modes)."""
    arr = np.full((400, 300), 25700, dtype=np.uint16)
    arr[:200] = 65535
    photo = decode_image(_encode(Image.fromarray(arr), "PNG"), "grey16.png", max_pixels=40_000)
    assert photo.reduced and photo.original_mode.startswith("I;16")
    assert photo.rgb.shape[:2] == (200, 150)
    assert tuple(photo.rgb[0, 0]) == (255, 255, 255) and tuple(photo.rgb[-1, 0]) == (100, 100, 100)
