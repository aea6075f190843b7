"""The parts that make long sessions affordable (issue 26) give the same answers: float32
storage only where it is exact, the angle table built in order and written in chunks, and the
walking check made person by person."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import numpy as np

from dashboard.kinematics import walking_reps
from dashboard.kinematics.summary import angles_csv_chunks, angles_dataframe, compute_kinematics
from dashboard.outputs.session import read_session, save_session
from tests.gait_walker import walker
from tests.session_data import small_analysis as _analysis

ARRAYS = ("image_xy", "z", "visibility", "presence", "world_m", "time_s", "frame_index")


def _dtypes(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {k: v["dtype"] for k, v in json.loads(zf.read("manifest.json"))["arrays"].items()}


def _bits(a) -> bytes:
    return np.ascontiguousarray(a).tobytes()


def test_float32_values_are_stored_as_float32_and_read_back_identical():
    a = _analysis(frames=8, people=2)
    seq = a.poses
    as32 = {  # what the pose model gives: float32 values in float64 arrays (NaN: nobody)
        k: np.asarray(getattr(seq, k)).astype(np.float32).astype(np.float64)
        for k in ("visibility", "presence", "world_m")
    }
    a = dataclasses.replace(a, poses=dataclasses.replace(seq, **as32))
    data = save_session(a)
    dtypes = _dtypes(data)
    assert [k for k, d in dtypes.items() if d == "<f4"] == ["visibility", "presence", "world_m"]
    assert dtypes["image_xy"] == dtypes["z"] == dtypes["time_s"] == "<f8"  # not exact in f4
    back = read_session(data).analysis.poses
    for name in ARRAYS:
        got = getattr(back, name)
        assert got.dtype == getattr(a.poses, name).dtype
        assert _bits(got) == _bits(getattr(a.poses, name)), name


def test_the_angle_table_is_in_frame_person_space_angle_order_and_its_chunks_are_its_csv():
    seq = _analysis(frames=7, people=2).poses
    kin = compute_kinematics(seq)
    df = angles_dataframe(kin)
    n_angles = sum(len(s.defs) for s in kin.sets)
    assert len(df) == 7 * 2 * n_angles
    first = df.iloc[: 2 * n_angles]
    assert (first["frame"] == seq.frame_index[0]).all()
    ids = [int(i) for i in seq.person_ids]
    assert list(first["person"]) == [ids[0]] * n_angles + [ids[1]] * n_angles
    assert list(first["space"][:n_angles]) == [s.space for s in kin.sets for _ in s.defs]
    assert list(first["angle"][:n_angles]) == [d.key for s in kin.sets for d in s.defs]
    s0 = kin.sets[0]
    np.testing.assert_array_equal(first["raw_deg"][: len(s0.defs)], s0.raw_deg[0, 0])
    for frames in (1, 3, 7, 100):
        text = "".join(angles_csv_chunks(kin, "%.6g", frames=frames))
        assert text == df.to_csv(index=False, float_format="%.6g")
    assert "".join(angles_csv_chunks([])) == angles_dataframe([]).to_csv(index=False)


def test_a_session_with_the_table_in_chunks_holds_the_same_csv():
    a = _analysis(frames=5, people=2)
    kin = compute_kinematics(a.poses)
    whole = save_session(a, angle_table=angles_dataframe(kin))
    chunked = save_session(a, angle_table=angles_csv_chunks(kin, "%.6g", frames=2))
    with zipfile.ZipFile(io.BytesIO(whole)) as w, zipfile.ZipFile(io.BytesIO(chunked)) as c:
        assert w.read("angles.csv") == c.read("angles.csv")
    assert read_session(chunked).has_angle_table


def test_walking_is_checked_person_by_person_when_asked(monkeypatch):
    one, _ = walker(fps=30.0)
    still = np.repeat(one.image_xy[:1], one.num_frames, axis=0)  # a person standing still
    two = dataclasses.replace(
        one,
        **{
            k: np.concatenate([getattr(one, k), getattr(one, k)], axis=1)
            for k in ("z", "visibility", "presence", "world_m")
        },
        image_xy=np.concatenate([one.image_xy, still], axis=1),
        person_ids=None,
        swapped=None,
    )
    asked = []
    real = walking_reps._walking
    monkeypatch.setattr(walking_reps, "_walking", lambda s, p: asked.append(p) or real(s, p))
    walking = walking_reps.walking_people(two)
    assert len(walking) == 2 and asked == []
    assert walking[0] is True and asked == [0]
    assert walking == (True, False) and asked == [0, 1]
    assert walking[-1] is False and walking[:1] == (True,) and asked == [0, 1]  # once each
    assert walking_reps.walking_people(two) is walking
