"""Hostile user text (file names, session fields): 24 cases, each kept as plain text
everywhere PoseDash shows or writes it: Markdown on a page, Plotly labels, the .trc
and .mot headers, CSV cells, and a session file that is saved and read back."""

from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import Analysis
from dashboard.outputs import interop, session
from dashboard.outputs.export import to_csv
from dashboard.poses import PoseSequence
from dashboard.text.textsafe import (
    FORMULA_STARTS,
    WORD_JOINER,
    markdown_text,
    one_line,
    plotly_text,
)

HOST = "evil.example"
NAMES = {
    "markdown image": f"![t](http://{HOST}/p.png)",
    "markdown link": f"[Click here to re-verify your licence](http://{HOST})",
    "reference link": f"[x][r]\n\n[r]: http://{HOST}",
    "html img": f"<img src='http://{HOST}/i.png' onerror='alert(1)'>",
    "html anchor": f"<a href='http://{HOST}'>licence</a>",
    "script": "<script>fetch('http://evil.example')</script>",
    "javascript link": "[x](javascript:alert(1))",
    "bare www": f"see www.{HOST}/licence",
    "bare url": f"https://{HOST}/x",
    "email": f"support@{HOST}",
    "angle autolink": f"<http://{HOST}>",
    "emoji and colour": ":red[URGENT] :warning: :material/lock:",
    "latex": "$\\href{http://evil.example}{x}$",
    "heading and list": "# Licence expired\n- call now\n> quoted",
    "formula =": '=HYPERLINK("http://evil.example","open")',
    "formula +": "+cmd|' /C calc'!A0",
    "formula -": "-2+3+cmd|' /C calc'!A0",
    "formula @": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab and CR": "\t=1+1\rInjected",
    "control characters": "walk\x00ing\x1b[31m\x7f.mp4",
    "unicode separators": "walk\u2028ing\u2029.mp4",
    "right-to-left override": "walking\u202egnp.mp4",
    "backslashes": "a\\](http://evil.example)\\",
    "very long": "![x](http://evil.example/" + "a" * 5000 + ")",
}


def _analysis(name: str) -> Analysis:
    f = 4

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
    return Analysis(seq, name, "0" * 64, "video", fps=30.0)


def _shown(md: str) -> str:
    """What CommonMark shows, failing on any punctuation that could start markup."""
    out, i = [], 0
    while i < len(md):
        if md[i] == "\\":
            assert md[i + 1] in string.punctuation
            out.append(md[i + 1])
            i += 2
            continue
        assert md[i] not in string.punctuation and md[i] not in "\r\n", md[i : i + 40]
        out.append(md[i])
        i += 1
    return "".join(out).replace(WORD_JOINER, "")


def test_case_count():
    assert len(NAMES) >= 20


@pytest.mark.parametrize("case", sorted(NAMES))
def test_hostile_text_stays_text(case):
    name = NAMES[case]
    md = markdown_text(name)
    assert _shown(md) == one_line(name)  # the same characters, no markup
    plain = md.replace("\\", "")  # no bare link can start: a word joiner comes first
    assert not re.search(f"(?i)(?<!{WORD_JOINER})(www|https?)", plain), plain[:80]
    assert not re.search(f"@(?!{WORD_JOINER})", plain), plain[:80]
    label = plotly_text(name)
    assert "<" not in label and ">" not in label and "\n" not in label
    trc = interop.to_trc(_analysis(name))
    head = trc.split("\n", 2)
    assert head[1].startswith("DataRate")  # the name stayed on its line
    assert not head[0].split("\t")[3].startswith(FORMULA_STARTS)
    cell = pd.read_csv(
        __import__("io").BytesIO(to_csv(pd.DataFrame({"source": [name]}))), keep_default_na=False
    )["source"][0]
    assert not str(cell).startswith(FORMULA_STARTS)


@pytest.mark.parametrize("case", sorted(NAMES))
def test_hostile_names_survive_a_session_file_as_text(case):
    data = session.save_session(_analysis(NAMES[case]))
    opened = session.read_session(data).analysis
    assert opened.source_name == NAMES[case]  # kept as the user's text, shown escaped
    assert _shown(markdown_text(opened.source_name)) == one_line(opened.source_name)
