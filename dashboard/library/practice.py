"""The practice details a report prints, set once and kept in the patient library:
the clinician's name, the clinic, and per movement the measures the report's
first page shows.

Stored as one encrypted item in the library's ``meta`` table (key
``practice``; bound by its associated data to that purpose), so no schema change
is needed and an older PoseDash simply ignores it. Pure library code: no UI.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from dashboard.library import store
from dashboard.library.errors import BadValue

__all__ = ["MAX_FIELD", "Practice", "clean_field", "read_practice", "save_practice"]

META_KEY = "practice"
MAX_FIELD = 120
MAX_MEASURES = 12


@dataclass(frozen=True)
class Practice:
    """Clinician, clinic and ``measures`` (movement key -> angle keys)."""

    clinician: str = ""
    clinic: str = ""
    measures: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "clinician": self.clinician,
            "clinic": self.clinic,
            "measures": {k: list(v) for k, v in self.measures.items()},
        }


def clean_field(text: str, what: str) -> str:
    """A clinician or clinic name: trimmed, at most :data:`MAX_FIELD` characters,
    no line breaks or control characters (refused with a message)."""
    text = unicodedata.normalize("NFC", str(text or "")).strip()
    if len(text) > MAX_FIELD:
        raise BadValue(f"The {what} can be at most {MAX_FIELD} characters long.")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text):
        raise BadValue(
            f"The {what} cannot contain tabs, line breaks, invisible or control characters."
        )
    return text


def _clean_measures(measures) -> dict:
    from dashboard.kinematics import ANGLE_KEYS
    from dashboard.kinematics.movements import MOVEMENTS

    out = {}
    for movement, keys in dict(measures or {}).items():
        if movement not in MOVEMENTS:
            continue  # a movement this PoseDash does not know: dropped, not an error
        keys = [k for k in dict.fromkeys(keys or ()) if k in ANGLE_KEYS][:MAX_MEASURES]
        if keys:
            out[movement] = tuple(keys)
    return out


def _aad_parts() -> tuple[str, str]:
    return ("meta", META_KEY)


def read_practice(lib) -> Practice:
    """The practice details kept in the unlocked library ``lib`` (empty when none)."""
    key = lib._key()
    with lib._db() as conn:
        rows = store.read(conn, lib.path, "SELECT value FROM meta WHERE key = ?", (META_KEY,))
    if not rows:
        return Practice()
    value = lib.open_json(key, bytes(rows[0][0]), *_aad_parts()) or {}
    try:
        return Practice(
            clean_field(value.get("clinician", ""), "clinician's name"),
            clean_field(value.get("clinic", ""), "clinic"),
            _clean_measures(value.get("measures")),
        )
    except BadValue:
        return Practice()  # a damaged item: the details are typed again, nothing else lost


def save_practice(lib, clinician: str = "", clinic: str = "", measures=None) -> Practice:
    """Keep the practice details in the unlocked library ``lib``; returns them as kept."""
    practice = Practice(
        clean_field(clinician, "clinician's name"),
        clean_field(clinic, "clinic"),
        _clean_measures(measures),
    )
    key = lib._key()
    blob = lib.seal_json(key, practice.as_dict(), *_aad_parts())
    with lib._db() as conn, store.write(conn, lib.path):
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (META_KEY, blob),
        )
    return practice
