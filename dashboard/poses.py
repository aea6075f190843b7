"""The typed result of a pose analysis: one frozen dataclass of numpy arrays.

Every array is indexed ``[frame, person, landmark, ...]``. A photo is one frame.
A person slot with no detection in a frame holds NaN; frames are never dropped,
so ``frame_index`` and ``time_s`` always describe every analysed frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.skeleton import LANDMARK_NAMES, NUM_LANDMARKS

#: The arrays of a :class:`PoseSequence` (every field but ``image_size``).
ARRAY_FIELDS = (
    "image_xy",
    "z",
    "visibility",
    "presence",
    "world_m",
    "time_s",
    "frame_index",
    "person_ids",
    "swapped",
)


def _check_shape(name: str, array: np.ndarray, expected: tuple[int | None, ...]) -> None:
    """Raise ValueError naming the expected and the actual shape."""
    ok = array.ndim == len(expected) and all(
        e is None or e == a for e, a in zip(expected, array.shape, strict=False)
    )
    if not ok:
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        raise ValueError(f"{name} must have shape {want}, got {tuple(array.shape)}")


@dataclass(frozen=True, init=False)
class PoseSequence:
    """Landmarks of ``F`` frames x ``P`` person slots x 33 landmarks.

    Attributes
    ----------
    image_xy
        (F, P, 33, 2) pixel coordinates, x to the right, y down, in the frame as
        displayed (after EXIF or container rotation).
    z
        (F, P, 33) MediaPipe's relative depth: same scale as x in normalised
        units, origin at the hip midpoint, smaller is nearer the camera. Rough.
    visibility
        (F, P, 33) model's probability that the landmark is visible (not occluded).
    presence
        (F, P, 33) model's probability that the landmark is inside the frame.
    world_m
        (F, P, 33, 3) metric coordinates in metres, origin at the hip midpoint,
        axes aligned with the camera's: x to the camera's right (as image x),
        y down, z away from the camera.
    time_s
        (F,) presentation time of each frame in seconds (0 for a photo).
    frame_index
        (F,) index of each frame in the decoded source (0 for a photo).
    image_size
        (width, height) in pixels of the frames as analysed.
    person_ids
        (P,) identity of each person slot (default 0, 1, ...).
    swapped
        (F, P, 2) bool: True where the left/right labels of the legs (``[..., 0]``)
        or arms (``[..., 1]``) were exchanged by the swap repair
        (:mod:`dashboard.detect.swaps`); default all False.
    """

    image_xy: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    world_m: np.ndarray
    time_s: np.ndarray
    frame_index: np.ndarray
    image_size: tuple[int, int]
    person_ids: np.ndarray
    swapped: np.ndarray

    def __init__(
        self,
        image_xy: np.ndarray,
        z: np.ndarray,
        visibility: np.ndarray,
        presence: np.ndarray,
        world_m: np.ndarray,
        time_s: np.ndarray,
        frame_index: np.ndarray,
        image_size: tuple[int, int],
        person_ids: np.ndarray | None = None,
        swapped: np.ndarray | None = None,
    ) -> None:
        """``person_ids`` and ``swapped`` may be left out (None): their defaults
        depend on the shape, so they are filled in here and are always arrays after."""
        values = {
            "image_xy": image_xy,
            "z": z,
            "visibility": visibility,
            "presence": presence,
            "world_m": world_m,
            "time_s": time_s,
            "frame_index": frame_index,
            "image_size": image_size,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self._check_and_fill(person_ids, swapped)

    def _check_and_fill(self, person_ids: np.ndarray | None, swapped: np.ndarray | None) -> None:
        _check_shape("image_xy", self.image_xy, (None, None, NUM_LANDMARKS, 2))
        f, p = self.image_xy.shape[:2]
        _check_shape("z", self.z, (f, p, NUM_LANDMARKS))
        _check_shape("visibility", self.visibility, (f, p, NUM_LANDMARKS))
        _check_shape("presence", self.presence, (f, p, NUM_LANDMARKS))
        _check_shape("world_m", self.world_m, (f, p, NUM_LANDMARKS, 3))
        _check_shape("time_s", self.time_s, (f,))
        _check_shape("frame_index", self.frame_index, (f,))
        if len(self.image_size) != 2 or min(self.image_size) <= 0:
            raise ValueError(f"image_size must be (width, height) > 0, got {self.image_size}")
        if person_ids is None:
            person_ids = np.arange(p)
        object.__setattr__(self, "person_ids", person_ids)
        _check_shape("person_ids", self.person_ids, (p,))
        swapped = None if swapped is None else np.asarray(swapped, bool)
        if swapped is None or (swapped.shape != (f, p, 2) and not swapped.any()):
            # None, or no flag at all carried over by dataclasses.replace() from a
            # sequence of another shape: nothing was repaired.
            swapped = np.zeros((f, p, 2), bool)
        object.__setattr__(self, "swapped", swapped)
        _check_shape("swapped", self.swapped, (f, p, 2))
        for name in ARRAY_FIELDS:
            getattr(self, name).setflags(write=False)

    # -- construction -------------------------------------------------------
    @classmethod
    def empty(
        cls,
        num_frames: int,
        num_people: int,
        image_size: tuple[int, int],
        time_s: np.ndarray | None = None,
        frame_index: np.ndarray | None = None,
    ) -> PoseSequence:
        """A sequence with every landmark NaN (nobody detected anywhere)."""
        nan = np.full
        return cls(
            image_xy=nan((num_frames, num_people, NUM_LANDMARKS, 2), np.nan),
            z=nan((num_frames, num_people, NUM_LANDMARKS), np.nan),
            visibility=nan((num_frames, num_people, NUM_LANDMARKS), np.nan),
            presence=nan((num_frames, num_people, NUM_LANDMARKS), np.nan),
            world_m=nan((num_frames, num_people, NUM_LANDMARKS, 3), np.nan),
            time_s=np.zeros(num_frames) if time_s is None else np.asarray(time_s, float),
            frame_index=(
                np.arange(num_frames) if frame_index is None else np.asarray(frame_index, np.int64)
            ),
            image_size=(int(image_size[0]), int(image_size[1])),
        )

    @classmethod
    def from_frames(
        cls, frames, image_size: tuple[int, int], time_s, frame_index, num_people: int | None = None
    ) -> PoseSequence:
        """Stack per-frame arrays.

        ``frames`` is a sequence of dicts with keys ``image_xy`` (P_f, 33, 2),
        ``z``, ``visibility``, ``presence`` (P_f, 33) and ``world_m`` (P_f, 33, 3),
        where P_f may differ per frame; slots beyond P_f are NaN.
        """
        frames = list(frames)
        p = (
            num_people
            if num_people is not None
            else max([len(fr["image_xy"]) for fr in frames] or [0])
        )
        seq = cls.empty(len(frames), p, image_size, time_s, frame_index)
        arrays = {
            k: np.array(getattr(seq, k))
            for k in ("image_xy", "z", "visibility", "presence", "world_m")
        }
        for i, fr in enumerate(frames):
            n = min(len(fr["image_xy"]), p)
            for k, a in arrays.items():
                if n:
                    a[i, :n] = np.asarray(fr[k])[:n]
        return cls(
            **arrays,
            time_s=seq.time_s.copy(),
            frame_index=seq.frame_index.copy(),
            image_size=seq.image_size,
        )

    # -- derived views ------------------------------------------------------
    @property
    def num_frames(self) -> int:
        return self.image_xy.shape[0]

    @property
    def num_people(self) -> int:
        return self.image_xy.shape[1]

    @property
    def normalized_xy(self) -> np.ndarray:
        """(F, P, 33, 2) coordinates divided by the frame width and height."""
        return self.image_xy / np.asarray(self.image_size, float)

    @property
    def detected(self) -> np.ndarray:
        """(F, P) True where a person was found in that frame and slot."""
        return ~np.isnan(self.image_xy[..., 0]).all(axis=-1)

    @property
    def landmark_names(self) -> tuple[str, ...]:
        return LANDMARK_NAMES

    def frame(self, f: int) -> PoseSequence:
        """A one-frame sequence (same person slots)."""
        return self.select(frames=slice(f, f + 1))

    def select(self, frames=slice(None), people=slice(None)) -> PoseSequence:
        return PoseSequence(
            image_xy=self.image_xy[frames][:, people].copy(),
            z=self.z[frames][:, people].copy(),
            visibility=self.visibility[frames][:, people].copy(),
            presence=self.presence[frames][:, people].copy(),
            world_m=self.world_m[frames][:, people].copy(),
            time_s=self.time_s[frames].copy(),
            frame_index=self.frame_index[frames].copy(),
            image_size=self.image_size,
            person_ids=self.person_ids[people].copy(),
            swapped=self.swapped[frames][:, people].copy(),
        )

    def equals(self, other: PoseSequence) -> bool:
        """True when every array matches (NaN equal to NaN)."""
        if self.image_size != other.image_size:
            return False
        return all(
            np.array_equal(
                getattr(self, k),
                getattr(other, k),
                equal_nan=k not in ("frame_index", "person_ids", "swapped"),
            )
            for k in ARRAY_FIELDS
        )
