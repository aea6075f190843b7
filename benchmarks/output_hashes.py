"""SHA-256 of every file ``python -m dashboard analyze`` writes, to check that a speed-up
changed no output byte.

Clips (made in a private temporary folder from the shared test media, deleted at the
end): the side-view walk ``videos/sports2d_demo4_gait_side.mp4`` looped to
``--frames`` frames (default 600: analysed in parallel chunks, gait files
written), and the same file as it is (401 frames). Each is analysed with the
default options (what ``benchmarks/speed.py`` runs), and with ``--session
--num-poses 2``. A session file records when it was written: its members are
hashed one by one, with ``created_utc`` left out.

Usage::

    .venv/bin/python benchmarks/output_hashes.py --save before.json   # on the reference
    .venv/bin/python benchmarks/output_hashes.py --compare before.json  # after the change

``--root DIR`` runs the command line of another checkout (e.g. ``main``'s) instead of this one.
Prints one line per file and, with ``--compare``, each difference; exits 1 on any.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

SOURCE = "videos/sports2d_demo4_gait_side.mp4"
OPTIONS = {"default": [], "session-2p": ["--session", "--num-poses", "2"]}


def file_hash(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix != ".posedash" or not zipfile.is_zipfile(io.BytesIO(data)):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            member = z.read(name)
            if name.endswith(".json"):
                doc = json.loads(member)
                if isinstance(doc, dict):
                    doc.pop("created_utc", None)
                member = json.dumps(doc, sort_keys=True).encode()
            digest.update(name.encode() + b"\0" + hashlib.sha256(member).digest())
    return "members:" + digest.hexdigest()


def hashes(root: Path, clips: dict[str, Path], tmp: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(root), GLOG_minloglevel="2")
    out: dict[str, str] = {}
    for clip_name, clip in clips.items():
        for opt_name, options in OPTIONS.items():
            folder = tmp / f"{clip_name}-{opt_name}"
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "dashboard",
                    "analyze",
                    str(clip),
                    "--out",
                    str(folder),
                    *options,
                ],
                cwd=root,
                env=env,
                capture_output=True,
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr.decode(errors="replace")[-2000:])
            for path in sorted(folder.iterdir()):
                key = f"{clip_name}/{opt_name}/{path.name}"
                out[key] = file_hash(path)
                print(f"{out[key][:24]}  {key}", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))),
    )
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()

    from video_memory import make_clip

    source = (args.media / SOURCE).read_bytes()
    with tempfile.TemporaryDirectory(prefix="posedash-hashes-") as name:
        tmp = Path(name)
        clips = {"looped": tmp / "walk_looped.mp4", "original": tmp / "walk.mp4"}
        clips["looped"].write_bytes(make_clip(source, args.frames))
        clips["original"].write_bytes(source)
        got = hashes(args.root.resolve(), clips, tmp)
    if args.save:
        args.save.write_text(json.dumps(got, indent=1, sort_keys=True))
    if args.compare:
        want = json.loads(args.compare.read_text())
        bad = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
        for k in bad:
            print(f"DIFFERENT: {k}: {want.get(k, 'missing')[:16]} -> {got.get(k, 'missing')[:16]}")
        print(f"{len(got)} files, {len(bad)} different")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
