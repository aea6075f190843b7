"""What a progress chart opens on, how its value menu is grouped and searched, and
which of a patient's sessions compare with each other. Pure: no UI, no file.

Works on the metrics documents of :func:`dashboard.library.metrics.session_metrics`.

Notes
-----
- **Opening value** (:func:`default_metric`): a functional test kept with the
  sessions (its value valid in the most sessions), else the measure that matters for the
  movement the sessions show (:mod:`dashboard.kinematics.movements`): walking,
  its speed (metres per second when a height was given, else body heights per
  second) or cadence; a squat, sit-to-stand or lunge, knee flexion; a lateral
  raise, shoulder abduction; a forward raise, shoulder flexion; then that
  movement's other measures. Among a measure's keys (sides, spaces), the one
  **valid** in the most sessions. Never a value that is only caution or withheld:
  when no value of the movement is valid in any session, the range of motion
  valid in the most sessions; when none at all, None (the page asks the clinician
  to choose).
- **Comparable sessions** (:func:`comparability_reasons`): the check Compare uses
  (:func:`dashboard.kinematics.comparability.session_reasons`: kind, walking,
  main movement, camera view, frame rate), from the traits stored with each
  session's values.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np

from dashboard.kinematics.movements import MOVEMENTS, movement_keys
from dashboard.kinematics.validity import CAUTION, VALID, WITHHELD

__all__ = [
    "CADENCE",
    "GROUPS",
    "comparability_reasons",
    "default_metric",
    "group_of",
    "level_of",
    "matches",
    "mdc_measure",
    "movement_of",
]

CADENCE = "gait:cadence_steps_per_min"
#: What a walking patient's chart opens on, in order of preference.
WALKING_KEYS = ("gait:speed_m_s", "gait:speed_body_heights_s", CADENCE)
#: Groups of the value menu, in order: (key prefix, name).
GROUPS = (
    ("test", "Functional tests"),
    ("rom.range", "Range of motion"),
    ("gait", "Walking"),
    ("symmetry", "Symmetry"),
    ("reps.count", "Repetitions"),
    ("rom.max", "Maximum angle"),
    ("rom.min", "Minimum angle"),
    ("angle.value", "Angle in a photo"),
)
#: Plain words that find a value besides its label (searched as word prefixes).
_SYNONYMS = {
    "knee_valgus": "valgus varus fppa knee alignment",
    "knee_flexion": "knee bend bending",
    "hip_flexion": "hip bend",
    "ankle_dorsiflexion": "ankle plantarflexion",
    "shoulder_abduction": "arm raise lateral raise sideways",
    "shoulder_flexion": "arm raise forward raise",
    "speed": "velocity gait speed walking speed",
    "cadence": "steps per minute",
    "stride_time_cv_pct": "variability",
    "test.sts5": "5xsts sit to stand sts chair rise",
    "test.chair30": "30s chair stand sit to stand",
    "test.tug": "tug timed up and go",
    "test.walk10": "10mwt ten metre meter walk velocity",
    "test.backward3": "backwards walking",
    "test.sls": "balance one leg single leg stance",
}


def group_of(key: str) -> str:
    """The menu group of a metric key (its name, e.g. ``'Range of motion'``)."""
    kind = str(key).split(":", 1)[0]
    if kind.startswith("test."):
        kind = "test"
    return next((name for prefix, name in GROUPS if kind == prefix), "Other")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in text)


def matches(query: str, key: str, label: str) -> bool:
    """Whether every word of ``query`` starts a word of the value's label, key,
    group or plain-word synonyms ("knee flexion" finds "Knee flexion (left),
    range of motion, 3D"; "valgus" the knee frontal-plane projection angle)."""
    words = _fold(query).split()
    if not words:
        return True
    extra = " ".join(v for k, v in _SYNONYMS.items() if k in key)
    hay = _fold(f"{label} {key} {group_of(key)} {extra}").split()
    return all(any(h.startswith(w) for h in hay) for w in words)


def movement_of(docs: Sequence[dict]) -> str:
    """The movement most of the sessions show (the latest session breaks a tie)."""
    seen = [str(d.get("movement") or "other") for d in docs if isinstance(d, dict)]
    if not seen:
        return "other"
    counts = Counter(seen)
    top = max(counts.values())
    return next(m for m in reversed(seen) if counts[m] == top)


def _by_key(docs: Sequence[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for d in docs:
        for m in d.get("values", []) if isinstance(d, dict) else ():
            out.setdefault(str(m.get("key", "")), []).append(m)
    return out


def _is_valid(m: dict) -> bool:
    value = m.get("value")
    return (
        str(m.get("validity") or "") == VALID
        and isinstance(value, (int, float))
        and np.isfinite(value)
    )


def _best(keys: Sequence[str], values: dict[str, list[dict]]) -> str | None:
    """Of ``keys``, the one valid in the most sessions (then the larger median; ties
    keep the first in alphabetical order); None when none is valid anywhere."""
    scored = []
    for key in sorted(keys):
        good = [float(m["value"]) for m in values.get(key, []) if _is_valid(m)]
        if good:
            scored.append((len(good), float(np.median(np.abs(good))), key))
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0], s[1]))[2]


def default_metric(docs: Sequence[dict]) -> str | None:
    """The value a patient's progress chart opens on (see the module notes)."""
    docs = [d for d in docs if isinstance(d, dict)]
    values = _by_key(docs)
    # a functional test kept with the sessions is what the clinician chose to follow
    found = _best([k for k in values if k.startswith("test.")], values)
    if found:
        return found
    movement = movement_of(docs)
    if movement == "walking":
        for key in WALKING_KEYS:
            if _best([key], values):
                return key
    for angle in movement_keys(movement) if movement in MOVEMENTS else ():
        keys = [k for k in values if k.startswith(f"rom.range:{angle}:")]
        found = _best(keys, values)
        if found:
            return found
    if movement != "walking":
        found = _best([k for k in values if k.startswith("rom.range:")], values)
        if found:
            return found
    return _best([k for k in values if k.startswith("gait:")], values)


def level_of(m: dict | None) -> str:
    """A stored value's verdict (``withheld`` when it has no number)."""
    if m is None:
        return WITHHELD
    value = m.get("value")
    if not isinstance(value, (int, float)) or not np.isfinite(value):
        return WITHHELD
    level = str(m.get("validity") or VALID)
    return level if level in (VALID, CAUTION, WITHHELD) else CAUTION


def comparability_reasons(before, after) -> tuple[str, ...]:
    """Why two sessions (their :class:`~dashboard.kinematics.comparability.SessionTraits`,
    or None when unknown) may not compare: Compare's own check."""
    from dashboard.kinematics.comparability import session_reasons

    if before is None or after is None:
        return ()
    return session_reasons(before, after)


def mdc_measure(key: str) -> str | None:
    """The reference measure of a metric key for a minimal detectable change
    (``rom.range:knee_valgus:right:image`` -> ``rom.knee_valgus``;
    ``gait:speed_m_s`` -> ``gait.speed_m_s``; ``test.tug:total_s`` -> ``tug.total_s``), or
    None."""
    kind, _, rest = str(key).partition(":")
    if kind.startswith("test."):
        from dashboard.functional.progress import measure_of

        return measure_of(key)
    if kind == "rom.range":
        return f"rom.{rest.split(':', 1)[0]}"
    if kind == "gait" and "." not in rest:
        return f"gait.{rest}"
    return None
