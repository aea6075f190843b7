"""The report's "Measured by hand" section (dashboard.report.manual): the table says
what, where and "measured by hand"; the photo is pictured with the angle drawn; a
reopened session without its recording prints the table and says why the pictures
are missing; hostile notes print as text."""

from __future__ import annotations

import hashlib
import io
import subprocess

import numpy as np
from PIL import Image

from dashboard.analysis import Analysis
from dashboard.manual import frame_ref, make_angle, make_note
from dashboard.poses import PoseSequence
from dashboard.report.document import Document
from dashboard.report.manual import manual_pictures, manual_section


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.decode().split())


def _photo() -> tuple[Analysis, bytes]:
    buf = io.BytesIO()
    Image.fromarray(np.full((300, 400, 3), 90, np.uint8)).save(buf, format="PNG")
    data = buf.getvalue()
    seq = PoseSequence.empty(1, 1, (400, 300))
    return Analysis(seq, "knee.png", hashlib.sha256(data).hexdigest(), "photo"), data


def _measurements(analysis):
    where = frame_ref(analysis.poses, 0)
    return [
        make_angle(where, [(100, 200), (200, 200), (200, 100)], label="Right knee"),
        make_note(where, (50, 50), '=cmd|" /C calc"!A0 <b>x</b>'),
    ]


def test_the_section_prints_the_table_and_the_annotated_photo():
    analysis, data = _photo()
    doc = Document()
    manual_section(doc, analysis, _measurements(analysis), data)
    text = _text(doc.output())
    assert "Measured by hand" in text and "Right knee" in text and "90.0°" in text
    assert "measured by hand" in text
    assert '=cmd|" /C calc"!A0 <b>x</b>' in text  # a note prints as the text typed
    items, problem = manual_pictures(data, analysis, _measurements(analysis))
    assert problem is None and len(items) == 1
    jpeg, (w, h), caption = items[0]
    picture = np.asarray(Image.open(io.BytesIO(jpeg)))
    assert (w, h) == (400, 300) and "measured by hand" in caption
    assert not np.allclose(picture, 90, atol=12)  # the angle is drawn on it


def test_without_the_recording_the_table_prints_and_a_note_says_why():
    analysis, _ = _photo()
    doc = Document()
    manual_section(doc, analysis, _measurements(analysis), None)
    text = _text(doc.output())
    assert "Right knee" in text and "not pictured" in text and "Re-link" in text


def test_nothing_is_printed_without_measurements():
    analysis, data = _photo()
    doc = Document()
    manual_section(doc, analysis, [], data)
    assert "Measured by hand" not in _text(doc.output())
