"""A reopened session says how its recording was read, as the fresh analysis did
(AppTest): a video whose first stream is a thumbnail is analysed, saved as a
session, and reopened in a new browser session; the Sessions, Video and Compare
pages show the note on the stream. Hostile notes in a session file are shown as
text, and notes that cannot be used are left out with a warning."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.outputs.session import save_session
from tests import videotools as clips
from tests.pages import goto, open_app, upload_file, upload_video, video_page, wait_for_results
from tests.session_data import with_notes

CURRENT = "posedash_current_analysis"


def _text(at: AppTest, kind: str = "caption"):
    """The values of ``kind`` elements with Markdown escapes undone."""
    return [e.value.replace("\\", "") for e in getattr(at, kind)]


def _stream_captions(at: AppTest):
    return [c for c in _text(at) if "stream 2" in c and "thumbnail" in c]


def test_a_reopened_session_shows_how_its_video_was_read():
    # Fresh: analyse a video whose first stream is a thumbnail.
    at = upload_video(
        video_page(), "cover.mkv", clips.thumbnail_first(clips.plain_clip(20, size=(96, 64)))
    )
    next(b for b in at.button if "Analyse video" in b.label).click().run()
    wait_for_results(at)
    fresh = _stream_captions(at)
    assert len(fresh) == 1, _text(at)  # once, under the video's details
    analysis = at.session_state[CURRENT]
    assert analysis.notes and "stream 2" in analysis.notes[0]
    data = save_session(analysis)  # what "Save session" downloads

    # Reopened in a new browser session, without the video.
    at = goto(open_app(), "pages/6_Sessions.py")
    upload_file(at, "Session file", "cover.posedash", data)
    assert not at.error and not at.warning and at.success
    # under "Save the current analysis" and under "Opened ...": both describe it
    assert _stream_captions(at) == fresh * 2
    assert at.session_state[CURRENT].notes == analysis.notes
    at = goto(at, "pages/2_Video_analysis.py")
    assert any("Showing the last video analysed" in c for c in _text(at))
    assert _stream_captions(at) == fresh  # the same caption as when it was analysed
    at = goto(at, "pages/7_Compare.py")  # the analysis under review is the "after" side
    assert _stream_captions(at) == fresh


def test_hostile_notes_in_a_session_are_text_and_bad_ones_are_left_out():
    pixel = "![x](http://tracker.example/p.png) <b>bold</b>\n# Heading"
    data = with_notes([pixel, 7, "y" * 5000])
    at = goto(open_app(), "pages/6_Sessions.py")
    upload_file(at, "Session file", "odd.posedash", data)
    assert not at.exception and not at.error
    shown = [c.value for c in at.caption if "tracker" in c.value]
    assert len(shown) == 2  # the analysis to save, the session opened: the same one
    for text in shown:
        assert r"\!\[x\]\(" in text and "\u2060http" in text  # escaped: no picture, no link
        assert "\n" not in text and r"\<b\>" in text  # one line; no HTML
    (warning,) = _text(at, "warning")
    assert "note 2 (7) is not text" in warning and "note 3 has 5,000 characters" in warning
    assert len(warning) < 600
    at = goto(at, "pages/2_Video_analysis.py")
    assert not at.exception and not at.error
    assert any("tracker.example" in c for c in _text(at))
