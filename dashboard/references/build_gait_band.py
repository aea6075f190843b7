"""Build the normal gait-cycle band file from per-subject curves.

    python -m dashboard.references.build_gait_band FOLDER [--out PATH]

``FOLDER`` holds one CSV per subject and walking speed, named ``WBDSnn_X.csv``
(``nn`` the subject, ``X`` ``S``/``C``/``F`` for slow, comfortable and fast
overground walking), with 101 rows and the columns ``pct, hip_r, hip_l, knee_r,
knee_l, ankle_r, ankle_l`` (degrees; sagittal angles transcribed from the
``WBDSnnwalkO{S,C,F}ang.txt`` files of Fukuchi, Fukuchi and Duarte 2018, columns
``RHipAngleZ`` ... ``LAnkleAngleZ``, whose signs already match PoseDash's: see
:mod:`dashboard.references.gait_band`). The per-subject files are not shipped:
only the band they give.

Each subject contributes two curves per angle, right and left, each normalised to
its own gait cycle; the band is their mean and SD (``ddof=1``) at every % of the
cycle, rounded to 0.01 deg. The output is deterministic, so building twice from
the same folder gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SPEEDS = {"S": "slow", "C": "comfortable", "F": "fast"}
JOINTS = {"hip": "hip_flexion", "knee": "knee_flexion", "ankle": "ankle_dorsiflexion"}
COLUMNS = ("pct", "hip_r", "hip_l", "knee_r", "knee_l", "ankle_r", "ankle_l")
NAME = re.compile(r"^WBDS(\d{2})_([SCF])\.csv$")
OUT = Path(__file__).with_name("data") / "gait_cycle_fukuchi2018.json"

SOURCE = {
    "citation": (
        "Fukuchi CA, Fukuchi RK, Duarte M. A public dataset of overground and treadmill "
        "walking kinematics and kinetics in healthy individuals. PeerJ 2018;6:e4640."
    ),
    "doi": "10.7717/peerj.4640",
    "url": "https://doi.org/10.6084/m9.figshare.5722711",
    "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/): attribution "
    "required; the band is an adaptation (mean and SD of the published per-subject curves).",
    "mirror": "github.com/nozaripo/5LinkBiped_BayesianIOC_MCMC, data/WBDSnnwalkO{S,C,F}ang.txt "
    "(commit 6407779196d50e0901127b1090311b413b584a3c)",
    "checked": (
        "Per-subject curves transcribed from the mirror's text files (columns R/L Hip, Knee, "
        "Ankle AngleZ, rounded to 0.1 deg) by the validation engineer; their signs checked "
        "against the curves' shapes (hip flexed ~30-45 deg at 0 %, knee swing peak ~60 deg "
        "near 70-75 %, ankle plantarflexion peak just after toe off); band computed by "
        "dashboard/references/build_gait_band.py."
    ),
}
CONVENTIONS = (
    "Angles in degrees over 0-100 % of the gait cycle, 0 and 100 % at initial contact of "
    "the same foot. Hip: flexion positive (thigh relative to the pelvis in the data set; "
    "PoseDash measures the thigh against the trunk line, so its hip curve runs below the "
    "band by about the pelvic tilt). Knee: flexion positive, hyperextension negative. "
    "Ankle: dorsiflexion positive, plantarflexion negative, 0 with the foot perpendicular "
    "to the shank. These are PoseDash's conventions (docs/angles.md); no sign was changed."
)


def read_subjects(folder: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """{speed word: {subject: curves}} of every ``WBDSnn_X.csv`` in ``folder``."""
    found: dict[str, dict[str, pd.DataFrame]] = {}
    for path in sorted(Path(folder).glob("WBDS*.csv")):
        m = NAME.match(path.name)
        if not m:
            continue
        df = pd.read_csv(path)
        missing = [c for c in COLUMNS if c not in df.columns]
        if missing or len(df) != 101 or not np.allclose(df["pct"], np.arange(101)):
            raise ValueError(f"{path.name}: expected 101 rows 0..100 and columns {COLUMNS}")
        found.setdefault(SPEEDS[m.group(2)], {})[m.group(1)] = df
    return found


def band_rows(found: dict[str, dict[str, pd.DataFrame]]) -> list[dict]:
    """One row per speed and angle: mean and SD over every subject's R and L curves."""
    rows = []
    for speed in ("comfortable", "slow", "fast"):
        subjects = found.get(speed) or {}
        if not subjects:
            continue
        for joint, angle in JOINTS.items():
            curves = np.array(
                [df[f"{joint}_{s}"].to_numpy(float) for df in subjects.values() for s in "rl"]
            )
            rows.append(
                dict(
                    speed=speed,
                    angle=angle,
                    n_subjects=len(subjects),
                    n_curves=len(curves),
                    subjects=sorted(subjects),
                    cycle_pct=list(range(101)),
                    mean_deg=[round(float(v), 2) for v in curves.mean(axis=0)],
                    sd_deg=[round(float(v), 2) for v in curves.std(axis=0, ddof=1)],
                )
            )
    return rows


def band_document(rows: list[dict]) -> dict:
    """The ``posedash.reference/1`` document of the band."""
    counts = ", ".join(f"{r['speed']} {r['n_subjects']}" for r in rows[::3])
    return {
        "format": "posedash.reference/1",
        "id": "gait_cycle_fukuchi2018",
        "kind": "curve",
        "measure": "gait.cycle_angles",
        "title": "Normal gait-cycle joint angles of healthy adults walking overground",
        "short_source": "Fukuchi, Fukuchi & Duarte 2018 (CC BY 4.0)",
        "unit": "deg",
        "source": SOURCE,
        "conventions": CONVENTIONS,
        "rows": rows,
        "notes": (
            "Rows: one per walking speed and angle, mean_deg and sd_deg at cycle_pct 0..100; "
            f"subjects per speed: {counts}; each subject gives a right and a left curve "
            "(n_curves). Healthy adults (young and older) of the data set, overground walking "
            "at self-selected slow, comfortable and fast speeds."
        ),
    }


def band_json(doc: dict) -> str:
    """``doc`` as JSON text: indented, each row on one line (a small, diffable file)."""
    rows = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in doc["rows"])
    text = json.dumps({**doc, "rows": "@ROWS@"}, indent=1, ensure_ascii=False)
    return text.replace('"@ROWS@"', "[\n  " + rows + "\n ]") + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        rows = band_rows(read_subjects(args.folder))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not rows:
        print(f"error: no WBDSnn_X.csv files in {args.folder}", file=sys.stderr)
        return 2
    args.out.write_text(band_json(band_document(rows)), encoding="utf-8")
    print(f"{args.out}: " + ", ".join(f"{r['speed']} n={r['n_subjects']}" for r in rows[::3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
