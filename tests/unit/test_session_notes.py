"""Session files keep the notes on how the recording was read (``Analysis.notes``):
a round trip keeps every field a reopened session shows; files written before the
notes were kept still open; hostile notes become plain one-line text or are left
out with a message, never an exception."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import numpy as np
import pytest

from dashboard import __version__
from dashboard.analysis import Analysis
from dashboard.jsonsafe import to_jsonable
from dashboard.kinematics.summary import KinematicsSettings
from dashboard.outputs import session_schema as schema
from dashboard.outputs.session import (
    FORMAT,
    MANIFEST,
    _arrays,
    _model_provenance,
    read_session,
    save_session,
)
from dashboard.skeleton import NUM_LANDMARKS
from tests.session_data import (
    STREAM,
    TIMES,
    edited_session,
    manifest_of,
    noted_analysis,
    small_analysis,
    with_notes,
)


def _npy_bytes(array) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


# --------------------------------------------------------------------------- round trip


def test_round_trip_keeps_the_notes_and_every_field_a_reopened_session_shows():
    a = noted_analysis()
    opened = read_session(save_session(a, KinematicsSettings()))
    b = opened.analysis
    assert b.notes == (STREAM, TIMES)
    assert opened.notes == ()  # nothing was wrong with the file
    # Every field of Analysis, one by one (notes and video_index are not part of ==).
    for f in dataclasses.fields(Analysis):
        before, after = getattr(a, f.name), getattr(b, f.name)
        if f.name == "poses":
            assert after.equals(before)
            assert np.array_equal(after.swapped, before.swapped)
        elif f.name == "video_index":  # a cache of the video's packets: the video is not kept
            assert after is None
        elif f.name == "model":  # the folder may name the user: only the file name is kept
            assert after == {**before, "path": "pose_landmarker_full.task"}
        else:
            assert after == before, f.name
    assert b.provenance() == a.provenance()


def test_notes_are_in_the_manifest_and_in_the_provenance():
    data = save_session(noted_analysis(kind="photo", frames=1, people=1))
    assert manifest_of(data)["read_notes"] == [STREAM, TIMES]
    assert manifest_of(save_session(small_analysis()))["read_notes"] == []
    assert noted_analysis().provenance()["read_notes"] == [STREAM, TIMES]
    assert small_analysis().provenance()["read_notes"] == []


def test_a_reopened_session_saved_again_keeps_its_notes():
    once = read_session(save_session(noted_analysis())).analysis
    twice = read_session(save_session(once)).analysis
    assert twice.notes == (STREAM, TIMES)


# --------------------------------------------------------------------------- old files


def _old_format_file(a: Analysis) -> bytes:
    """A session as PoseDash wrote it before notes (and the swap repair, and gait)
    were kept: the format-1 manifest of that time, written here field by field."""
    seq = a.poses
    arrays = {k: v for k, v in _arrays(seq).items() if k != "swapped"}
    manifest = {
        "format": FORMAT,
        "version": 1,
        "created_utc": "2026-03-01T09:30:00+00:00",
        "posedash_version": "0.1.0",
        "note": "PoseDash session: landmarks and settings only, no image or video. "
        "Angles are recomputed from the landmarks when the session is opened.",
        "source": {"name": a.source_name, "sha256": a.source_sha256, "kind": a.kind},
        "fps": a.fps,
        "stride": a.stride,
        "image_size": list(seq.image_size),
        "frames": seq.num_frames,
        "people": seq.num_people,
        "landmarks": NUM_LANDMARKS,
        "settings": {k: v for k, v in a.settings.as_dict().items() if k != "swap_repair"},
        "model": _model_provenance(a.model),
        "angle_settings": to_jsonable(KinematicsSettings()),
        "angle_table": False,
        "arrays": {
            name: {"dtype": v.dtype.str, "shape": list(v.shape), "member": f"arrays/{name}.npy"}
            for name, v in arrays.items()
        },
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1))
        for name, v in arrays.items():
            zf.writestr(f"arrays/{name}.npy", _npy_bytes(v))
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["video", "photo"])
def test_a_file_written_before_notes_were_kept_opens_without_notes(kind):
    a = noted_analysis(kind=kind, frames=6 if kind == "video" else 1)
    old = _old_format_file(a)
    assert b"read_notes" not in old
    opened = read_session(old)
    assert opened.analysis.notes == () and opened.notes == ()
    assert opened.analysis.poses.equals(a.poses)
    assert opened.analysis.settings.swap_repair is False  # not repaired back then
    assert opened.posedash_version == "0.1.0"
    # ... and saved again by this PoseDash, it says (truthfully) nothing unusual
    assert manifest_of(save_session(opened.analysis))["read_notes"] == []
    assert __version__  # this PoseDash has a version to write


# --------------------------------------------------------------------------- hostile notes


def test_control_and_invisible_characters_become_spaces():
    sneaky = "Times\nrepaired\t\x00\x1b[31m here\u202e txet\u200b\u2028end  "
    opened = read_session(with_notes([sneaky, "  ", "\n\r\t"]))
    assert opened.analysis.notes == ("Times repaired [31m here txet end",)
    assert opened.notes == ()  # neutralised, nothing left out: no alarm


@pytest.mark.parametrize(
    "value, kept, phrase",
    [
        ("stream 2 was analysed", 0, "is not a list of sentences"),
        ({"a": 1}, 0, "is not a list of sentences"),
        (42, 0, "is not a list of sentences"),
        ([STREAM, 7, None, ["x"], {"k": "v"}], 1, "note 2 (7) is not text"),
        ([STREAM, "x" * 5000], 1, "note 2 has 5,000 characters, more than 1,000"),
        ([STREAM] * 25, 20, "more than 20 notes"),
    ],
)
def test_bad_notes_are_left_out_with_a_message(value, kept, phrase):
    opened = read_session(with_notes(value))  # never an exception: notes never refuse
    assert opened.analysis.notes == (STREAM,) * kept
    (message,) = opened.notes
    assert phrase in message and "left out" in message
    assert len(message) < 600  # a hostile value is quoted short


def test_a_huge_hostile_value_is_quoted_short_in_every_message():
    huge = "![pixel](http://tracker.example/p.png)" + "A" * 200_000
    opened = read_session(with_notes(huge))
    assert opened.analysis.notes == ()
    (message,) = opened.notes
    assert len(message) < 400 and "…" in message
    _, notes = schema.angle_settings({"filter": {"method": huge}})
    assert len(notes[0]) < 400


def test_null_notes_are_no_notes():
    opened = read_session(with_notes(None))
    assert opened.analysis.notes == () and opened.notes == ()


def test_one_line_rules():
    assert schema.one_line("a\r\nb\u2029c\u2066d\u2069 \ufeffe") == "a b c d e"
    assert schema.one_line("knee 45°, hips — fine ✓") == "knee 45°, hips — fine ✓"
    assert schema.quoted("x" * 500).endswith("…") and len(schema.quoted("x" * 500)) == 60


@pytest.mark.parametrize("value", ["no", 0, None, [True]])
def test_a_swap_repair_flag_that_is_not_true_or_false_refuses_the_file(value):
    from dashboard.errors import InputError

    data = edited_session(lambda m: m["settings"].update(swap_repair=value))
    with pytest.raises(InputError, match=r"swap_repair: .* is not true or false"):
        read_session(data)
