"""A normal range of motion in words, for the report, the Joint angles page and the Gait
page: the published norm (:mod:`dashboard.references.norms`) named by the angle's own
direction words (its sign convention in :mod:`dashboard.kinematics`). Pure."""

from __future__ import annotations

import re

from dashboard.kinematics import angle_def
from dashboard.references.norms import norm_for, norms_for, sex_code

__all__ = ["rom_norm_words"]


def _direction_words(angle_key: str) -> tuple[str, str]:
    """('flexion', 'extension') of an angle: the words of its positive and negative
    directions, read from its sign convention (``'max'``/``'min'`` if none)."""
    try:
        text = angle_def(angle_key, None).positive
    except KeyError:
        return "max", "min"
    words = re.sub(r"\([^)]*\)", "", text)
    pos = re.match(r"\s*([a-z -]+?)\s+positive", words)
    neg = re.search(r"[,;]\s*([a-z -]+?)\s+negative", words)
    return (pos.group(1).strip() if pos else "max"), (neg.group(1).strip() if neg else "min")


def rom_norm_words(angle_key: str, age: int | None = None, sex: str | None = None) -> str:
    """The normal end of range of ``rom.<angle_key>`` for a patient of ``age`` and
    ``sex`` in a few words (``'flexion 142° (women 20–44; Soucie et al. 2011)'``;
    the end of the negative direction as its own word, ``'extension 17°'``), or why
    none is shown: ``'needs age and sex'`` when norms exist for groups and these
    are not known, ``'none shipped for this age and sex'`` when they are, ``''`` when
    none is shipped. One text for the report, the Joint angles page and the Gait page."""
    sex = sex_code(sex)
    measure = f"rom.{angle_key}"
    pos, neg = _direction_words(angle_key)
    parts = []
    for end, word in (("max", pos), ("min", neg)):
        n = norm_for(measure, age, sex, end)
        if n is None:
            continue
        unverified = ", not verified" if not n.verified else ""
        if n.mean is None:  # a normal range (25th-75th percentile) rather than a mean
            shown = f"{n.p25:.0f}–{n.p75:.0f}° (25th–75th percentile)"
        else:
            shown = f"{n.mean if end == 'max' or word == 'min' else abs(n.mean):.0f}°"
        parts.append(f"{word} {shown} ({n.group}; {n.source}{unverified})")
    if parts:
        return "; ".join(parts)
    if not norms_for(measure):
        return ""
    return "none shipped for this age and sex" if age and sex else "needs age and sex"
