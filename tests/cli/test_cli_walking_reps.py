"""``posedash analyze`` on the shared walking clip (real model): summary.json holds no
exercise repetitions and says why, and so does a note on stderr."""

from __future__ import annotations

import json

from dashboard.cli import main
from dashboard.kinematics.walking_reps import WALKING_NOT_REPETITIONS

CLIP = "sports2d_demo4_gait_side.mp4"


def test_a_walk_gets_no_repetitions_and_the_reason(media_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert (
        main(
            [
                "analyze",
                str(media_dir / "videos" / CLIP),
                "--rep-angle",
                "knee_flexion",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert f"note: repetitions not counted: {WALKING_NOT_REPETITIONS}" in err
    doc = json.loads((out / f"{CLIP.rsplit('.', 1)[0]}.summary.json").read_text())
    assert doc["repetitions"] == []
    (why,) = doc["repetitions_withheld"]
    assert why["reason"].startswith(WALKING_NOT_REPETITIONS) and ".gait.json" in why["reason"]
    assert (out / f"{CLIP.rsplit('.', 1)[0]}.gait.json").is_file()  # the steps are there
