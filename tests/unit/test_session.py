"""Session files: a round trip gives equal arrays; damaged, foreign, newer or hostile
files give a clear InputError before any large allocation."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from dashboard.analysis import Analysis
from dashboard.errors import InputError
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.summary import KinematicsSettings, angles_dataframe, compute_kinematics
from dashboard.outputs.session import (
    EXTENSION,
    FORMAT,
    VERSION,
    kinematics_settings,
    load_session,
    read_session,
    save_session,
    session_file_name,
)
from dashboard.poses import PoseSequence
from tests.session_data import small_analysis


def test_round_trip_gives_equal_arrays_and_metadata():
    a = small_analysis()
    b = load_session(save_session(a))
    assert b.poses.equals(a.poses)
    for name in ("image_xy", "z", "visibility", "presence", "world_m", "time_s"):
        assert np.array_equal(getattr(b.poses, name), getattr(a.poses, name), equal_nan=True)
        assert getattr(b.poses, name).dtype == np.float64
    assert b.poses.person_ids.tolist() == [0, 3]
    assert b.poses.frame_index.tolist() == a.poses.frame_index.tolist()
    assert b.poses.image_size == (640, 480)
    assert (b.source_name, b.source_sha256, b.kind) == (a.source_name, a.source_sha256, "video")
    assert b.settings == a.settings
    assert b.fps == pytest.approx(29.97) and b.stride == 2
    assert b.model["sha256"] == "cd" * 32 and b.model["origin"] == "built-in"


def test_model_folder_is_not_saved():
    data = save_session(small_analysis())
    assert b"alice" not in data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"alice" not in zf.read("manifest.json")
    assert load_session(data).model["path"] == "pose_landmarker_full.task"


def test_photo_round_trip_and_file_name():
    a = small_analysis(frames=1, people=1, kind="photo")
    a = Analysis(a.poses, "C:\\photos\\knee.jpg", a.source_sha256, "photo")
    b = load_session(save_session(a))
    assert b.poses.equals(a.poses) and b.kind == "photo" and b.fps is None
    assert session_file_name(a) == "knee" + EXTENSION


def test_file_is_a_readable_zip_and_npz_with_no_pickles():
    data = save_session(small_analysis())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["format"] == FORMAT and manifest["version"] == VERSION
    assert manifest["source"]["name"] == "patient walk.mp4"
    assert "arrays/world_m.npy" in names
    npz = np.load(io.BytesIO(data), allow_pickle=False)  # also a valid .npz
    assert npz["arrays/world_m"].shape == (6, 2, 33, 3)


def test_angle_settings_are_kept_and_the_table_is_for_other_programs_only():
    a = small_analysis()
    settings = KinematicsSettings(
        min_confidence=0.3, filter=FilterSettings(method="one_euro", beta=0.1)
    )
    table = angles_dataframe(compute_kinematics(a.poses, settings))
    opened = read_session(save_session(a, settings, table))
    assert opened.has_angle_table
    restored, exact = kinematics_settings(opened.angle_settings)
    assert exact and restored == settings
    assert opened.created_utc.endswith("+00:00")
    with zipfile.ZipFile(io.BytesIO(save_session(a, settings, table))) as zf:
        assert zf.read("angles.csv").startswith(b"frame,time_s,person,angle,side,space")


def test_unknown_angle_settings_fall_back_to_defaults():
    assert kinematics_settings(None) == (KinematicsSettings(), False)
    assert kinematics_settings({"filter": {"method": "kalman"}}) == (KinematicsSettings(), False)


# --- bad files ---------------------------------------------------------------
def _rezip(data: bytes, edit) -> bytes:
    """Rewrite a session file with ``edit(members: dict) -> None`` applied."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    edit(members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    return buf.getvalue()


def _manifest(edit):
    def apply(members):
        m = json.loads(members["manifest.json"])
        edit(m)
        members["manifest.json"] = json.dumps(m).encode()

    return apply


def _npy(array) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


GOOD = save_session(small_analysis())


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"", "empty"),
        (b"hello, I am a text file", "not a PoseDash session"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "not a PoseDash session"),
        (GOOD[: len(GOOD) // 2], "damaged or incomplete"),
        (GOOD[:-30], "damaged or incomplete"),
        (GOOD[:200] + bytes(b ^ 0xFF for b in GOOD[200:260]) + GOOD[260:], "damaged or incomplete"),
    ],
)
def test_corrupt_or_truncated_files_give_a_message(data, expected):
    with pytest.raises(InputError) as err:
        load_session(data)
    assert expected in err.value.message


def test_foreign_zip_is_not_a_session():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputError, match="not a PoseDash session"):
        load_session(buf.getvalue())
    other = _rezip(GOOD, _manifest(lambda m: m.update(format="someone.else")))
    with pytest.raises(InputError, match="not a PoseDash session"):
        load_session(other)


def test_newer_version_asks_for_an_update():
    newer = _rezip(GOOD, _manifest(lambda m: m.update(version=VERSION + 1)))
    with pytest.raises(InputError) as err:
        load_session(newer)
    assert "newer PoseDash" in err.value.message and "Update" in err.value.hint


@pytest.mark.parametrize(
    "edit",
    [
        _manifest(lambda m: m.update(frames=10**12)),  # absurd size
        _manifest(lambda m: m.update(people=100000)),
        _manifest(lambda m: m.update(frames=7)),  # disagrees with the arrays
        _manifest(lambda m: m.update(frames="6")),
        _manifest(lambda m: m.update(image_size=[0, 480])),
        _manifest(lambda m: m["source"].update(kind="spreadsheet")),
        _manifest(lambda m: m.update(settings={"num_poses": 99})),
        lambda ms: ms.pop("arrays/world_m.npy"),
        lambda ms: ms.update({"manifest.json": b"{not json"}),
        lambda ms: ms.update({"manifest.json": b"[1, 2]"}),
        # an array header claiming a huge shape: refused before reading or allocating
        lambda ms: ms.update(
            {
                "arrays/world_m.npy": ms["arrays/world_m.npy"].replace(
                    b"(6, 2, 33, 3)", b"(9999999999, 2, 33, 3)"
                )
            }
        ),
        # pickled objects are never loaded
        lambda ms: ms.update({"arrays/time_s.npy": _npy(np.array([object()] * 6))}),
        lambda ms: ms.update({"arrays/time_s.npy": _npy(np.full(6, np.inf))}),
        lambda ms: ms.update({"arrays/visibility.npy": _npy(np.full((6, 2, 33), 7.0))}),
        lambda ms: ms.update({"arrays/frame_index.npy": _npy(np.arange(6.0))}),
    ],
)
def test_damaged_or_hostile_contents_give_a_message(edit):
    with pytest.raises(InputError) as err:
        load_session(_rezip(GOOD, edit))
    assert err.value.message  # a sentence for the user, not a traceback


def test_declared_member_size_is_checked_before_reading():
    # a 'zip bomb': a member whose uncompressed size is far beyond what its shape needs
    def edit(ms):
        ms["arrays/z.npy"] = b"\0" * (50 * 2**20)

    with pytest.raises(InputError, match="damaged"):
        load_session(_rezip(GOOD, edit))


def test_real_reference_video_round_trip(media_dir):
    from tests.reference_data import legacy_analysis

    a = legacy_analysis(media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json")
    data = save_session(a)
    assert len(data) < 1_000_000  # 540 frames in well under a megabyte
    b = load_session(data)
    assert b.poses.equals(a.poses)
    assert np.isnan(b.poses.world_m).any() == np.isnan(a.poses.world_m).any()


def test_photo_where_nobody_was_found_round_trips():
    from dashboard.analysis import Analysis
    from dashboard.outputs.session import load_session, save_session

    empty = Analysis(PoseSequence.empty(1, 0, (640, 480)), "blank.jpg", "0" * 64, "photo")
    back = load_session(save_session(empty))
    assert back.poses.num_people == 0 and back.poses.num_frames == 1
    assert back.poses.equals(empty.poses)
