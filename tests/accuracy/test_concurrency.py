"""Several sessions at once: the shared landmarker pool never serves two threads
at a time, and every caller gets the result for its own picture."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from dashboard.detect.engine import analyze_image
from dashboard.media.images import decode_image

pytestmark = pytest.mark.slow

PHOTOS = [
    "tfjs_pose_yoga_warrior.jpg",
    "opencv_messi5.jpg",
    "tfpose_golf.jpg",
    "ultralytics_bus.jpg",
    "mpsamples_seated_ground.jpg",
    "tfpose_p1.jpg",
]


def test_threads_get_their_own_results(media_dir, model_info):
    pictures = {n: decode_image((media_dir / "images" / n).read_bytes()).rgb for n in PHOTOS}
    expected = {n: analyze_image(rgb, model_info) for n, rgb in pictures.items()}
    jobs = [n for n in PHOTOS for _ in range(4)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda n: (n, analyze_image(pictures[n], model_info)), jobs))
    for name, seq in results:
        assert seq.image_size == expected[name].image_size
        np.testing.assert_allclose(seq.image_xy, expected[name].image_xy, atol=1e-3, err_msg=name)
