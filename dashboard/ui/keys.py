"""Every session-state key the pages read or write, declared once: its name, what it holds,
the type of its values (None aside) and whether "Clear my data" removes it (patient data
always; :class:`dashboard.ui.state.Key` checks that against the key's family).

Pages use ``keys.X.get()``, ``keys.X.set(value)``, ``keys.X.pop()``, and ``key=keys.X.name``
for a widget; never Streamlit's session state itself (tests/app/test_state_keys.py counts what is
left). Keys made per item (a patient, a widget) are declared as a prefix and made with
``keys.X.of(suffix)``.
"""

from __future__ import annotations

from dashboard.ui import state
from dashboard.ui.state import Key

# --- Model and detection (Advanced): kept across pages, not patient data ---
MODEL_PATH = Key(state.MODEL_PATH, (str,), False, "the model file chosen, or a variant")
MODEL_VARIANT = Key("model_variant", (str,), False, "Fast / Standard / Accurate radio")
MODEL_NOT_BUILT = Key("model_not_built", (str,), False, "a variant chosen but not built yet")
MODEL_UPLOAD = Key("model_upload", (object,), False, "the .task uploader")
MODEL_ERROR = Key("model_error", (str,), False, "why the uploaded model cannot be used")

# --- Sessions page ---
SESSION_OPENED = Key("posedash_session_opened", (str,), True, "digest of the file opened last")
SESSION_SAVE = Key("posedash_session_save", (object,), True, "makes the file Save session gives")
SESSION_INCLUDE_ANGLES = Key("session_include_angles", (bool,), True, "add angles.csv")

# --- Settings of the analysis under review (set when a session is opened) ---
ANGLE_SETTINGS = Key(state.ANGLE_SETTINGS, (object,), True, "KinematicsSettings in use")
GAIT_SETTINGS = Key(state.GAIT_SETTINGS, (object,), True, "GaitSettings in use")

# --- Help page ---
HELP_DOC = Key("posedash_help_doc", (str,), True, "the help document shown")

# --- Clickable frames (dashboard/ui/clickframe.py), per component key ---
CLICKFRAME = Key("posedash_clickframe_", (dict,), True, "the component's own state")
CLICKFRAME_NONCE = Key("posedash_clickframe_nonce_", (int,), True, "bumped to reset it")
CLICKFRAME_GIVEN = Key("posedash_clickframe_given_", (list,), True, "points set by a page")
CLICKFRAME_LAST = Key("posedash_clickframe_last_", (list,), True, "points it returned last")


# --- Joint angles page (dashboard/ui/angles_keys.py names its widgets) ---
ANGLES = Key("angles_", (object,), False, "every Joint angles widget (a prefix)")
ANGLES_FOR = Key("angles_for", (tuple,), False, "the analysis the widgets were set up for")
ANGLES_CHART = Key("angles_chart", (object,), False, "the chart's selection")
ANGLES_FRAME_ROW = Key("angles_frame_row", (int,), False, "the frame shown (row)")

# --- Frame review ---
REVIEW_ROW = Key("posedash_review_row", (int,), True, "the frame shown (row)")
REVIEW_PLAYING = Key("posedash_review_playing", (bool,), True, "playing frame after frame")
RELINKED = Key("posedash_relinked", (str,), True, "the page where the video was linked")

# --- Photo page ---
PHOTO_CURRENT = Key("posedash_photo_current", (tuple,), True, "(digest, decoded picture)")


# --- Report ---
REPORT_MADE = Key("posedash_report_made", (tuple,), True, "(options key, PDF, file name)")
PRACTICE = Key("posedash_practice", (dict,), True, "clinician, clinic, measures (no library)")
PATIENT_AGE = Key("posedash_patient_age", (int,), True, "age typed for the normal values")
PATIENT_SEX = Key("posedash_patient_sex", (str,), True, "sex typed for the normal values")
TEST_RESULT = Key("posedash_test_result", (dict,), True, "the functional test last scored")
TEST_ROW = Key("posedash_test_row", (int,), True, "Functional tests: the frame shown (row)")
TEST_EDIT_PICK = Key("posedash_test_edit_pick", (str,), True, "the test event picked")
TEST_EDIT_PENDING = Key("posedash_test_edit_pending", (str,), True, "an event to pick next run")
TEST_EDIT_LAST_ROW = Key("posedash_test_edit_last_row", (int,), True, "the row picked last")

# --- Gait page ---
GAIT_REQUESTED = Key("posedash_gait_requested", (str,), True, "analysis gait was asked for")
GAIT_ROW = Key("posedash_gait_row", (int,), True, "the frame shown (row)")
GAIT_EDIT_PICK = Key("posedash_gait_edit_pick", (str,), True, "the event picked to correct")
GAIT_EDIT_PENDING = Key("posedash_gait_edit_pending", (str,), True, "an event to pick next run")
GAIT_EDIT_LAST_ROW = Key("posedash_gait_edit_last_row", (int,), True, "the row picked last")
GAIT_FRONTAL_ROW = Key("gait_frontal_row", (int,), True, "frontal contacts: the frame shown")
GAIT_FRONTAL_PICK = Key("gait_frontal_pick", (str,), True, "the frontal contact picked")
GAIT_FRONTAL_PENDING = Key("gait_frontal_pending", (str,), True, "a contact to pick next run")
GAIT_FRONTAL_LAST_ROW = Key("gait_frontal_last_row", (int,), True, "the row picked last")
LIBRARY_METRIC = Key("library_metric", (str,), True, "the progress value charted")

# --- Measurements and corrections made by hand ---
MANUAL = Key("posedash_manual_measurements", (dict,), True, "measurements by analysis")
GAIT_HAND_EVENTS = Key("posedash_gait_hand_events", (dict,), True, "gait events corrected")
TESTS_KEPT = Key("posedash_tests_kept", (dict,), True, "functional test results kept")
MANUAL_SCALE = Key("posedash_manual_scale", (dict,), True, "floor-mark scales by analysis")

# --- The patient library (dashboard/ui/patient_state.py) ---
LIBRARY = Key("posedash_library", (object,), True, "the Library (holds the key unlocked)")
LIBRARY_MESSAGE = Key("posedash_library_message", (tuple,), True, "(kind, text, where) to show")
LIBRARY_PATIENT = Key("library_patient", (str,), True, "the Patient box")
LIBRARY_CHOSEN = Key("posedash_library_chosen", (str,), True, "the patient chosen last")
LIBRARY_SHOWN = Key("posedash_library_shown", (dict,), True, "labels last shown, by box")
LIBRARY_NEW_PASS = Key("library_new_pass", (str,), True, "passphrase of a new library")
LIBRARY_NEW_PASS2 = Key("library_new_pass2", (str,), True, "the same, again")
LIBRARY_NEW_OK = Key("library_new_ok", (bool,), True, "passphrase kept safe, ticked")
LIBRARY_PASS = Key("library_pass", (str,), True, "passphrase typed to unlock")
LIBRARY_IDLE_MIN = Key("library_idle_min", (int, float), True, "minutes before it locks")


def widget(name: str) -> Key:
    """The key ``name`` declared by its family only: a widget's (its value has the widget's
    type), or one a caller names (a background job's slot and outcome)."""
    found = state.family(name)
    return Key(name, (object,), bool(found and found.cleared), "a widget's value")


def declared() -> dict[str, Key]:
    """Every key declared here, by name (prefixes included)."""
    return {k.name: k for k in globals().values() if isinstance(k, Key)}


__all__ = [name for name, value in globals().items() if isinstance(value, Key)] + ["declared"]

# --- Video analysis page ---
VIDEO_JOB = Key("posedash_video_job", (tuple,), True, "(key, data, first results, job) running")
VIDEO_EXPORT_JOB = Key("posedash_export_job", (tuple,), True, "the annotated video being written")
VIDEO_OUTCOME = Key("posedash_video_outcome", (object,), True, "how the last analysis ended")
VIDEO_EXPORT_OUTCOME = Key("posedash_export_outcome", (object,), True, "how the export ended")
VIDEO_TIMING = Key("posedash_video_timing", (tuple,), True, "(analysis, seconds) of the last run")

# --- Live camera page ---
LIVE_PROCESSOR = Key("posedash_live_processor", (object,), True, "this tab's LiveProcessor")
LIVE_SAVED = Key("posedash_live_saved", (str,), True, "the recording kept last ('' none)")
LIVE_SNAPSHOT = Key("posedash_live_snapshot", (object,), True, "the readouts shown last")
LIVE_RECORD = Key("live_record", (bool,), True, "the Record toggle")
LIVE_STREAM = Key("posedash-live", (object,), False, "the WebRTC component's context")

# --- Patients page (dashboard/ui/patient_views.py) ---
LIBRARY_NEW_LABEL = Key("library_new_label", (str,), True, "a new patient's label")
LIBRARY_NEW_NOTES = Key("library_new_notes", (str,), True, "a new patient's notes")
LIBRARY_NEW_BIRTH = Key("library_new_birth", (str,), True, "a new patient's birth date")
LIBRARY_SAVE_PENDING = Key("library_save_pending", (dict,), True, "a save waiting: same file")
LIBRARY_SAVE_DATE = Key("library_save_date", (object,), True, "the session's date")
LIBRARY_SAVE_REGION = Key("library_save_region", (str,), True, "the body region")
LIBRARY_SAVE_NOTES = Key("library_save_notes", (str,), True, "the session's notes")
LIBRARY_SESSION = Key("library_session", (str,), True, "the session chosen")
LIBRARY_CMP_AFTER = Key("library_cmp_after", (str,), True, "the later session compared")
LIBRARY_LABEL = Key("library_label_", (str,), True, "a patient's label box (per patient)")
LIBRARY_NOTES = Key("library_notes_", (str,), True, "a patient's notes box (per patient)")
LIBRARY_BIRTH = Key("library_birth_", (str,), True, "a patient's birth date box (per patient)")
LIBRARY_ERASE_CONFIRM = Key("library_erase_confirm", (str,), True, "the label typed to erase")
COMPARE = Key("compare_", (str,), True, "the Compare page's choices (per side)")
