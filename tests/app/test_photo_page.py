"""The photo flow through Streamlit's AppTest (a real script run, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def _photo_page(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("pages/1_Photo_analysis.py").run()
    assert not at.exception
    return at


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    uploader = next(u for u in at.file_uploader if u.label == "Photo")
    uploader.set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_home_page_states_privacy():
    at = _app()
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "on this computer" in text.lower()
    assert "Clear my data" in next(b.label for b in at.sidebar.button)


def test_real_photo_gives_table_and_downloads(media_dir):
    at = _photo_page(_app())
    _upload(at, "yoga.jpg", (media_dir / "images" / "tfjs_pose_yoga_warrior.jpg").read_bytes())
    assert not at.error
    assert len(at.dataframe) == 1
    table = at.dataframe[0].value
    assert len(table) == 33
    assert table["landmark"].iloc[25] == "left_knee"
    assert table["x_px"].str.fullmatch(r"-?\d+\.\d").all()  # pixels to 1 decimal, as text
    assert table["visibility"].dtype == float  # a progress bar
    assert not {str(v) for v in table.to_numpy().ravel()} & {"None", "nan"}
    assert at.metric[0].value == "1"


def test_display_option_does_not_rerun_detection(media_dir, monkeypatch):
    at = _photo_page(_app())
    _upload(at, "yoga.jpg", (media_dir / "images" / "tfjs_pose_yoga_warrior.jpg").read_bytes())
    results = at.session_state["posedash_results"]
    assert len(results) == 1
    before = next(iter(results.values()))
    at.toggle[0].set_value(True).run()  # show landmark names
    assert not at.exception
    after = at.session_state["posedash_results"]
    assert len(after) == 1 and next(iter(after.values())) is before


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("notes.jpg", b"this is not a picture", "not a photo"),
        ("empty.png", b"", "empty"),
        ("half.jpg", None, "incomplete"),
    ],
)
def test_garbage_gives_a_message(media_dir, name, data, expected):
    if data is None:
        whole = (media_dir / "images" / "tfjs_pose_yoga_warrior.jpg").read_bytes()
        data = whole[: len(whole) // 2]
    at = _photo_page(_app())
    _upload(at, name, data)
    assert at.error, "expected an error message"
    assert expected in at.error[0].value
    assert not at.dataframe


def test_nobody_found_explains_why(media_dir):
    at = _photo_page(_app())
    _upload(at, "zidane.jpg", (media_dir / "images" / "ultralytics_zidane.jpg").read_bytes())
    assert at.warning and "No person was found" in at.warning[0].value
    assert not at.dataframe


def test_clear_my_data_empties_the_session(media_dir):
    at = _photo_page(_app())
    _upload(at, "yoga.jpg", (media_dir / "images" / "tfjs_pose_yoga_warrior.jpg").read_bytes())
    assert at.session_state["posedash_current_analysis"] is not None
    next(b for b in at.sidebar.button if "Clear my data" in b.label).click().run()
    assert not at.exception
    assert "posedash_current_analysis" not in at.session_state
    assert "posedash_current_source" not in at.session_state
    assert "posedash_photo_current" not in at.session_state
    assert (
        not at.session_state["posedash_results"] if "posedash_results" in at.session_state else True
    )
    assert not at.dataframe
    assert any("Choose a photo to begin" in i.value for i in at.info)


def test_mirror_marked_photo_says_so(media_dir):
    """A front-camera photo marked (EXIF 2) to be shown mirrored: the page says it is
    shown and measured as the camera took it (sides kept), and the analysis keeps the note."""
    import io as _io

    from PIL import Image

    from dashboard.media.images import MIRROR_NOTE
    from dashboard.ui.text import plain

    photo = Image.open(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg").convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 2
    buf = _io.BytesIO()
    photo.save(buf, "JPEG", exif=exif, quality=95)
    at = _upload(_photo_page(_app()), "selfie.jpg", buf.getvalue())
    assert not at.error
    assert plain(MIRROR_NOTE) in [c.value for c in at.caption]
    results = at.session_state["posedash_results"]
    assert any(MIRROR_NOTE in getattr(a, "notes", ()) for a in results.values())
