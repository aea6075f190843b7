"""The result of a gait analysis, its JSON document and its tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.jsonsafe import to_jsonable
from dashboard.kinematics.gait.cycles import (
    CURVE_ANGLES,
    CYCLE_PCT,
    WITHHELD_CURVES,
    Cycle,
    Step,
)
from dashboard.kinematics.gait.events import GaitEvent
from dashboard.kinematics.gait.frontal import FrontalResult
from dashboard.kinematics.gait.parameters import (
    KEY_VALUES,
    MIN_SPREAD_N,
    PARAMETER_LABELS,
    symmetry_index,
    too_few_words,
)
from dashboard.kinematics.gait.passes import WalkingPass
from dashboard.kinematics.gait.scale import scale_doc
from dashboard.kinematics.gait.settings import GAIT_SCHEMA, SIDES, GaitSettings
from dashboard.kinematics.gait.setup import SetupCheck, verdict
from dashboard.references.gait_band import normal_band

__all__ = ["CYCLES_CSV_COLUMNS", "SCALE_ERROR_PCT", "SCALE_METHOD", "GaitResult"]

CYCLES_CSV_COLUMNS = ("side", "angle", "cycle_pct", "mean_deg", "sd_deg", "n_cycles")
SCALE_METHOD = (
    "Pixels to body heights: the person's standing height in pixels is estimated in each "
    "pass from the vertical distance between the lower foot and the eyes (90th percentile "
    "over the pass), divided by 0.936 (eye height / stature). Metres: body heights x the "
    "height entered. Horizontal distances are taken in the plane the person walks in, "
    "so the camera must be square to the walkway."
)
#: Stated uncertainty of lengths: eye-height ratio +-1.5 %, posture and landmark noise
#: +-2 %, a walkway 10 deg off square or the person walking nearer/farther +-2 %.
SCALE_ERROR_PCT = 5.0

_SIDE_KEYS = ("step_time_s", "stride_time_s", "stance_pct", "swing_pct")


@dataclass(frozen=True)
class GaitResult:
    """Everything :func:`~dashboard.kinematics.gait.analyze_gait` found.

    ``per_side`` / ``overall`` map parameter names to ``{'mean', 'sd', 'n'}``;
    ``curves`` maps (side, angle) to a list of (stance %, 101-point curve), one
    per kept stride; ``key_values`` maps a key of :data:`KEY_VALUES` to
    ``{side: stats}``. ``swapped_frames``: frames whose leg labels differ from the
    model's (the left/right swap repair); ``swapped_by``: how many of them each
    stage relabelled (``'tracking'``: the detection stage; ``'gait'``: gait
    analysis, for landmarks made without the repair or by an older version).
    """

    settings: GaitSettings
    fps: float
    passes: tuple[WalkingPass, ...]
    events: tuple[GaitEvent, ...]
    cycles: tuple[Cycle, ...]
    steps: tuple[Step, ...]
    per_side: dict[str, dict[str, dict[str, float]]]
    overall: dict[str, dict[str, float]]
    curves: dict[tuple[str, str], list]
    key_values: dict[str, dict[str, dict[str, float]]]
    checks: tuple[SetupCheck, ...]
    warnings: tuple[str, ...]
    swapped_frames: int = 0
    swapped_by: dict[str, int] = field(default_factory=dict)
    angle_space: str = "image"
    extra: dict = field(default_factory=dict)
    #: The person analysed: their id as in ``summary.json`` (``PoseSequence.person_ids``).
    person: int = 0
    #: Backward walking, apart: ``{'left'|'right'|'both': {parameter: stats}}`` as
    #: ``per_side`` (no stride: every n is 0).
    backward: dict = field(default_factory=dict)
    #: Walking towards or away from the camera (:mod:`.frontal`): temporal parameters
    #: only; None when there is none. Never gives curves.
    frontal: FrontalResult | None = None

    # -- summaries ---------------------------------------------------------
    @property
    def verdict(self) -> str:
        return verdict(self.checks)

    @property
    def events_source(self) -> str:
        """``'automatic'``, or ``'edited'`` when events were corrected by hand
        (:func:`~dashboard.kinematics.gait.edited.analyze_edited`)."""
        return self.extra.get("events_source", "automatic")

    @property
    def swap_stage(self) -> str:
        """Who relabelled the legs: ``'tracking'``, ``'gait'``, ``'tracking+gait'``
        or ``'none'``."""
        return "+".join(k for k in ("tracking", "gait") if self.swapped_by.get(k)) or "none"

    @property
    def walking_notices(self) -> list[str]:
        """Plain-language notices for the passes not plainly walked forwards (a
        backward pass is left out; an unclear one is analysed with lower trust)."""
        return [p.notice for p in self.passes if p.notice]

    @property
    def kept_cycles(self) -> list[Cycle]:
        return [c for c in self.cycles if c.kept]

    @property
    def dropped_cycles(self) -> list[Cycle]:
        return [c for c in self.cycles if not c.kept]

    def toe_off_pct(self, side: str) -> float:
        v = [c.stance_pct for c in self.cycles if c.kept and c.side == side]
        return float(np.mean(v)) if v else float("nan")

    def _side_doc(self, side: str, per_side: dict | None = None) -> dict:
        p = (per_side or self.per_side)[side]
        doc: dict[str, Any] = {k: p[k]["mean"] for k in _SIDE_KEYS}
        doc["n_strides"] = int(p["stride_time_s"]["n"])
        doc["n_steps"] = int(p["step_time_s"]["n"])
        for k in (
            "double_support_pct",
            "cadence_steps_per_min",
            "stride_time_cv_pct",
            "step_length_body_heights",
            "stride_length_body_heights",
            "step_length_m",
            "stride_length_m",
        ):
            if k in p:
                doc[k] = p[k]["mean"]
        doc["spread"] = too_few_words(doc["n_strides"]) or None
        return doc

    def parameters_dict(self, per_side: dict | None = None, overall: dict | None = None) -> dict:
        """The ``parameters`` document of forward walking (``per_side``: another
        walking's, e.g. :attr:`backward`)."""
        per_side = per_side or self.per_side
        overall = self.overall if overall is None else overall
        both = per_side["both"]
        doc = {
            "cadence_steps_per_min": both["cadence_steps_per_min"]["mean"],
            "double_support_pct": both["double_support_pct"]["mean"],
            **{k: v["mean"] for k, v in overall.items()},
            "stride_time_cv_pct": both["stride_time_cv_pct"]["mean"],
            "step_time_s": both["step_time_s"]["mean"],
            "stride_time_s": both["stride_time_s"]["mean"],
        }
        for k in (
            "step_length_body_heights",
            "stride_length_body_heights",
            "speed_body_heights_s",
            "step_length_m",
            "stride_length_m",
            "speed_m_s",
        ):
            if k in both:
                doc[k] = both[k]["mean"]
        doc["left"] = self._side_doc("left", per_side)
        doc["right"] = self._side_doc("right", per_side)
        doc["stats"] = {
            "overall": {**both, **overall},
            "left": per_side["left"],
            "right": per_side["right"],
        }
        return doc

    def backward_dict(self) -> dict | None:
        """Backward walking, reported apart (None: no pass walked backwards)."""
        passes = [p.index for p in self.passes if p.mode == "backward"]
        if not passes or not self.backward:
            return None
        return dict(
            passes=passes,
            contact="the toes landing behind (initial contact); the heel leaving the "
            "ground last (foot off)",
            parameters=self.parameters_dict(self.backward, {}),
        )

    def to_dict(self) -> dict:
        """The ``posedash.gait/1`` JSON document (JSON-safe: NaN is ``null``)."""
        scale = scale_doc(self.settings, self.passes, SCALE_METHOD, SCALE_ERROR_PCT)
        doc = {
            "schema": GAIT_SCHEMA,
            "person": int(self.person),
            "passes": [p.as_dict() for p in self.passes],
            "events_source": self.events_source,
            "events": [e.as_dict() for e in self.events],
            # events corrected by hand: the automatic ones and what changed (:mod:`.edited`)
            **self.extra.get("events_doc", {}),
            "parameters": self.parameters_dict(),
            "backward_walking": self.backward_dict(),
            "frontal_walking": self.frontal.as_dict() if self.frontal is not None else None,
            "key_values": [
                dict(
                    key=k,
                    label=label,
                    **{s: self.key_values[k][s] for s in SIDES},
                    validity="withheld" if angle in WITHHELD_CURVES else "valid",
                    reason=WITHHELD_CURVES.get(angle, ""),
                )
                for k, label, angle, *_ in KEY_VALUES
            ],
            # curves never drawn (no rows in the cycles table), with the reason
            "withheld_curves": [dict(angle=a, reason=r) for a, r in WITHHELD_CURVES.items()],
            "cycles": [c.as_dict() for c in self.cycles],
            "toe_off_pct": {s: self.toe_off_pct(s) for s in SIDES},
            "scale": scale,
            "setup": dict(verdict=self.verdict, checks=[c.as_dict() for c in self.checks]),
            "fps": self.fps,
            "angle_space": self.angle_space,
            "leg_swap_frames_repaired": int(self.swapped_frames),
            "leg_swap_frames_repaired_by": {k: int(v) for k, v in self.swapped_by.items()},
            "warnings": list(self.warnings),
            "settings": self.settings.as_dict(),
            # the normal gait-cycle band, its source and each curve's comparison with it
            "normal_band": normal_band(self.cycles_table()),
        }
        return to_jsonable(doc)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    # -- tables ------------------------------------------------------------
    def cycles_table(self) -> pd.DataFrame:
        """Mean +- SD curves: exactly :data:`CYCLES_CSV_COLUMNS`, 101 rows per
        (side, angle) with at least one stride."""
        parts = []
        for side in SIDES:
            for angle in CURVE_ANGLES:
                rows = self.curves.get((side, angle), [])
                if not rows:
                    continue
                arr = np.array([c for _, c in rows])
                n = len(arr)
                parts.append(
                    pd.DataFrame(
                        {
                            "side": side,
                            "angle": angle,
                            "cycle_pct": CYCLE_PCT,
                            "mean_deg": arr.mean(axis=0),
                            "sd_deg": arr.std(axis=0, ddof=1) if n >= MIN_SPREAD_N else np.nan,
                            "n_cycles": n,
                        }
                    )
                )
        if not parts:
            return pd.DataFrame(columns=list(CYCLES_CSV_COLUMNS))
        return pd.concat(parts, ignore_index=True)[list(CYCLES_CSV_COLUMNS)]

    def key_values_table(self) -> pd.DataFrame:
        """One row per key value: left and right mean, SD, n, the difference
        (left - right, deg), the symmetry index (%) and, for a value of a withheld
        curve (no number), ``withheld_reason``."""
        rows = []
        for key, label, angle, *_ in KEY_VALUES:
            kv = self.key_values[key]
            lm, rm = kv["left"]["mean"], kv["right"]["mean"]
            rows.append(
                dict(
                    key=key,
                    label=label,
                    left_mean_deg=lm,
                    left_sd_deg=kv["left"]["sd"],
                    left_n=kv["left"]["n"],
                    right_mean_deg=rm,
                    right_sd_deg=kv["right"]["sd"],
                    right_n=kv["right"]["n"],
                    difference_deg=lm - rm,
                    symmetry_index_pct=symmetry_index(abs(lm), abs(rm)),
                    withheld_reason=WITHHELD_CURVES.get(angle, ""),
                )
            )
        return pd.DataFrame(rows)

    def parameters_table(self) -> pd.DataFrame:
        """One row per parameter: left, right and both sides' mean, SD and n."""
        rows = []
        names = [k for k in PARAMETER_LABELS if k in self.per_side["both"]]
        none = dict(mean=float("nan"), sd=float("nan"), n=0)
        for k in names:
            row: dict[str, object] = dict(parameter=k, label=PARAMETER_LABELS[k])
            for side in ("left", "right", "both"):
                s = self.per_side[side].get(k, none)
                row.update({f"{side}_mean": s["mean"], f"{side}_sd": s["sd"], f"{side}_n": s["n"]})
            rows.append(row)
        for k, s in self.overall.items():
            rows.append(
                dict(parameter=k, label=PARAMETER_LABELS[k], both_mean=s["mean"], both_n=s["n"])
            )
        return pd.DataFrame(rows)

    def events_table(self) -> pd.DataFrame:
        cols = [
            "side",
            "event",
            "frame",
            "time_s",
            "confidence",
            "pass_index",
            "velocity_offset_s",
            "phase",
            "phase_reason",
            "walking",
            "at_edge",
            "placed_by_hand",
        ]
        auto = {(e.side, e.event, e.index) for e in self.extra.get("automatic_events", self.events)}
        rows = [
            e.as_dict() | {"placed_by_hand": (e.side, e.event, e.index) not in auto}
            for e in self.events
        ]
        return pd.DataFrame(rows, columns=cols)

    def pass_parameters(self) -> pd.DataFrame:
        """Per pass: direction, walking (forward, backward: left out, or unclear),
        strides kept, cadence, stride and step time, stance."""
        from dashboard.kinematics.gait.parameters import stats

        rows = []
        for p in self.passes:
            cs = [c for c in self.cycles if c.kept and c.pass_index == p.index]
            ss = [s for s in self.steps if s.kept and s.pass_index == p.index]
            rows.append(
                dict(
                    pass_=p.index + 1,
                    direction=p.direction_name,
                    walking=p.walking,
                    start_s=p.start_s,
                    end_s=p.end_s,
                    strides=len(cs),
                    steps=len(ss),
                    cadence_steps_per_min=stats(120 / c.stride_s for c in cs)["mean"],
                    stride_time_s=stats(c.stride_s for c in cs)["mean"],
                    step_time_s=stats(s.step_s for s in ss)["mean"],
                    stance_pct=stats(c.stance_pct for c in cs)["mean"],
                )
            )
        return pd.DataFrame(rows).rename(columns={"pass_": "pass"})
