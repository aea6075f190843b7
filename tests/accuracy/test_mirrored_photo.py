"""A front-camera photo marked (EXIF) to be shown as a mirror image keeps the
patient's sides (real model, real photo).

The side-view lunge photo is stored losslessly with EXIF orientation 2 ("show
mirrored"), as a phone's front camera can mark what the camera saw. PoseDash
must analyse the picture as the camera took it: the landmarks equal the
original's, and the read notes say what was done. The contrast, analysing the
mirror image itself, makes "left" land on the patient's right leg.

Measured: in the mirror image, the model's left knee lies 127 px from the
original's right knee and 1,001 px from its left knee (photo 4,016 px wide).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from dashboard.media.images import MIRROR_NOTE
from dashboard.pipeline import RunOptions, analyse_bytes
from dashboard.settings import AnalysisSettings
from dashboard.skeleton import LANDMARK_NAMES

LUNGE = "images/4dhumans_pexels_barbell_lunge_side.jpg"
LEFT_KNEE, RIGHT_KNEE = LANDMARK_NAMES.index("left_knee"), LANDMARK_NAMES.index("right_knee")


def _png(img: Image.Image, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "PNG", exif=exif)
    return buf.getvalue()


@pytest.fixture(scope="module")
def analyses(media_dir, model_info):
    photo = Image.open(media_dir / LUNGE).convert("RGB")
    settings = AnalysisSettings()

    def run(data, name):
        return analyse_bytes(data, name, model_info, RunOptions(settings)).analysis

    return {
        "original": run(_png(photo), "lunge.png"),
        "marked": run(_png(photo, 2), "front_camera.png"),
        "mirror image": run(_png(photo.transpose(Image.FLIP_LEFT_RIGHT)), "mirrored.png"),
        "width": photo.width,
    }


def test_marked_photo_is_measured_as_taken(analyses):
    original, marked = analyses["original"].poses, analyses["marked"].poses
    assert original.detected[0, 0] and marked.detected[0, 0]
    np.testing.assert_allclose(marked.image_xy[0, 0], original.image_xy[0, 0], atol=0.5)
    assert MIRROR_NOTE in analyses["marked"].notes
    assert MIRROR_NOTE not in analyses["original"].notes


def test_the_mirror_image_itself_would_swap_the_knees(analyses):
    """Why it matters: in the mirror image the model's "left knee" is the patient's
    right knee (x measured back in the original's pixels)."""
    original, mirrored = analyses["original"].poses, analyses["mirror image"].poses
    width = analyses["width"]
    left_seen = width - 1 - mirrored.image_xy[0, 0, LEFT_KNEE, 0]
    to_right = abs(left_seen - original.image_xy[0, 0, RIGHT_KNEE, 0])
    to_left = abs(left_seen - original.image_xy[0, 0, LEFT_KNEE, 0])
    assert to_right < to_left
