"""Tables a clinician reads show "–", never a grey "None", for a missing value: the
repetitions table (a repetition cut by the end of the recording), the Compare table
and the patient library's tables (AppTest; reference landmarks, no model run)."""

from __future__ import annotations

import pandas as pd

from dashboard.text.display import MISSING
from tests.pages import (
    compare_page,
    create_library,
    patients_page,
    save_to_library,
)
from tests.reference_data import legacy_analysis


def _no_none(table: pd.DataFrame) -> None:
    for name in table.columns:
        if pd.api.types.is_bool_dtype(table[name]):
            continue
        cells = table[name].tolist()
        assert all(isinstance(c, str) for c in cells), (name, cells)
        assert "None" not in cells and "nan" not in cells, (name, cells)


def test_a_cut_repetition_reads_as_a_dash(media_dir):
    from tests.pages import angles_page

    at = angles_page(
        legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json")
    )
    reps = next(d.value for d in at.dataframe if "Time to peak (s)" in d.value.columns)
    _no_none(reps)
    cut = reps[~reps["Counted"]]
    assert len(cut) == 1 and MISSING in cut.iloc[0].tolist()
    counted = reps[reps["Counted"]]
    assert len(counted) == 2 and MISSING not in counted["Range of motion (°)"].tolist()
    assert all(
        v.count(".") == 1 and len(v.split(".")[1]) == 1 for v in counted["Range of motion (°)"]
    )  # one decimal, as before


def test_the_compare_table_has_no_none(compare_sessions):
    at = compare_page(compare_sessions["squat"], compare_sessions["raise"])
    rom = at.dataframe[0].value
    _no_none(rom)
    numbers = rom[
        [
            "before range",
            "after range",
            "change in range",
            "before max",
            "after max",
            "change in max",
        ]
    ]
    assert all(v == MISSING or v.endswith("°") for v in numbers.to_numpy().ravel())


def test_the_library_tables_have_no_none(data_dir, media_dir):
    squat = legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json")
    at = patients_page(squat)
    create_library(at)
    save_to_library(at, squat, "2026-01-05", region="")
    save_to_library(at, squat, "2026-02-05", region="knees", again=True)
    tables = [d.value for d in at.dataframe]
    sessions_table = next(t for t in tables if "body region" in t.columns)
    _no_none(sessions_table)
    assert sessions_table["body region"].tolist()[-1] == "knees"
    # the Progress tab opens on no value when none is valid (issue 20): choose one
    menu = at.selectbox(key="library_metric")
    if menu.value is None:
        menu.select_index(0).run()
    tables = [d.value for d in at.dataframe]
    progress = next(t for t in tables if "visibility" in t.columns)
    _no_none(progress)
    value = next(c for c in progress.columns if c.startswith("value"))
    assert all(v == MISSING or len(v.split(".")[-1]) == 1 for v in progress[value])
    assert all(v == MISSING or len(v.split(".")[-1]) == 2 for v in progress["visibility"])
