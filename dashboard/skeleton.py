"""BlazePose skeleton topology: the one place the 33 landmarks are defined.

Landmark order is MediaPipe's (BlazePose GHUM 3D, 33 points). "Left" and "right"
are always the *person's* left and right, not the viewer's: in a photo taken from
the front, the person's left side appears on the right of the image.
"""

from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
NUM_LANDMARKS = len(LANDMARK_NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

#: Bones drawn between landmarks (the same pairs MediaPipe draws).
CONNECTIONS: tuple[tuple[int, int], ...] = (
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 7),
    (0, 4),
    (4, 5),
    (5, 6),
    (6, 8),
    (9, 10),
    (11, 12),
    (11, 13),
    (13, 15),
    (15, 17),
    (15, 19),
    (15, 21),
    (17, 19),
    (12, 14),
    (14, 16),
    (16, 18),
    (16, 20),
    (16, 22),
    (18, 20),
    (11, 23),
    (12, 24),
    (23, 24),
    (23, 25),
    (24, 26),
    (25, 27),
    (26, 28),
    (27, 29),
    (28, 30),
    (29, 31),
    (30, 32),
    (27, 31),
    (28, 32),
)

LEFT: tuple[int, ...] = tuple(i for i, n in enumerate(LANDMARK_NAMES) if "left" in n)
RIGHT: tuple[int, ...] = tuple(i for i, n in enumerate(LANDMARK_NAMES) if "right" in n)
CENTRE: tuple[int, ...] = tuple(i for i in range(NUM_LANDMARKS) if i not in LEFT and i not in RIGHT)
#: Landmarks of the face (nose, eyes, ears, mouth), used to blur faces.
FACE: tuple[int, ...] = tuple(range(0, 11))

#: The mirror partner of every landmark (itself for the nose).
MIRROR: tuple[int, ...] = tuple(
    INDEX[n.replace("left", "§").replace("right", "left").replace("§", "right")]
    for n in LANDMARK_NAMES
)

# Colours (RGB), from the Okabe-Ito palette, which colour-blind viewers can tell apart.
# The overlay, the charts and the 3D view all use these.
LEFT_COLOUR = (230, 159, 0)  # orange
RIGHT_COLOUR = (86, 180, 233)  # sky blue
CENTRE_COLOUR = (240, 240, 240)  # near white


def side_of(index: int) -> str:
    """'left', 'right' or 'centre' for a landmark index."""
    if index in LEFT:
        return "left"
    if index in RIGHT:
        return "right"
    return "centre"


def connection_side(a: int, b: int) -> str:
    """The side a bone belongs to: a bone joining the two sides is 'centre'."""
    sa, sb = side_of(a), side_of(b)
    return sa if sa == sb else "centre"


def colour_of(side: str) -> tuple[int, int, int]:
    return {"left": LEFT_COLOUR, "right": RIGHT_COLOUR}.get(side, CENTRE_COLOUR)


def hex_colour(side: str) -> str:
    r, g, b = colour_of(side)
    return f"#{r:02x}{g:02x}{b:02x}"
