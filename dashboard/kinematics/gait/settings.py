"""Gait analysis settings: everything that changes the gait result of a sequence."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["DIRECTIONS", "EVENT_KINDS", "GAIT_SCHEMA", "SIDES", "GaitSettings"]

GAIT_SCHEMA = "posedash.gait/1"
SIDES = ("left", "right")
EVENT_KINDS = ("initial_contact", "toe_off", "foot_off")
DIRECTIONS = ("left_to_right", "right_to_left")


@dataclass(frozen=True)
class GaitSettings:
    """Parameters of :func:`dashboard.kinematics.gait.analyze_gait`.

    height_m
        The patient's standing height in metres (0.5 to 2.5). With it, step and
        stride lengths and walking speed are given in metres; without it, in
        body heights.
    floor_marks
        A metric scale from the floor instead of the height: ``(ax, ay, bx, by,
        distance_m)``, two marks clicked on a frame (picture pixels) and the distance
        between them in metres (:mod:`.scale`; checked there: the same point twice or a
        distance of 0 is refused). With it, lengths and speed are in metres from the
        marks, even when a height is given.
    angle_space
        Space of the hip, knee and ankle flexion curves: ``'image'`` (a true
        sagittal angle in a side view; the default) or ``'world'``.
    min_pass_s
        Shortest walking pass kept, in seconds.
    min_speed_body_heights_s
        The pelvis must move along the picture at least this fast (body
        heights per second; 0.15 is 0.25 m/s for a 1.70 m person) for a frame
        to count as walking.
    min_stride_s, max_stride_s
        Strides outside this range are dropped as implausible.
    max_stride_deviation
        Strides differing from the median stride of their pass by more than
        this fraction are dropped (a missed or an extra event).
    min_stance_pct, max_stance_pct
        Strides whose stance phase lies outside this range are dropped.
    min_event_confidence
        Strides bounded by, or containing, an event less confident than this
        are dropped.
    steady_speed_share
        A contact is steady (enters the steady-state parameters) when it falls in
        its pass's steady stretch: walking at least this share of the pass's
        median speed, the whole body in the picture. Contacts before it are
        acceleration contacts, after it deceleration contacts (shown, not averaged).
    repair_leg_swaps
        Apply the left/right swap repair (the detection stage's one,
        :mod:`dashboard.detect.swaps`) to the legs before finding events
        (:func:`~dashboard.kinematics.gait.labels.leg_labels`): it changes nothing
        on landmarks that stage repaired and repairs landmarks made with it off.
        False: the leg labels as given.
    """

    height_m: float | None = None
    angle_space: str = "image"
    floor_marks: tuple[float, float, float, float, float] | None = None
    min_pass_s: float = 1.0
    min_speed_body_heights_s: float = 0.15
    min_stride_s: float = 0.5
    max_stride_s: float = 3.0
    max_stride_deviation: float = 0.2
    min_stance_pct: float = 40.0
    max_stance_pct: float = 85.0
    min_event_confidence: float = 0.3
    repair_leg_swaps: bool = True
    steady_speed_share: float = 0.75

    def __post_init__(self) -> None:
        if self.height_m is not None:
            h = float(self.height_m)
            if not 0.5 <= h <= 2.5:
                raise ValueError(f"the height must be between 0.5 and 2.5 m, got {self.height_m}")
        if self.floor_marks is not None:
            self._check_floor_marks(self.floor_marks)
        if self.angle_space not in ("image", "world"):
            raise ValueError(f"angle_space must be 'image' or 'world', got {self.angle_space!r}")
        if not 0 < self.min_stride_s < self.max_stride_s:
            raise ValueError("min_stride_s must be above 0 and below max_stride_s")
        if not 0 <= self.min_stance_pct < self.max_stance_pct <= 100:
            raise ValueError("stance limits must satisfy 0 <= min < max <= 100")
        if not 0 <= self.min_event_confidence <= 1:
            raise ValueError("min_event_confidence must be between 0 and 1")
        if self.min_pass_s <= 0 or self.min_speed_body_heights_s <= 0:
            raise ValueError("min_pass_s and min_speed_body_heights_s must be above 0")
        if not 0 < self.steady_speed_share <= 1:
            raise ValueError("steady_speed_share must be above 0 and at most 1")
        if self.max_stride_deviation <= 0:
            raise ValueError("max_stride_deviation must be above 0")

    def _check_floor_marks(self, given: tuple[float, float, float, float, float]) -> None:
        from dashboard.errors import InputError
        from dashboard.kinematics.gait.scale import floor_marks

        try:
            ax, ay, bx, by, d = given
            marks = floor_marks((ax, ay), (bx, by), d)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"floor_marks must be (ax, ay, bx, by, distance_m): {exc}") from None
        except InputError as exc:
            raise ValueError(str(exc)) from None
        object.__setattr__(self, "floor_marks", marks.as_tuple())

    @property
    def metric(self) -> bool:
        """Lengths in metres: a height or floor marks."""
        return bool(self.height_m) or self.floor_marks is not None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["floor_marks"] = list(self.floor_marks) if self.floor_marks else None
        return d

    @classmethod
    def from_dict(cls, raw: dict | None) -> GaitSettings:
        """Settings from a saved dict; unknown keys are ignored, missing ones default."""
        if not isinstance(raw, dict):
            return cls()
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        if isinstance(known.get("floor_marks"), list):
            known["floor_marks"] = tuple(known["floor_marks"])
        try:
            return cls(**known)
        except (TypeError, ValueError):
            return cls()
