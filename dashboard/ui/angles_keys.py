"""The Joint angles page's widget keys, labels and explanations (shared by its parts).

Every widget key starts with ``angles_``; they are reset when another analysis
comes up (:func:`dashboard.ui.angles.render_page`).
"""

from __future__ import annotations

from dashboard.kinematics.catalogue import angle_def

# Widget keys.
K = "angles_"
FOR = K + "for"  # the analysis the widgets were set up for
SPACE, PERSON, KEYS = K + "space", K + "person", K + "keys"
MIN_CONF, RATIO, MAX_GAP = K + "min_confidence", K + "foreshortening", K + "max_gap"
METHOD, CUTOFF, ORDER = K + "filter", K + "cutoff", K + "order"
EU_MIN, EU_BETA, EU_D = K + "euro_min_cutoff", K + "euro_beta", K + "euro_d_cutoff"
CHART, FRAME_ROW = K + "chart", K + "frame_row"
REP_KEY, REP_SIDE, REP_METHOD, REP_POLARITY = (
    K + "rep_key",
    K + "rep_side",
    K + "rep_method",
    K + "rep_polarity",
)
REP_MANUAL, REP_INTERVAL, REP_MIN_RANGE = K + "rep_manual", K + "rep_interval", K + "rep_min_range"
ALL_ROM = K + "rom_all"

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
FRAME_SIDE = 720  # pixels: frames are decoded no larger than this for display

SPACE_LABELS = {"image": "Image (2D, as seen in the picture)", "world": "World (3D estimate)"}
SPACE_HELP = (
    "**Image**: the angle as it appears in the picture, from the landmarks' pixel "
    "positions. Right when the movement happens square to the camera: knee and hip "
    "flexion filmed from the side, shoulder abduction or knee valgus filmed from the "
    "front. A limb moving towards or away from the camera looks straighter or more "
    "bent than it is.\n\n"
    "**World**: MediaPipe's 3-D estimate of the body, measured in planes built from the "
    "body itself, so it does not depend on where the camera stood. But depth is "
    "guessed from one camera: angles whose movement runs towards the camera can be off "
    "by 10–25°. Use it when the camera could not be placed square to the movement, and "
    "to compare within a session."
)
FILTER_LABELS = {
    "butterworth": "Butterworth low-pass (recommended)",
    "one_euro": "One-Euro (adaptive)",
    "none": "None: raw values (short gaps still bridged)",
}
POLARITY_LABELS = {
    "max": "Peak up: the angle rises during each repetition",
    "min": "Peak down: the angle falls during each repetition",
    "auto": "Guess from the data",
}
METHOD_LABELS = {"hysteresis": "Two thresholds (hysteresis)", "prominence": "Peak prominence"}


def option(key: str) -> str:
    """Menu label of an angle key (both sides)."""
    return angle_def(key, None).label


def clamp(value, low, high):
    return min(max(value, low), high)
