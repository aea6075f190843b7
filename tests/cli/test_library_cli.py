"""``python -m dashboard library ...`` and ``analyze --session``, as a user runs them."""

from __future__ import annotations

import json

from dashboard.outputs.session import read_session
from tests.clirun import LIBRARY_PASS, run


def test_analyze_session_then_library_round_trip(media_dir, tmp_path):
    out = tmp_path / "out"
    video = media_dir / "videos" / "tfjs_pose_squats_front.mp4"
    result = run(
        "analyze",
        video,
        media_dir / "images" / "tfjs_pose_yoga_warrior.jpg",
        "--out",
        out,
        "--session",
    )
    assert result.returncode == 0, result.stderr
    session = out / "tfjs_pose_squats_front.posedash"
    assert str(session) in result.stdout
    opened = read_session(session.read_bytes())
    assert opened.analysis.kind == "video" and opened.analysis.fps == 5.0
    assert opened.analysis.source_name == video.name
    assert opened.angle_settings is not None
    assert (out / "tfjs_pose_yoga_warrior.posedash").exists()

    env = {"POSEDASH_DATA_DIR": str(tmp_path / "data"), "POSEDASH_LIBRARY_PASSPHRASE": LIBRARY_PASS}
    result = run("library", "list", env=env)
    assert result.returncode == 1 and "no patient library yet" in result.stderr
    assert not (tmp_path / "data").exists()
    assert run("library", "init", env=env).returncode == 0
    again = run("library", "init", env=env)
    assert again.returncode == 1 and "already" in again.stderr
    for date in ("2026-01-05", "2026-02-09"):
        result = run(
            "library",
            "add",
            session,
            "--patient",
            "P-0042",
            "--date",
            date,
            "--notes",
            f"visit {date}",
            env=env,
        )
        assert result.returncode == 0, result.stderr
    run("library", "add", out / "tfjs_pose_yoga_warrior.posedash", "--patient", "Other", env=env)
    listing = run("library", "list", env=env)
    assert listing.returncode == 0
    assert "P-0042\t2 session(s)" in listing.stdout and "Other\t1 session(s)" in listing.stdout
    one = run("library", "list", "--patient", "p-0042", env=env)
    assert "2026-01-05  tfjs_pose_squats_front.mp4" in one.stdout
    assert "visit 2026-02-09" in one.stdout

    exported = tmp_path / "export"
    assert (
        run("library", "export", "--patient", "P-0042", "--out", exported, env=env).returncode == 0
    )
    index = json.loads((exported / "index.json").read_text())
    assert index["patient"]["label"] == "P-0042"
    assert [s["date"] for s in index["sessions"]] == ["2026-01-05", "2026-02-09"]
    first = exported / index["sessions"][0]["file"]
    assert first.read_bytes() == session.read_bytes()
    assert (exported / "index.csv").read_text().startswith("file,date,")
    progress = (exported / "progress.csv").read_text().splitlines()
    assert progress[0] == "session_file,date,key,label,value,unit,validity,reasons"
    assert {line.split(",")[0] for line in progress[1:]} == {s["file"] for s in index["sessions"]}

    result = run("library", "delete", "--patient", "P-0042", env=env)
    assert result.returncode == 1 and "--yes" in result.stderr  # no terminal, no --yes
    assert run("library", "delete", "--patient", "P-0042", "--yes", env=env).returncode == 0
    listing = run("library", "list", env=env)
    assert "P-0042" not in listing.stdout and "Other" in listing.stdout


def test_library_errors_are_one_line(tmp_path):
    env = {"POSEDASH_DATA_DIR": str(tmp_path / "data"), "POSEDASH_LIBRARY_PASSPHRASE": LIBRARY_PASS}
    assert run("library", "init", env=env).returncode == 0
    wrong = run("library", "list", env={**env, "POSEDASH_LIBRARY_PASSPHRASE": "wrong one!"})
    assert wrong.returncode == 1 and "does not unlock" in wrong.stderr
    foreign = tmp_path / "photo.posedash"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n not a session")
    bad = run("library", "add", foreign, "--patient", "A", env=env)
    assert bad.returncode == 1 and "not a PoseDash session" in bad.stderr
    bad_date = run("library", "add", foreign, "--patient", "A", "--date", "5/1/26", env=env)
    assert bad_date.returncode == 1
    not_lib = tmp_path / "notes.sqlite3"
    not_lib.write_text("hello")
    other = run("library", "--library", not_lib, "list", env=env)
    assert other.returncode == 1 and "not a PoseDash patient library" in other.stderr
    short = run(
        "library",
        "--library",
        tmp_path / "new.sqlite3",
        "init",
        env={**env, "POSEDASH_LIBRARY_PASSPHRASE": "short"},
    )
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    assert "The library holds no patient yet." in run("library", "list", env=env).stdout
    for r in (wrong, bad, bad_date, other, short):
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
