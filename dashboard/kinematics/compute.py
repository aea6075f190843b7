"""Angles of a whole sequence: :func:`compute_angles` and the :class:`AngleSet` it returns.

For each catalogue angle (:mod:`dashboard.kinematics.catalogue`) and each frame
and person, the angle's measuring function gives a value; it is kept only where
it can be trusted:

Confidence
    The lowest visibility of the landmarks the angle uses in this space; below
    ``min_confidence`` the value is NaN, a gap, never an invented number.
In-plane fraction
    World space: the share of each vector's length left in the angle's plane
    (the 3-D knee and elbow angles and the ankle angle need no plane). Image
    space: a segment's length against its 95th-percentile length over the
    person's confident frames (at least 5 such frames; so not for a single
    photo), for every angle, since every image-space angle is a projection
    onto the picture. Below ``min_in_plane_fraction`` (default 0.5, more than
    60 deg out of the plane) the value is NaN: the in-plane angle of a segment
    pointing mostly out of the plane is undefined, dominated by noise, and free
    to wrap past +-180 deg. Below ``foreshortening_ratio`` (0.7, about 45 deg)
    it is kept but flagged (``AngleSet.foreshortened``).
Camera view
    Image space only: an angle whose catalogue ``view`` is ``'side'`` is NaN in
    every frame where its body segment's left-right line (``AngleDef.body_segment``,
    :func:`~dashboard.kinematics.views.camera_yaw_deg` of the world landmarks)
    is more than ``view_tolerance_deg`` from pointing at the camera; a
    ``'front'`` angle where it is more than that from lying in the picture (90
    turns the check off). A frame whose view is unknown (no world landmarks)
    gives NaN too. In the wrong view the picture shows the other plane's
    movement and the sign of the angle is read from cues seen edge-on.
    ``'any'`` angles (elbow flexion) and world space are not checked.
    ``AngleSet.off_view`` records where this applied.
Posture
    Both spaces: an angle that means nothing in the posture (the knee
    frontal-plane projection angle with the knee bent more than 60 deg, by its
    3-D flexion: :data:`dashboard.kinematics.plausibility.POSTURE_RULES`) is kept
    but flagged in ``AngleSet.not_meaningful`` and left out of ranges of motion.
Filter
    Gap filling and low-pass give ``value_deg``; they never run or bridge
    across a step of more than :data:`MAX_STEP_DEG` between two valid
    samples, so a value crossing the end of its ``value_range`` is never
    smeared across 360 deg.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from dashboard.kinematics.catalogue import CATALOGUE, MIN_IN_PLANE_FRACTION, AngleDef, angle_def
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.geometry import Projector, wrap_into
from dashboard.kinematics.plausibility import POSTURE_RULES, posture_mask
from dashboard.kinematics.reps import robust_range
from dashboard.kinematics.validity import dominant_near_side
from dashboard.kinematics.views import (
    VIEW_TOLERANCE_DEG,
    camera_yaw_deg,
    dominant_view,
    view_matches,
)
from dashboard.skeleton import INDEX

__all__ = ["MAX_STEP_DEG", "AngleSet", "compute_angles", "iter_series"]


@dataclass(frozen=True)
class AngleSet:
    """Every catalogue angle of a :class:`~dashboard.poses.PoseSequence` in one space.

    Arrays are (F, P, A) with ``A = len(defs)``, in the order of ``defs``.

    raw_deg
        Angle as measured, within its ``AngleDef.value_range``; NaN where the
        confidence is below ``min_confidence``, a landmark is missing, or a
        segment lies too far out of the angle's plane for the angle to be
        defined (``min_in_plane_fraction``).
    value_deg
        ``raw_deg`` after ``filter`` (gap filling, then low-pass). Equal to
        ``raw_deg`` when the filter method is ``'none'`` and no gap is filled,
        and for a photo or frames whose ``time_s`` is not strictly increasing.
    confidence
        Lowest visibility (0..1) of the landmarks the angle uses in this space
        (``AngleDef.landmarks_for(space)``); NaN where nobody was detected.
    foreshortened
        True where the value is suspect because a segment is seen
        foreshortened (image space) or lies mostly out of the angle's plane
        (world space); see :func:`compute_angles`. Values whose segment is
        even further out of the plane (``min_in_plane_fraction``) are not
        flagged but NaN: the angle is undefined there.
    off_view
        Image space: True where the person was found but the frame was not
        filmed from the angle's ``view`` (:func:`~dashboard.kinematics.views.view_matches` with
        ``view_tolerance_deg``), so the value is NaN, a gap, whatever its
        confidence. Always False in world space and for ``'any'`` angles.
        ``None`` when constructing means all False.
    not_meaningful
        True where the value is defined but not meaningful in the posture
        (:data:`~dashboard.kinematics.plausibility.POSTURE_RULES`: the knee FPPA with
        the knee bent more than 60 deg in 3-D). Kept, and left out of ranges of
        motion like implausible values. ``None`` when constructing means all False.
    """

    defs: tuple[AngleDef, ...]
    space: str
    raw_deg: np.ndarray
    value_deg: np.ndarray
    confidence: np.ndarray
    foreshortened: np.ndarray
    time_s: np.ndarray
    frame_index: np.ndarray
    person_ids: np.ndarray
    min_confidence: float = 0.5
    foreshortening_ratio: float = 0.7
    filter: FilterSettings = field(default_factory=FilterSettings)
    min_in_plane_fraction: float = MIN_IN_PLANE_FRACTION
    off_view: np.ndarray | None = None
    view_tolerance_deg: float = VIEW_TOLERANCE_DEG
    not_meaningful: np.ndarray | None = None
    #: Per person slot: the dominant camera view (``'side'``, ``'front'``,
    #: ``'oblique'``, '' unknown; :func:`~dashboard.kinematics.views.dominant_view`
    #: of the hip line) and the side nearer the camera ('' unknown;
    #: :func:`~dashboard.kinematics.validity.dominant_near_side`). They decide the
    #: verdicts of :mod:`dashboard.kinematics.validity`. Empty: unknown.
    views: tuple[str, ...] = ()
    near_sides: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("off_view", "not_meaningful"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(np.shape(self.raw_deg), bool))
        for name in (
            "raw_deg",
            "value_deg",
            "confidence",
            "foreshortened",
            "time_s",
            "frame_index",
            "person_ids",
            "off_view",
            "not_meaningful",
        ):
            getattr(self, name).setflags(write=False)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.defs)

    def index(self, key: str, side: str = "") -> int:
        for i, d in enumerate(self.defs):
            if d.key == key and d.side == side:
                return i
        raise KeyError(f"no angle {key!r} with side {side!r} in this set")

    def series(
        self, key: str, side: str = "", person: int = 0, filtered: bool = True
    ) -> np.ndarray:
        """(F,) values of one angle for one person slot."""
        arr = self.value_deg if filtered else self.raw_deg
        return arr[:, person, self.index(key, side)]

    def movement(self, key: str, side: str = "", person: int = 0) -> float:
        """Robust range (5th to 95th percentile, :func:`~dashboard.kinematics.reps.robust_range`)
        of one series' values not flagged as foreshortened or out of plane: a limb
        pointing at the camera can make a planar angle jump about."""
        i = self.index(key, side)
        x = np.where(self.foreshortened[:, person, i], np.nan, self.value_deg[:, person, i])
        return robust_range(x)

    def view_of(self, person: int) -> str:
        """The dominant camera view of person slot ``person`` ('' unknown)."""
        return self.views[person] if 0 <= person < len(self.views) else ""

    def near_side_of(self, person: int) -> str:
        """The side of person slot ``person`` nearer the camera ('' unknown)."""
        return self.near_sides[person] if 0 <= person < len(self.near_sides) else ""

    def with_filter(self, settings: FilterSettings) -> AngleSet:
        """The same raw angles with ``value_deg`` recomputed by ``settings``."""
        return replace(
            self,
            value_deg=_apply_filter(settings, self.raw_deg, self.time_s, self.defs),
            filter=settings,
        )


def compute_angles(
    seq,
    space: str = "image",
    min_confidence: float = 0.5,
    foreshortening_ratio: float = 0.7,
    filter: FilterSettings | None = None,
    defs: Sequence[AngleDef] = CATALOGUE,
    min_in_plane_fraction: float = MIN_IN_PLANE_FRACTION,
    view_tolerance_deg: float = VIEW_TOLERANCE_DEG,
) -> AngleSet:
    """Compute every angle of ``defs`` for every frame and person of ``seq``.

    Parameters
    ----------
    seq
        A :class:`~dashboard.poses.PoseSequence`.
    space
        ``'image'`` (pixel coordinates) or ``'world'`` (metric world landmarks).
    min_confidence
        Values whose confidence (the lowest visibility among the angle's
        landmarks) is below this are NaN: a gap, never an invented number.
    foreshortening_ratio
        A value is flagged where a segment keeps less than this share of its
        length: image space, against the segment's 95th-percentile length over
        the person's confident frames (0.7: about 45 deg out of the picture);
        world space, once projected onto the angle's plane.
    min_in_plane_fraction
        Below this share (default :data:`~dashboard.kinematics.catalogue.MIN_IN_PLANE_FRACTION`)
        the value is NaN, not flagged (see the module docstring).
    view_tolerance_deg
        Image space: side- and front-view angles are measured only in frames
        within this many degrees of their view (default
        :data:`~dashboard.kinematics.views.VIEW_TOLERANCE_DEG`; 90: every frame).
    filter
        Gap filling and low-pass producing ``value_deg`` (default
        :class:`~dashboard.kinematics.filters.FilterSettings()`: zero-phase
        Butterworth, 6 Hz, order 4, gaps up to 0.25 s bridged).

    Values are reported within ``AngleDef.value_range``.
    """
    _check_limits(min_confidence, foreshortening_ratio, min_in_plane_fraction, view_tolerance_deg)
    filter = FilterSettings() if filter is None else filter
    defs = tuple(defs)
    columns = _Columns(
        seq, space, min_confidence, foreshortening_ratio, min_in_plane_fraction, view_tolerance_deg
    )
    shape = (*tuple(np.shape(seq.visibility)[:2]), len(defs))
    raw, conf = np.full(shape, np.nan), np.full(shape, np.nan)
    flag, off_view = np.zeros(shape, bool), np.zeros(shape, bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for i, d in enumerate(defs):
            raw[..., i], conf[..., i], flag[..., i], off_view[..., i] = columns.measure(d)
    value = _apply_filter(filter, raw, seq.time_s, defs)
    posture = posture_mask(
        [d.key for d in defs],
        [d.side for d in defs],
        _posture_gauges(seq, defs, min_confidence, min_in_plane_fraction),
        shape,
    ) & np.isfinite(raw)
    return AngleSet(
        defs=defs,
        space=space,
        raw_deg=raw,
        value_deg=value,
        confidence=conf,
        foreshortened=flag,
        time_s=np.array(seq.time_s, float),
        frame_index=np.array(seq.frame_index),
        person_ids=np.array(seq.person_ids),
        min_confidence=float(min_confidence),
        foreshortening_ratio=float(foreshortening_ratio),
        filter=filter,
        min_in_plane_fraction=float(min_in_plane_fraction),
        off_view=off_view,
        view_tolerance_deg=float(view_tolerance_deg),
        not_meaningful=posture,
        views=_views(seq, view_tolerance_deg),
        near_sides=_near_sides(seq),
    )


def _views(seq, tolerance_deg: float) -> tuple[str, ...]:
    """Each person slot's dominant camera view (hip line; '' unknown)."""
    with np.errstate(invalid="ignore"):
        yaw = camera_yaw_deg(seq.world_m)
    return tuple(dominant_view(yaw[:, p], tolerance_deg).view for p in range(yaw.shape[1]))


def _near_sides(seq) -> tuple[str, ...]:
    world = np.asarray(seq.world_m, float)
    return tuple(dominant_near_side(world, p) for p in range(world.shape[1]))


def _posture_gauges(seq, defs, min_confidence, min_in_plane_fraction):
    """(gauge key, side) -> (F, P) 3-D gauge angle (world landmarks) for the posture
    rules of ``defs``; NaN below ``min_confidence``."""
    wanted = {(POSTURE_RULES[d.key].gauge, d.side) for d in defs if d.key in POSTURE_RULES}
    if not wanted:
        return {}
    pr = Projector(seq, "world")
    vis = np.asarray(seq.visibility, float)
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for key, side in wanted:
            g = angle_def(key, side)
            values, _ = g.measure(pr, side, float(min_in_plane_fraction))
            c = np.min(vis[..., [INDEX[n] for n in g.landmarks_for("world")]], axis=-1)
            out[(key, side)] = np.where(np.isfinite(c) & (c >= min_confidence), values, np.nan)
    return out


def _check_limits(
    min_confidence, foreshortening_ratio, min_in_plane_fraction, view_tolerance_deg
) -> None:
    if not 0.0 <= float(min_confidence) <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, got {min_confidence}")
    if not 0.0 <= float(foreshortening_ratio) <= 1.0:
        raise ValueError("foreshortening_ratio must be between 0 and 1")
    if not 0.0 <= float(min_in_plane_fraction) <= 1.0:
        raise ValueError("min_in_plane_fraction must be between 0 and 1")
    if not 0.0 <= float(view_tolerance_deg) <= 90.0:
        raise ValueError("view_tolerance_deg must be between 0 and 90")


class _Columns:
    """Measures one angle at a time for :func:`compute_angles`, sharing the work
    every angle of a sequence needs (projections, segment lengths, camera yaw)."""

    def __init__(
        self,
        seq,
        space,
        min_confidence,
        foreshortening_ratio,
        min_in_plane_fraction,
        view_tolerance_deg,
    ):
        self.seq, self.space = seq, space
        self.pr = Projector(seq, space)
        self.vis = np.asarray(seq.visibility, float)
        self.min_confidence = min_confidence
        self.foreshortening_ratio = foreshortening_ratio
        self.min_in_plane = min_in_plane_fraction
        self.view_tolerance_deg = view_tolerance_deg
        self.segments: dict[tuple[str, str], np.ndarray] = {}
        self.yaw: dict[str, np.ndarray] = {}

    def measure(self, d: AngleDef):
        """(raw values, confidence, foreshortened, off view), each (F, P), of ``d``."""
        assert d.measure is not None, d.name  # every catalogue entry has its function
        values, frac = d.measure(self.pr, d.side, float(self.min_in_plane))
        c = np.min(self.vis[..., [INDEX[n] for n in d.landmarks_for(self.space)]], axis=-1)
        if self.space == "image":
            frac = self._image_fraction(d)
        ok = np.isfinite(c) & (c >= self.min_confidence) & np.isfinite(values)
        off_view = np.zeros(c.shape, bool)
        if self.space == "image" and d.view != "any":
            in_view = self._in_view(d)  # measured only in frames filmed from its view
            off_view = np.isfinite(c) & ~in_view
            ok &= in_view
        flag = np.zeros(c.shape, bool)
        if frac is not None:
            ok &= ~(frac < self.min_in_plane)  # NaN fraction: not checked
            flag = ok & (frac < self.foreshortening_ratio)
        return np.where(ok, wrap_into(values, d.value_range), np.nan), c, flag, off_view

    def _image_fraction(self, d: AngleDef):
        """In-plane fraction of image segments: length against the robust maximum
        (NaN, i.e. no check, without a reference); None without segments."""
        ratios = []
        for seg in d.segments:
            if seg not in self.segments:
                self.segments[seg] = _length_ratio(self.pr, self.vis, seg, self.min_confidence)
            ratios.append(self.segments[seg])
        return np.fmin.reduce(ratios) if ratios else None

    def _in_view(self, d: AngleDef):
        if d.body_segment not in self.yaw:
            self.yaw[d.body_segment] = camera_yaw_deg(self.seq.world_m, d.body_segment)
        return view_matches(self.yaw[d.body_segment], d.view, self.view_tolerance_deg)


#: A step larger than this between two consecutive valid samples of one series
#: is a discontinuity, never a movement: the filter and gap filling do not
#: cross it (on a circle, a step over 180 deg is as close to the other way round).
MAX_STEP_DEG = 180.0


def _discontinuities(x: np.ndarray) -> np.ndarray:
    """Indices i of a 1-D series where a valid sample differs from the previous
    valid one by more than :data:`MAX_STEP_DEG` (the series restarts at i)."""
    ok = np.flatnonzero(np.isfinite(x))
    if len(ok) < 2:
        return ok[:0]
    steps = np.abs(np.diff(x[ok]))
    return ok[1:][steps > MAX_STEP_DEG]


def _apply_filter(settings: FilterSettings, raw, time_s, defs=None) -> np.ndarray:
    """Gap filling and low-pass of ``raw`` (F, P, A).

    A series with a step over :data:`MAX_STEP_DEG` (a value crossing the end
    of its ``value_range``, or a sign flipping in the wrong camera view) is
    filtered piece by piece, so the filter never smears it across 360 deg and
    values stay within the range.
    """
    t = np.asarray(time_s, float)
    raw = np.array(raw, float)
    if not (len(t) > 1 and np.all(np.diff(t) > 0)):
        return raw  # a photo, or frames without usable timestamps
    out = settings.apply(raw, t)
    cols_in = raw.reshape(raw.shape[0], -1)
    cols_out = out.reshape(out.shape[0], -1)
    for c in range(cols_in.shape[1]):
        cuts = _discontinuities(cols_in[:, c])
        if not len(cuts):
            continue
        bounds = [0, *cuts.tolist(), len(t)]
        for a, b in itertools.pairwise(bounds):
            cols_out[a:b, c] = (
                settings.apply(cols_in[a:b, c], t[a:b]) if b - a > 1 else cols_in[a:b, c]
            )
    out = cols_out.reshape(out.shape)
    if defs is not None:
        for i, d in enumerate(defs):
            out[..., i] = wrap_into(out[..., i], d.value_range)
    return out


_MIN_REFERENCE_FRAMES = 5


def _length_ratio(pr: Projector, vis, seg, min_confidence) -> np.ndarray:
    """(F, P) image length of a segment over its robust maximum (95th percentile of
    the person's confident frames); NaN where unknown or without a reference."""
    length = np.linalg.norm(pr.vec(*seg), axis=-1)
    c = np.minimum(vis[..., INDEX[seg[0]]], vis[..., INDEX[seg[1]]])
    good = np.isfinite(length) & np.isfinite(c) & (c >= min_confidence)
    out = np.full(length.shape, np.nan)
    for person in range(length.shape[1]):
        ok = good[:, person]
        if ok.sum() < _MIN_REFERENCE_FRAMES:
            continue
        ref = np.percentile(length[ok, person], 95)
        if ref > 0:
            out[ok, person] = length[ok, person] / ref
    return out


def iter_series(angle_set: AngleSet) -> Iterable[tuple[int, int, AngleDef]]:
    """(person slot, angle column, def) for every series of a set."""
    for person in range(angle_set.raw_deg.shape[1]):
        for i, d in enumerate(angle_set.defs):
            yield person, i, d
