"""Speed of each pose model (lite, full, heavy): a warm photo and a video, printed.

What is timed
-------------
photo
    The barbell lunge photo scaled to 816 x 1224 (1 MP), analysed with a warm
    IMAGE-mode landmarker (``engine.analyze_image`` after one warm-up call),
    ``--photo-runs`` times; the median in milliseconds.
video
    ``videos/sports2d_demo4_gait_side.mp4`` (1280 x 720, 401 frames), analysed
    end to end by ``engine.analyze_video`` in one process (``workers=1``:
    decoding, the VIDEO-mode landmarker, tracking, swap repair); analysed
    frames per second. With the default parallel engine multiply by about the
    number of cores.

A model that is not built (``make models``) is reported as such. Figures
depend on the machine and its load: nothing is asserted.

Usage: ``.venv/bin/python benchmarks/models.py [--media DIR] [--photo-runs 15]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHOTO = "images/4dhumans_pexels_barbell_lunge_side.jpg"
VIDEO = "videos/sports2d_demo4_gait_side.mp4"


def _photo(media: Path):
    import numpy as np
    from PIL import Image

    big = Image.open(media / PHOTO)
    big.draft("RGB", (816, 1224))
    return np.asarray(big.convert("RGB").resize((816, 1224), Image.LANCZOS))


def measure(variant: str, media: Path, runs: int) -> dict:
    from dashboard.detect import engine
    from dashboard.detect.models import resolve_model

    model = resolve_model(variant)
    rgb = _photo(media)
    engine.analyze_image(rgb, model)  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        engine.analyze_image(rgb, model)
        times.append((time.perf_counter() - t) * 1000)
    data = (media / VIDEO).read_bytes()
    t = time.perf_counter()
    seq = engine.analyze_video(data, model, name=VIDEO, workers=1)
    seconds = time.perf_counter() - t
    return {
        "photo_ms": statistics.median(times),
        "video_fps": seq.num_frames / seconds,
        "frames": seq.num_frames,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))),
    )
    parser.add_argument("--photo-runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("GLOG_minloglevel", "2")
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.detect.models import VARIANT_LABELS, VARIANTS, variant_is_built

    print(f"{'model':<18} {'1-MP photo (ms)':>16} {'video (frames/s, 1 process)':>28}")
    for variant in VARIANTS:
        if not variant_is_built(variant) and variant != "full":
            print(f"{VARIANT_LABELS[variant]:<18} not built: run 'make models'")
            continue
        with native_logs_silenced():
            r = measure(variant, args.media, args.photo_runs)
        print(
            f"{VARIANT_LABELS[variant]:<18} {r['photo_ms']:>16.1f} {r['video_fps']:>28.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
