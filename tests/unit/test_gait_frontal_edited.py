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
    before = fr.passes[0].start_s - 0.3
    if before > seq.time_s[0]:
        with pytest.raises(InputError, match="outside the walking"):
            frontal_edited(
                fr,
                [*hand, HandEvent("left", "initial_contact", before)],
                seq.time_s,
                seq.frame_index,
            )
