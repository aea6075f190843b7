"""The Tests and Gait pages list each correction made by hand (the core's list, as in the
report, test.json and gait.json), through AppTest without video: on the synthetic five-times
sit-to-stand the 5th full stand moved one frame later (and the time to it, changed by less
than 0.1 s, shown to 0.01 s); on the synthetic walk towards the camera a contact deleted."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from dashboard.functional import TestOptions, run_test
from dashboard.functional.events_file import hand_events_of
from tests.functional_person import sts_script

ROOT = Path(__file__).resolve().parents[2]


def test_a_one_frame_move_is_listed_and_shows_in_the_times():
    seq = sts_script().sequence()
    auto = run_test(seq, TestOptions("sts5"))
    fifth = next(e for e in auto.events if e.event == "full_stand_5")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["posedash_current_analysis"] = Analysis(
        seq, "sts.mp4", "cd" * 32, "video", fps=30.0
    )
    at.session_state["posedash_current_source"] = None
    at.run()
    at.switch_page("pages/14_Tests.py").run()
    assert not at.exception, at.exception
    assert not [e for e in at.expander if "each correction" in e.label]  # none yet
    at.selectbox(key="posedash_test_edit_pick").set_value(f"full_stand|{fifth.index}").run()
    at.slider(key="posedash_test_row").set_value(fifth.index + 1).run()
    at.button(key="posedash_test_move").click().run()
    assert not at.exception, at.exception
    n = len(hand_events_of(auto.events))
    [box] = [e for e in at.expander if "each correction" in e.label]
    assert box.label == f"✍️ 1 of {n} events corrected by hand: each correction"
    [table] = [t.value for t in box.dataframe]
    assert table.values.tolist() == [
        [
            "full stand 5",
            "moved",
            f"{fifth.time_s:.2f} s (frame {fifth.frame})",
            f"{fifth.time_s + 1 / 30:.2f} s (frame {fifth.frame + 1})",
        ]
    ]
    to_fifth = {m.label: m.value for m in at.metric}["To the 5th stand"]
    value = auto.result["time_to_fifth_stand_s"] + 1 / 30
    assert to_fifth == f"{value:.2f} s"  # 0.03 s later: to 0.01 s, not 0.1 s
    doc = at.session_state["posedash_test_result"]  # test.json
    assert doc["events_corrected_note"] == f"1 of {n} events corrected by hand"
    assert [r["frame"] for r in doc["events_corrected"]] == [fifth.frame + 1]


def test_a_deleted_frontal_contact_is_listed_on_the_gait_page():
    from dashboard.kinematics.gait import analyze_gait
    from tests.gait_frontal_walker import frontal_walker

    seq, _ = frontal_walker(towards=True)
    contacts = analyze_gait(seq).frontal.contacts
    c = contacts[-1]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["posedash_current_analysis"] = Analysis(
        seq, "towards.mp4", "ab" * 32, "video", fps=30.0
    )
    at.session_state["posedash_current_source"] = None
    at.run()
    at.switch_page("pages/9_Gait.py").run()
    at.selectbox(key="gait_frontal_pick").set_value(f"{c.side}|{c.event}|{c.index}").run()
    at.button(key="gait_frontal_delete").click().run()
    assert not at.exception, at.exception
    [box] = [e for e in at.expander if "each correction" in e.label]
    assert box.label == f"✍️ 1 of {len(contacts)} events corrected by hand: each correction"
    [table] = [t.value for t in box.dataframe]
    put = "foot put down" if c.event == "initial_contact" else "foot lifted"
    assert table.values.tolist() == [
        [f"{c.side} {put}", "deleted by hand", f"{c.time_s:.2f} s (frame {c.frame})", "–"]
    ]
