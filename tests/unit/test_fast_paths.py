"""The command line's faster paths give exactly what the slower ones gave.

Each speed-up of ``python -m dashboard analyze`` (see ``benchmarks/cli_time.py``)
must leave its outputs unchanged: these tests compare each fast path with the
plain one it replaced, pixel for pixel and byte for byte.
"""

from __future__ import annotations

from contextlib import closing

import av
import numpy as np
import pytest

from dashboard.media import video
from dashboard.media.video_container import decoded


def _plain_rgb(frame, ops, max_side):
    """What ``video.to_rgb`` did before: one new FFmpeg scaler per frame."""
    width, height = frame.width, frame.height
    if video.swaps_axes(ops):
        disp_w, disp_h = video.scaled_size(height, width, max_side)
        out_w, out_h = disp_h, disp_w
    else:
        out_w, out_h = video.scaled_size(width, height, max_side)
    if (out_w, out_h) == (width, height):
        rgb = frame.to_ndarray(format="rgb24")
    else:
        rgb = frame.to_ndarray(format="rgb24", width=out_w, height=out_h, interpolation="AREA")
    return video.apply_orientation(rgb, ops)


def _plain_frames(data, name, max_side):
    with closing(decoded(data, name)) as frames:
        for frame, ops in frames:
            yield _plain_rgb(frame, ops, max_side)


@pytest.mark.parametrize("max_side", [None, 500])
@pytest.mark.parametrize(
    "clip",
    [
        "sports2d_demo5_lateral_raise_front.mp4",  # H.264 720p
        "sports2d_demo_current.mp4",  # VP9
        "tfjs_pose_squats_front.mp4",  # portrait
        "openpose_street_dance.avi",
    ],
)
def test_one_scaler_per_loop_gives_the_same_pixels(media_dir, clip, max_side):
    data = (media_dir / "videos" / clip).read_bytes()
    fast = video.iter_frames(data, max_side=max_side, name=clip)
    n = 0
    for (i, _, a), b in zip(fast, _plain_frames(data, clip, max_side), strict=False):
        assert a.shape == b.shape and np.array_equal(a, b), f"{clip} frame {i}"
        n += 1
        if n == 90:
            break
    assert n == 90 or clip == "tfjs_pose_squats_front.mp4"


def test_a_reused_scaler_follows_frames_that_change_size_and_format():
    rng = np.random.default_rng(0)
    scaler = video.new_scaler()
    for width, height, fmt in [
        (64, 48, "yuv420p"),
        (32, 24, "yuv420p"),
        (64, 48, "yuvj420p"),
        (40, 30, "rgb24"),
        (64, 48, "yuv444p"),
    ]:
        rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format=fmt)
        for max_side in (None, 20):
            fast = video.to_rgb(frame, (), max_side, scaler)
            assert np.array_equal(fast, _plain_rgb(frame, (), max_side)), (width, fmt, max_side)


def test_frame_ranges_and_single_frames_match_the_plain_conversion(media_dir):
    clip = "sports2d_demo4_gait_side.mp4"
    data = (media_dir / "videos" / clip).read_bytes()
    plain = {i: rgb for i, rgb in enumerate(_plain_frames(data, clip, None)) if i < 140}
    index = video.index_video(data, clip)
    for i, _, rgb in video.iter_frame_range(data, index, 100, 140, name=clip):
        assert np.array_equal(rgb, plain[i]), i
    got = video.read_frames(data, [3, 77, 139], name=clip, index=index)
    assert all(np.array_equal(got[i], plain[i]) for i in (3, 77, 139))
    assert np.array_equal(video.read_frame(data, 120, name=clip, index=index), plain[120])


# -- CSV text ------------------------------------------------------------------


def _awkward_floats(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n) * 10.0 ** rng.integers(-12, 12, n)
    x[::7] = np.nan
    x[1::11] = 0.0
    x[2::13] = -0.0
    x[3::17] = np.inf
    x[4::19] = -np.inf
    x[5::23] = 123456.5  # rounding at the 6th digit
    x[6::29] = 1e-5
    return x


def test_csv_text_is_pandas_text_for_numbers_names_and_gaps():
    import pandas as pd

    from dashboard.outputs.export import csv_text

    n = 5000
    table = pd.DataFrame(
        {
            "frame": np.arange(n, dtype=np.int64) * 3,
            "time_s": _awkward_floats(n, 1),
            "person": np.arange(n, dtype=np.int64) % 3,
            "landmark": np.array(["nose", "left_eye", "", "right_heel"] * (n // 4), dtype=object),
            "x_px": _awkward_floats(n, 2),
            "small": _awkward_floats(n, 3).astype(np.float32),
            "count": np.arange(n, dtype=np.uint16),
        }
    )
    for fmt in ("%.6g", "%.4f", "%.3e", None):
        assert csv_text(table, fmt) == table.to_csv(index=False, float_format=fmt)
    # no format (angles.csv): pandas' own float text, float64 columns written here
    doubles = table.drop(columns="small")
    assert csv_text(doubles, None) == doubles.to_csv(index=False)
    rounded = doubles.assign(x_px=doubles["x_px"].round(4), time_s=doubles["time_s"].round(6))
    assert csv_text(rounded, None) == rounded.to_csv(index=False)
    empty = table.iloc[:0]
    assert csv_text(empty, "%.6g") == empty.to_csv(index=False, float_format="%.6g")


@pytest.mark.parametrize(
    "table",
    [
        {"name": ["a,b", "c"], "x": [1.0, 2.0]},  # a cell to quote
        {"name": ['say "hi"', "c"], "x": [1.0, 2.0]},
        {"name": ["line\nbreak", "c"], "x": [1.0, 2.0]},
        {"x": [1.0, np.nan]},  # one column: "" is quoted
        {"ok": [True, False], "x": [1.0, 2.0]},  # booleans
        {"mixed": ["a", 1], "x": [1.0, 2.0]},  # not all text
        {"a,b": [1, 2], "x": [1.0, 2.0]},  # a header to quote
    ],
)
def test_csv_text_leaves_what_it_does_not_know_to_pandas(table):
    import pandas as pd

    from dashboard.outputs.export import csv_text

    df = pd.DataFrame(table)
    assert csv_text(df, "%.6g") == df.to_csv(index=False, float_format="%.6g")


def test_landmark_csv_is_the_landmark_table_as_pandas_writes_it():
    from dashboard.outputs.export import landmark_csv, landmark_table
    from dashboard.poses import PoseSequence

    rng = np.random.default_rng(5)

    def person():
        return {
            "image_xy": rng.uniform(0, 1280, (33, 2)),
            "z": rng.normal(0, 0.3, 33),
            "visibility": rng.uniform(0, 1, 33),
            "presence": rng.uniform(0, 1, 33),
            "world_m": rng.normal(0, 0.5, (33, 3)),
        }

    frames = []
    for i in range(40):
        people = [person() for _ in range(i % 3)]
        if people:
            people[0]["z"][:5] = np.nan  # a detected person with missing values
        frames.append(
            {
                k: np.array([p[k] for p in people]).reshape((len(people), *v.shape))
                for k, v in person().items()
            }
        )
    seq = PoseSequence.from_frames(
        frames, (1280, 720), time_s=np.arange(40) / 29.97, frame_index=np.arange(40) * 2
    )
    assert landmark_csv(seq) == landmark_table(seq).to_csv(index=False, float_format="%.6g")
    assert landmark_csv(seq, person=1) == landmark_table(seq, 1).to_csv(
        index=False, float_format="%.6g"
    )


# -- ending the process --------------------------------------------------------


def test_only_analyze_ends_without_the_interpreter_teardown():
    from dashboard.cli import skips_teardown

    assert skips_teardown(["analyze", "clip.mp4", "--out", "out"])
    assert not skips_teardown(["batch", "in", "--out", "out"])
    assert not skips_teardown(["library", "list"])
    assert not skips_teardown([])


def test_analyze_output_reaches_a_pipe_and_the_exit_code_is_kept(media_dir, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    photo = media_dir / "images" / "tfjs_pose_yoga_warrior.jpg"
    env = dict(os.environ, PYTHONPATH=str(root), GLOG_minloglevel="2")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "analyze",
            str(photo),
            str(tmp_path / "missing.jpg"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )
    assert res.returncode == 1
    assert res.stdout.startswith(f"{photo}: 1 person -> ") and res.stdout.endswith("\n")
    assert "missing.jpg does not exist" in res.stderr
    assert (tmp_path / "tfjs_pose_yoga_warrior.landmarks.csv").read_text().count("\n") == 34


# -- filter design -------------------------------------------------------------


def test_the_cached_butterworth_design_filters_as_a_fresh_one():
    from scipy import signal

    from dashboard.kinematics import filters

    rng = np.random.default_rng(2)
    t = np.cumsum(rng.uniform(0.030, 0.037, 400))
    x = np.sin(2 * np.pi * 1.3 * t) * 40 + rng.normal(0, 3, 400)
    x[100:104] = np.nan
    first = filters.butterworth_lowpass(x, t, 6.0, 4)
    again = filters.butterworth_lowpass(x, t, 6.0, 4)  # from the cache
    fs = 1.0 / float(np.median(np.diff(t[:100])))
    fresh = signal.butter(4, 6.0, btype="low", fs=fs, output="sos")
    assert np.array_equal(filters._butter_sos(4, 6.0, fs), fresh)
    assert np.array_equal(first, again, equal_nan=True)
    with pytest.raises(ValueError):
        filters._butter_sos(4, 6.0, fs)[0, 0] = 1.0  # shared: read-only
