"""The Help page's documents (dashboard.text.helpdocs): found on disk, named by file,
titled by their heading, and never a picture from elsewhere."""

from __future__ import annotations

from pathlib import Path

from dashboard.text import helpdocs

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_documents_are_found_clinical_ones_first():
    docs = helpdocs.documents()
    names = [d.name for d in docs]
    assert names[:3] == ["guide", "angles", "gait"]
    assert set(names) == {p.stem for p in (ROOT / "docs").glob("*.md")}
    titles = {d.name: d.title for d in docs}
    assert titles["gait"] == "Gait analysis"
    assert titles["angles"] == "Joint angles in PoseDash"
    assert helpdocs.read(helpdocs.find("gait")).startswith("# Gait analysis")


def test_only_a_document_of_the_folder_can_be_asked_for(tmp_path):
    (tmp_path / "a.md").write_text("no heading\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# B\n")
    assert [(d.name, d.title) for d in helpdocs.documents(tmp_path)] == [("a", "a")]
    for name in ("../a", "sub/b", "b", "", None, "a.md", "/etc/passwd"):
        assert helpdocs.find(name, tmp_path) is None
    assert helpdocs.find("a", tmp_path).path == tmp_path / "a.md"
    assert helpdocs.documents(tmp_path / "missing") == []


def test_remote_and_missing_pictures_become_their_alt_text(tmp_path):
    (tmp_path / "fig.png").write_bytes(b"\x89PNG")
    outside = tmp_path.parent / "outside.png"
    outside.write_bytes(b"\x89PNG")
    text = (
        "# T\nbefore ![a knee](fig.png) after\n"
        "![web](http://example.com/x.png) ![proto](//example.com/y.png) "
        "![data](data:image/png;base64,AAAA) ![gone](nothere.png) "
        f"![out](../{outside.name})\n"
        "```\n![code](http://example.com/in-code.png)\n```\n"
    )
    parts = helpdocs.split_images(text, tmp_path)
    assert parts[0] == ("markdown", "# T\nbefore ")
    assert parts[1] == ("image", (tmp_path / "fig.png").resolve(), "a knee")
    rest = parts[2][1]
    assert parts[2][0] == "markdown" and len(parts) == 3
    assert rest.startswith(" after\n*web* *proto* *data* *gone* *out*\n")
    assert "http://example.com/x.png" not in rest and "//example.com/y.png" not in rest
    assert "![code](http://example.com/in-code.png)" in rest  # code stays code


def test_a_document_without_pictures_is_one_part():
    text = helpdocs.read(helpdocs.find("angles"))
    assert helpdocs.split_images(text) == [("markdown", text)]


def test_links_between_documents_open_them_on_the_help_page():
    text = (
        "see [gait.md](gait.md#leg-swaps) and [the angles](angles.md), not "
        "[x](other.md) nor ![pic](gait.md) nor [web](http://example.com/gait.md)"
    )
    out = helpdocs.link_documents(text, "Help", "doc", ["gait", "angles"])
    assert out == (
        "see [gait.md](Help?doc=gait) and [the angles](Help?doc=angles), not "
        "x nor ![pic](gait.md) nor [web](http://example.com/gait.md)"
    )


def test_every_link_between_project_documents_is_kept():
    names = [d.name for d in helpdocs.documents()]
    for doc in helpdocs.documents():
        text = helpdocs.link_documents(helpdocs.read(doc), "Help", "doc", names)
        assert ".md)" not in text.replace("![", ""), doc.name
