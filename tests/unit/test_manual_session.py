"""Measurements made by hand in session files: an additive, optional field
(``manual_measurements``): saved and reopened with their frames, recomputed from
their points; files without it open as before (and a session saved without
measurements has no such field); damaged or hostile entries are left out with a
note, the others kept."""

from __future__ import annotations

import io
import json
import zipfile

from dashboard.manual import frame_ref, make_angle, make_note
from dashboard.outputs.session import MANIFEST, read_session, save_session
from tests.session_data import edited_manifest, small_analysis


def _manifest(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return json.loads(zf.read(MANIFEST))


def test_measurements_round_trip_with_their_frames():
    a = small_analysis()
    where = frame_ref(a.poses, 3)  # video frame 6 (every 2nd frame analysed)
    ms = (
        make_angle(where, [(10, 10), (100, 100), (190, 10)], label="Left knee"),
        make_note(where, (50, 50), "=1+1 <script>"),
    )
    got = read_session(save_session(a, measurements=ms))
    assert got.notes == ()
    assert [m.id for m in got.measurements] == [m.id for m in ms]
    assert got.measurements[0].where.frame == 6 and got.measurements[0].where.row == 3
    assert abs(got.measurements[0].value - 90.0) < 1e-9
    assert got.measurements[1].text == "=1+1 <script>"
    assert _manifest(save_session(a, measurements=ms))["manual_measurements"][0]["source"] == (
        "measured by hand"
    )


def test_without_measurements_the_file_has_no_field_and_old_files_open():
    a = small_analysis()
    data = save_session(a)
    assert "manual_measurements" not in _manifest(data)
    assert read_session(data).measurements == ()


def test_damaged_entries_are_left_out_with_notes_and_nothing_else_lost():
    a = small_analysis()
    good = make_note(frame_ref(a.poses, 0), (5, 5), "kept").as_dict()

    def change(manifest):
        manifest["manual_measurements"] = [
            good,
            dict(good, row=10_000),
            dict(good, points=[[float("1e308") * 10, 1]]) | {"points": [["NaN", 1]]},
            dict(good, text="\x00" * 10 + "x" * 100_000),
        ]

    got = read_session(edited_manifest(save_session(a), change))
    assert [m.text for m in got.measurements] == ["kept"]
    assert len(got.notes) == 3 and all("left out" in n for n in got.notes)
    assert got.analysis.poses.num_frames == a.poses.num_frames  # the landmarks are all there


def test_a_field_of_the_wrong_type_is_a_note_not_a_refusal():
    a = small_analysis()
    got = read_session(edited_manifest(save_session(a), lambda m: m.update(manual_measurements=7)))
    assert got.measurements == () and len(got.notes) == 1
