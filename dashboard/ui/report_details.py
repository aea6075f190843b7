"""The Report page's clinical details: clinician and clinic (set once, kept in the
patient library when it is unlocked), the reason for the assessment, the movement
and the measures read for it (remembered per movement), and the patient's age and
sex for the normal values. Also the practice-details form of the Patients page."""

from __future__ import annotations

import streamlit as st

from dashboard.kinematics import ANGLE_KEYS, angle_def
from dashboard.kinematics.movements import MOVEMENTS, movement_keys
from dashboard.ui import keys, norms_view
from dashboard.ui.messages import show_error

K = "report_"
CLINICIAN, CLINIC, REASON, MOVEMENT, MEASURES, AGE, SEX = (
    K + "clinician",
    K + "clinic",
    K + "reason",
    K + "movement",
    K + "angles",
    K + "age",
    K + "sex",
)
#: Practice details of this browser session (a dict), when no library is unlocked.
PRACTICE = keys.PRACTICE.name
AUTO = "auto"
SEX_LABELS = {"": "not given", "female": "female", "male": "male"}


def _library():
    """The unlocked patient library, or None."""
    lib = keys.LIBRARY.get()
    try:
        return lib if lib is not None and lib.exists and not lib.locked else None
    except Exception:
        return None


def practice() -> dict:
    """Clinician, clinic and per-movement measures: the library's when it is
    unlocked, else this browser session's."""
    lib = _library()
    if lib is not None:
        from dashboard.library.practice import read_practice

        try:
            return read_practice(lib).as_dict()
        except Exception as exc:  # a damaged item: say so, keep going
            show_error(exc)
    return dict(keys.PRACTICE.get() or {})


def _keep(clinician: str, clinic: str, measures: dict) -> str:
    """Keep the practice details: in the library when unlocked (where they are set
    once for every report), else for this browser session. Returns where."""
    lib = _library()
    if lib is not None:
        from dashboard.library.practice import save_practice

        kept = save_practice(lib, clinician, clinic, measures)
        keys.PRACTICE.set(kept.as_dict())
        return "in the patient library"
    keys.PRACTICE.set({"clinician": clinician, "clinic": clinic, "measures": measures})
    return "for this browser session (unlock the patient library to keep them)"


def practice_form(prefix: str = "practice_") -> None:
    """Clinician and clinic, typed once and kept (the Patients page's settings)."""
    current = practice()
    c1, c2 = st.columns(2)
    name = c1.text_input(
        "Clinician",
        value=current.get("clinician", ""),
        key=prefix + "clinician",
        max_chars=120,
        autocomplete="off",
    )
    clinic = c2.text_input(
        "Clinic",
        value=current.get("clinic", ""),
        key=prefix + "clinic",
        max_chars=120,
        autocomplete="off",
    )
    if st.button("Keep for every report", key=prefix + "save"):
        try:
            where = _keep(name, clinic, current.get("measures") or {})
        except Exception as exc:
            show_error(exc)
            return
        st.success(f"Kept {where}.", icon="✅")


def _sided(key: str) -> bool:
    try:
        angle_def(key, "left")
        return True
    except KeyError:
        return False


def _label(key: str) -> str:
    return angle_def(key, "left" if _sided(key) else "").label


def _movement(guess: str) -> str:
    options = [AUTO, *MOVEMENTS]
    return st.selectbox(
        "Movement",
        options,
        key=MOVEMENT,
        format_func=lambda m: (
            f"Recognised from the recording ({MOVEMENTS[guess].label})"
            if m == AUTO
            else MOVEMENTS[m].label
        ),
        help="Chooses the measures on the report's first page. 'Recognised' is PoseDash's "
        "guess from what moved (a walk, knees and hips together, an arm raise).",
    )


def _measures(movement: str, saved: dict) -> tuple[str, ...]:
    default = tuple(saved.get(movement) or movement_keys(movement))
    state_key = f"{MEASURES}_{movement}"  # one choice per movement
    if not keys.widget(state_key).exists():
        keys.widget(state_key).set([k for k in default if k in ANGLE_KEYS])
    chosen = st.multiselect(
        f"Measures read for {MOVEMENTS[movement].label.lower()}",
        list(ANGLE_KEYS),
        key=state_key,
        format_func=_label,
        help="The angles on the first page and charted in the report. Empty: the angles "
        "that moved most. Kept per movement with the practice details.",
    )
    return tuple(chosen)


def assessment(guess: str) -> dict:
    """The clinical fields of the report (ReportOptions keywords). ``guess``: the
    movement PoseDash recognises in the analysis under review."""
    current = practice()
    c1, c2 = st.columns(2)
    clinician = c1.text_input(
        "Clinician",
        value=current.get("clinician", ""),
        key=CLINICIAN,
        max_chars=120,
        help="Set once: kept in the patient library when it is unlocked.",
        autocomplete="off",
    )
    clinic = c2.text_input(
        "Clinic", value=current.get("clinic", ""), key=CLINIC, max_chars=120, autocomplete="off"
    )
    reason = st.text_area(
        "Reason for the assessment",
        key=REASON,
        max_chars=600,
        height=70,
        help="Printed on the first page as typed (kept in this browser session only).",
    )
    c1, c2, c3 = st.columns([2, 1, 1])
    with c1:
        choice = _movement(guess)
    movement = guess if choice == AUTO else choice
    norms_view.shared(AGE, SEX)  # typed on the Gait or Joint angles page: the same patient
    age = c2.number_input(
        "Age (years)", 0, 120, key=AGE, help="For normal values by age; 0: not given."
    )
    sex = c3.selectbox("Sex", list(SEX_LABELS), key=SEX, format_func=SEX_LABELS.get)
    norms_view.keep(age, sex)
    saved = dict(current.get("measures") or {})
    keys = _measures(movement, saved)
    changed = (
        clinician != current.get("clinician", "")
        or clinic != current.get("clinic", "")
        or (keys and tuple(saved.get(movement) or ()) != keys)
    )
    if changed and st.button(
        "Keep clinician, clinic and measures for every report", key=K + "keep"
    ):
        try:
            saved[movement] = list(keys)
            st.success(f"Kept {_keep(clinician, clinic, saved)}.", icon="✅")
        except Exception as exc:
            show_error(exc)
    return dict(
        clinician=clinician,
        clinic=clinic,
        reason=reason,
        movement=None if choice == AUTO else choice,
        angles=keys or None,
        age_years=int(age) or None,
        sex=sex or None,
    )
