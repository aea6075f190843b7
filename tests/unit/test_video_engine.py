"""analyze_video: progress, cancel, stride, downscaling, timestamps, people, no temp files.

These run the real model on small inputs (a few seconds in all).
"""

from __future__ import annotations

import io
import tempfile
from fractions import Fraction

import av
import numpy as np
import pytest

from dashboard.detect.engine import analyze_video
from dashboard.errors import Cancelled, InputError
from dashboard.outputs import export
from dashboard.outputs.export_video import annotated_mp4
from dashboard.settings import AnalysisSettings


@pytest.fixture(scope="module")
def squats(media_dir) -> bytes:
    return (media_dir / "videos" / "tfjs_pose_squats_front.mp4").read_bytes()


def blank_clip(pts, time_base=Fraction(1, 10000), size=(96, 64)) -> bytes:
    """Grey frames with exact PTS in ``time_base`` units (MP4 keeps sub-ms times)."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.codec_context.time_base = time_base
        for p in pts:
            frame = av.VideoFrame.from_ndarray(
                np.full((size[1], size[0], 3), 128, np.uint8), format="rgb24"
            )
            frame.pts, frame.time_base = p, time_base
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def test_stride_downscale_progress_and_full_size_coordinates(squats, model_info):
    calls = []
    seq = analyze_video(
        squats,
        model_info,
        stride=4,
        max_side=320,
        progress=lambda done, total: calls.append((done, total)),
        name="squats.mp4",
    )
    assert seq.image_size == (720, 1280)
    assert seq.frame_index.tolist() == list(range(0, 65, 4))
    np.testing.assert_allclose(seq.time_s, seq.frame_index * 0.2, atol=1e-6)
    assert [d for d, _ in calls] == list(range(1, 18))
    assert calls[-1] == (17, 17) and all(t == 17 for _, t in calls)
    assert seq.num_people == 1 and seq.detected.all()
    xy = seq.image_xy[:, 0]
    assert np.nanmax(xy[..., 0]) > 400 and np.nanmax(xy[..., 1]) > 1000  # not 320-px coords


def test_cancel_stops_cleanly(squats, model_info):
    seen = []

    def cancel():
        return len(seen) >= 3

    with pytest.raises(Cancelled, match="cancelled"):
        analyze_video(
            squats, model_info, progress=lambda d, t: seen.append(d), should_cancel=cancel
        )
    assert seen == [1, 2, 3]
    # the next analysis starts from a fresh landmarker and works
    assert analyze_video(squats, model_info, stride=16).num_frames == 5


def test_colliding_millisecond_timestamps_and_nobody_found(model_info):
    pts = [0, 3, 6, 9, 400, 800]  # 0.0, 0.3, 0.6, 0.9 ms: same integer millisecond
    seq = analyze_video(blank_clip(pts), model_info)
    np.testing.assert_allclose(seq.time_s, np.array(pts) / 10000, atol=1e-6)
    assert seq.num_frames == 6 and seq.num_people == 1
    assert not seq.detected.any() and np.isnan(seq.image_xy).all()


def test_several_people_get_stable_slots(squats, model_info):
    seq = analyze_video(squats, model_info, AnalysisSettings(num_poses=3), stride=8, max_side=480)
    assert seq.person_ids.tolist() == list(range(seq.num_people))
    assert seq.detected[:, 0].all()  # one woman squatting: one track, slot 0 throughout
    assert seq.detected[:, 1:].sum() <= 1


def test_bad_video_is_an_input_error(model_info):
    with pytest.raises(InputError):
        analyze_video(b"\x00" * 1000, model_info, name="broken.mp4")


def test_csv_has_every_analysed_frame(squats, model_info):
    seq = analyze_video(squats, model_info, stride=8, max_side=320)
    table = export.landmark_table(seq)
    assert sorted(set(table["frame"])) == seq.frame_index.tolist()
    assert table.loc[table["frame"] == 16, "time_s"].iloc[0] == pytest.approx(3.2)


def test_no_temporary_files_during_analysis_and_export(squats, model_info, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a temporary file was requested")

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for fn in (
        "mkstemp",
        "mkdtemp",
        "NamedTemporaryFile",
        "TemporaryFile",
        "SpooledTemporaryFile",
        "TemporaryDirectory",
    ):
        monkeypatch.setattr(tempfile, fn, refuse)
    seq = analyze_video(squats, model_info, stride=8, max_side=320)
    mp4 = annotated_mp4(squats, seq, blur_faces=True, draw=lambda rgb, s, i: rgb)
    assert len(mp4) > 1000
    assert list(tmp_path.iterdir()) == []
