"""Contacts of walking towards or away from the camera corrected by hand
(dashboard.kinematics.gait.frontal_edited), on the synthetic frontal walker with known
contacts (tests/gait_frontal_walker.py)."""

from __future__ import annotations

import json

import pytest

from dashboard.errors import InputError
from dashboard.jsonsafe import to_jsonable
from dashboard.kinematics.gait import analyze_gait
from dashboard.kinematics.gait.events_file import HandEvent
from dashboard.kinematics.gait.frontal_edited import frontal_edited, with_frontal_edits
from tests.gait_frontal_walker import frontal_walker

FPS = 30.0


@pytest.fixture(scope="module")
def walk():
    seq, _truth = frontal_walker(towards=True)
    return seq, analyze_gait(seq)


def _hand(fr) -> list[HandEvent]:
    return [HandEvent(c.side, c.event, c.time_s, c.frame) for c in fr.contacts]


def test_the_automatic_contacts_give_back_the_automatic_result(walk):
    seq, result = walk
    fr = result.frontal
    assert frontal_edited(fr, _hand(fr), seq.time_s, seq.frame_index) is fr
    assert with_frontal_edits(result, _hand(fr), seq) is result


def test_deleting_a_contact_drops_a_step_and_moving_one_changes_the_step_times(walk):
    seq, result = walk
    fr = result.frontal
    hand = _hand(fr)
    ics = [i for i, h in enumerate(hand) if h.event == "initial_contact"]
    last = ics[-1]
    gone = frontal_edited(fr, hand[:last] + hand[last + 1 :], seq.time_s, seq.frame_index)
    assert gone.parameters["steps"] == fr.parameters["steps"] - 1
    assert gone.edits["events_changed"] == {"n": 1, "moved": 0, "added": 0, "deleted": 1}
    # the last contact 3 frames later: the last step 0.1 s longer
    h = hand[last]
    later = [*hand[:last], HandEvent(h.side, h.event, h.time_s + 3 / FPS), *hand[last + 1 :]]
    moved = frontal_edited(fr, later, seq.time_s, seq.frame_index)
    assert moved.parameters["steps"] == fr.parameters["steps"]
    assert moved.edits["events_changed"]["moved"] == 1
    assert moved.parameters["step_time_s"]["mean"] != fr.parameters["step_time_s"]["mean"]
    doc = with_frontal_edits(result, later, seq).frontal.as_dict()
    assert doc["events_source"] == "edited"
    assert doc["placed_by_hand"][0]["frame"] == h.frame + 3
    assert doc["automatic_contacts"] == [c.as_dict() for c in fr.contacts]
    assert "cadence" in doc["automatic_cadence"]
    json.dumps(to_jsonable(doc), allow_nan=False)
    edited = with_frontal_edits(result, later, seq)
    assert edited.warnings[0].startswith("Events corrected by hand (1 changed: 1 moved)")
    assert result.frontal.as_dict()["events_source"] == "automatic"


def test_contacts_that_cannot_be_placed_are_refused(walk):
    seq, result = walk
    fr = result.frontal
    hand = _hand(fr)
    end = float(seq.time_s[-1])
    for extra, words in [
        (HandEvent("left", "initial_contact", end + 2.0), "outside the video"),
        (HandEvent("left", "toe_off", fr.passes[0].start_s + 0.5), "not a left or right"),
        (hand[0], "a second one"),
    ]:
        with pytest.raises(InputError, match=words):
            frontal_edited(fr, [*hand, extra], seq.time_s, seq.frame_index)
    # before the pass (video frames 24-161): refused in frames, as the side-view editor
    p = fr.passes[0]
    assert (int(seq.frame_index[p.start]), int(seq.frame_index[p.end])) == (24, 161)
    early = HandEvent("left", "initial_contact", float(seq.time_s[15]))
    with pytest.raises(InputError) as err:
        frontal_edited(fr, [*hand, early], seq.time_s, seq.frame_index)
    assert str(err.value) == (
        "Frame 15 is outside the walking towards or away from the camera (frames 24-161): "
        "the contact would not be used."
    )


def _session_with(seq, field):
    from dashboard.analysis import Analysis
    from dashboard.outputs.session import read_session, save_session

    analysis = Analysis(seq, "walk.mp4", "ab" * 32, "video", fps=FPS)
    return read_session(save_session(analysis, gait_events=field))


def test_a_session_file_keeps_the_frontal_contacts_corrected_by_hand(walk):
    seq, result = walk
    hand = _hand(result.frontal)
    h = hand[-1]
    later = [*hand[:-1], HandEvent(h.side, h.event, h.time_s + 3 / FPS)]
    field = {
        "source": "edited",
        "person": 0,
        "events": [],
        "frontal": {"person": 0, "events": [e.as_dict() for e in later]},
    }
    opened = _session_with(seq, field)
    saved = opened.gait_events
    assert opened.notes == ()
    assert saved["events"] is None  # only the frontal contacts were corrected
    assert saved["frontal"]["person"] == 0
    assert list(saved["frontal"]["events"]) == sorted(
        later, key=lambda e: (e.time_s, e.side, e.event)
    )
    again = with_frontal_edits(result, saved["frontal"]["events"], opened.analysis.poses)
    expected = with_frontal_edits(result, later, seq).frontal.parameters
    assert to_jsonable(again.frontal.parameters) == to_jsonable(expected)  # NaN-safe
    assert again.frontal.edits["events_changed"]["moved"] == 1


def test_a_damaged_frontal_correction_is_left_out_with_a_note(walk):
    seq, _ = walk
    bad = {"person": 0, "events": [{"side": "left", "event": "toe_off", "time_s": 1}]}
    opened = _session_with(seq, {"source": "edited", "person": 0, "events": [], "frontal": bad})
    assert opened.gait_events is None
    [note] = opened.notes
    assert "not one of initial_contact, foot_lift" in note
    assert "shows the automatic events" in note
