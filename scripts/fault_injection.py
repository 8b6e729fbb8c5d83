"""Fault injection (issue 16): bad inputs and damaged galleries against the real CLI.

Builds a scratch gallery once (``gallery build`` of the MIT clip and two Libras clips from
../shared/data/videos; the bundled demo gallery when those are absent), then runs each case of
:data:`CASES` as a subprocess (``python -m signlookup ...``) on a fresh copy of it and prints a
table: case, owner, exit code, whether it met the expectation, traceback?, the files under
``media/`` before and after (and how many of them are gone from the gallery folder
altogether), and the first stderr line (the message a user reads).

    python scripts/fault_injection.py                 # the table (a few minutes on 2 cores)
    python scripts/fault_injection.py --only npz      # cases whose name contains "npz"
    python scripts/fault_injection.py --json          # one JSON list for machines

Exit status 0 when every case met its expectation. Rows owned by "lead" are the damaged-gallery
cases of issue 16's data-loss half; a case is a row of :data:`CASES`: append more the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
MIT_CLIP = SHARED / "videos" / "pose_test_video_mit.mp4"
LIBRAS = [SHARED / "videos" / "pai_ne_1.mp4", SHARED / "videos" / "café_uf_3.mp4"]
FIELD_POSE = SHARED / "keypoints" / "pose_format_samples" / "mediapipe.pose"
MODELS = REPO / "resources" / "models"
DEMO_GALLERY = REPO / "resources" / "demo_gallery"

sys.path.insert(0, str(REPO))


@dataclass
class Env:
    """What a case works on: its own scratch folder and its own copy of the gallery."""

    scratch: Path
    gallery: Path

    def path(self, name: str) -> Path:
        return self.scratch / name


@dataclass(frozen=True)
class Case:
    """One fault. ``args`` are CLI arguments with ``{gallery}`` and ``{scratch}`` filled in;
    ``prepare`` damages or writes inputs first; ``restore`` runs after the command (a drive
    comes back, a folder is moved back); ``during`` is a second command run while the first
    is under way. ``expect_exit`` is "0" or "nonzero"; ``expect`` must occur in the first
    stderr line ("" = stderr must be empty)."""

    name: str
    args: tuple[str, ...]
    expect_exit: str
    expect: str
    owner: str = "h16q"
    prepare: Callable[[Env], None] | None = None
    restore: Callable[[Env], None] | None = None
    during: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


# --- inputs --------------------------------------------------------------------------------


def _signer(frames: int = 46) -> tuple[np.ndarray, np.ndarray]:
    """A synthetic signer (the tests' fake_sequence): points (T, 75, 3), mask (T, 75)."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import fake_sequence

    seq = fake_sequence(frames)
    return seq.points, seq.mask


def _npz(name: str, edit: Callable[[dict], None] | None = None, frames: int = 46):
    def prepare(env: Env) -> None:
        points, mask = _signer(frames)
        arrays = {"X": points.copy(), "mask": mask.copy(), "fps": np.float32(25.0)}
        if edit is not None:
            edit(arrays)
        np.savez(env.path(name), **arrays)

    return prepare


def _set(key: str, value) -> Callable[[dict], None]:
    def edit(arrays: dict) -> None:
        arrays[key] = value(arrays[key]) if callable(value) else value

    return edit


def _zeros_no_mask(arrays: dict) -> None:
    arrays["X"][:] = 0
    del arrays["mask"]  # zeros = missing, as in the data sets


def _frames_to(value: float) -> Callable[[dict], None]:
    def edit(arrays: dict) -> None:
        arrays["X"][5:10] = value

    return edit


def _cut_pose(env: Env) -> None:
    if FIELD_POSE.is_file():
        data = FIELD_POSE.read_bytes()
    else:
        from signlookup.pose.io import save_pose_file
        from signlookup.pose.sequence import PoseSequence

        save_pose_file(PoseSequence(*_signer()), env.path("whole.pose"))
        data = env.path("whole.pose").read_bytes()
    env.path("cut.pose").write_bytes(data[: len(data) // 2])


def _sidecar(change: dict) -> Callable[[Env], None]:
    def prepare(env: Env) -> None:
        model = env.path("model") / "sign_encoder.pt"
        model.parent.mkdir()
        shutil.copy(MODELS / "sign_encoder.pt", model)
        meta = json.loads((MODELS / "sign_encoder.json").read_text())
        meta.update(change)
        model.with_suffix(".json").write_text(json.dumps(meta))
        points, _ = _signer()
        np.savez(env.path("set.npz"), X=np.stack([points, points]), y=np.array(["a", "a"]))

    return prepare


def _text_bundle(drop: str = "", corrupt: str = "") -> Callable[[Env], None]:
    """The bundled text bundle linked file by file, one file missing or overwritten."""

    def prepare(env: Env) -> None:
        bundle = env.path("text")
        bundle.mkdir()
        for item in (MODELS / "text").iterdir():
            if item.name == corrupt:
                (bundle / item.name).write_bytes(item.read_bytes()[:1000])
            elif item.name != drop:
                (bundle / item.name).symlink_to(item)

    return prepare


def _pairs(name: str, encoding: str) -> Callable[[Env], None]:
    def prepare(env: Env) -> None:
        rows = "example_pt,example_gloss\nO gato está embaixo da mesa.,GAT@ MESA EMBAIXO.\n"
        rows += "Comprei um carro novo.,EU COMPRAR CARRO NOV@.\n"
        env.path(name).write_text(rows, encoding=encoding)

    return prepare


def _moov_missing(env: Env) -> None:
    env.path("moov.mp4").write_bytes(MIT_CLIP.read_bytes()[40_000:60_000])


def _five_minute_video(env: Env) -> None:
    """A 5-minute clip (tiny frames, so it is written in seconds)."""
    import cv2

    writer = cv2.VideoWriter(
        str(env.path("long.mp4")), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (32, 32)
    )
    frame = np.zeros((32, 32, 3), np.uint8)
    for _ in range(5 * 60 * 30):
        writer.write(frame)
    writer.release()


def _mkdir(name: str) -> Callable[[Env], None]:
    return lambda env: env.path(name).mkdir()


# --- damaged galleries (the lead's half of issue 16) ---------------------------------------


def _db_empty(env: Env) -> None:
    (env.gallery / "gallery.sqlite").write_bytes(b"")


def _db_deleted(env: Env) -> None:
    (env.gallery / "gallery.sqlite").unlink()
    env.path("empty").mkdir()


def _db_garbage(env: Env) -> None:
    (env.gallery / "gallery.sqlite").write_bytes(os.urandom(4096))


def _media_away(env: Env) -> None:
    (env.gallery / "media").rename(env.path("media.away"))


def _media_back(env: Env) -> None:
    if env.path("media.away").exists() and not (env.gallery / "media").exists():
        env.path("media.away").rename(env.gallery / "media")


def _one_entry_away(env: Env) -> None:
    first = sorted((env.gallery / "media").iterdir())[0]
    first.rename(env.path("entry.away"))
    env.path("entry.name").write_text(first.name)


def _one_entry_back(env: Env) -> None:
    name = env.path("entry.name").read_text()
    if not (env.gallery / "media" / name).exists():
        env.path("entry.away").rename(env.gallery / "media" / name)


G, S = "{gallery}", "{scratch}"
DAMAGED = "damaged gallery"  # the lead's wording: "damaged gallery ... nothing was changed"

CASES: list[Case] = [
    # search of a landmark file: NaN/inf frames are gaps, the rest is one line naming the file
    Case("npz NaN in 5 of 46 frames", ("search", f"{S}/q.npz", "--gallery", G), "0", "",
         prepare=_npz("q.npz", _frames_to(np.nan))),
    Case("npz inf in 5 frames", ("search", f"{S}/q.npz", "--gallery", G), "0", "",
         prepare=_npz("q.npz", _frames_to(np.inf))),
    Case("npz huge values", ("search", f"{S}/q.npz", "--gallery", G), "nonzero", "q.npz",
         prepare=_npz("q.npz", _set("X", lambda x: x * 1e30))),
    Case("npz 0 frames", ("search", f"{S}/q.npz", "--gallery", G), "nonzero", "0 frame(s)",
         prepare=_npz("q.npz", frames=0)),
    Case("npz 1 frame", ("search", f"{S}/q.npz", "--gallery", G), "nonzero", "1 frame(s)",
         prepare=_npz("q.npz", frames=1)),
    Case("npz all zeros", ("search", f"{S}/q.npz", "--gallery", G), "nonzero",
         "no body landmark", prepare=_npz("q.npz", _zeros_no_mask)),
    Case("npz all zeros, mask says present", ("search", f"{S}/q.npz", "--gallery", G),
         "nonzero", "q.npz", prepare=_npz("q.npz", _set("X", lambda x: x * 0))),
    Case("npz mask of wrong shape", ("search", f"{S}/q.npz", "--gallery", G), "nonzero",
         "the mask is (46, 10)", prepare=_npz("q.npz", _set("mask", lambda m: m[:, :10]))),
    Case("npz fps NaN", ("search", f"{S}/q.npz", "--gallery", G), "nonzero",
         "frame rate is nan", prepare=_npz("q.npz", _set("fps", np.float32(np.nan)))),
    Case("npz fps 0", ("search", f"{S}/q.npz", "--gallery", G), "nonzero", "frame rate is 0",
         prepare=_npz("q.npz", _set("fps", np.float32(0)))),
    Case("npz fps negative", ("search", f"{S}/q.npz", "--gallery", G), "nonzero",
         "frame rate is -25", prepare=_npz("q.npz", _set("fps", np.float32(-25)))),
    Case("npz of 40 s (not one sign)", ("search", f"{S}/q.npz", "--gallery", G), "nonzero",
         "trim it to the sign", prepare=_npz("q.npz", frames=1000)),
    Case("5-minute video as a query", ("search", f"{S}/long.mp4", "--gallery", G), "nonzero",
         "trim it to the sign", prepare=_five_minute_video),
    Case(".pose cut in half", ("search", f"{S}/cut.pose", "--gallery", G), "nonzero",
         "incomplete", prepare=_cut_pose),
    Case("search missing query file", ("search", f"{S}/none.mp4", "--gallery", G), "nonzero",
         "not found"),
    Case("search a folder as query", ("search", f"{S}/dir.npz", "--gallery", G), "nonzero",
         "is a folder", prepare=_mkdir("dir.npz")),
    Case("search --top 0", ("search", f"{S}/q.npz", "--gallery", G, "--top", "0"), "nonzero",
         "--top", prepare=_npz("q.npz")),
    Case("search, no sign encoder (announced)", ("search", f"{S}/q.npz", "--gallery", G),
         "0", "warning: no sign encoder", prepare=_npz("q.npz"),
         env={"SIGNLOOKUP_RESOURCES": "{scratch}/no_resources"}),
    # the encoder's sidecar
    Case("eval sidecar fusion null", ("eval", "--gallery", f"{S}/set.npz", "--queries",
         f"{S}/set.npz", "--model", f"{S}/model/sign_encoder.pt"), "nonzero",
         "fusion must be an object", prepare=_sidecar({"fusion": None})),
    Case("eval sidecar feature_spec a list", ("eval", "--gallery", f"{S}/set.npz",
         "--queries", f"{S}/set.npz", "--model", f"{S}/model/sign_encoder.pt"), "nonzero",
         "feature_spec must be an object", prepare=_sidecar({"feature_spec": [1, 2]})),
    # text
    Case("gloss --top 0", ("gloss", "O gato", "--top", "0"), "nonzero", "between 1 and 100"),
    Case("gloss, gloss_embeddings.npy missing", ("gloss", "O gato", "--bundle", f"{S}/text"),
         "nonzero", "gloss_embeddings.npy", prepare=_text_bundle(drop="gloss_embeddings.npy")),
    Case("gloss, dictionary.json corrupt", ("gloss", "O gato", "--bundle", f"{S}/text"),
         "nonzero", "dictionary.json is damaged",
         prepare=_text_bundle(corrupt="dictionary.json")),
    Case("text-eval CSV with a BOM", ("text-eval", "--pairs", f"{S}/bom.csv"), "0", "",
         prepare=_pairs("bom.csv", "utf-8-sig")),
    Case("text-eval non-UTF-8 CSV", ("text-eval", "--pairs", f"{S}/latin.csv"), "nonzero",
         "latin.csv is not UTF-8", prepare=_pairs("latin.csv", "latin-1")),
    # video commands: one line, no native noise
    Case("extract -o onto a folder", ("extract", str(MIT_CLIP), "-o", f"{S}/out"), "nonzero",
         "is a folder", prepare=_mkdir("out")),
    Case("extract a clean clip (stderr silent)", ("extract", str(MIT_CLIP), "-o",
         f"{S}/mit.npz"), "0", ""),
    Case("extract, moov atom missing (one line)", ("extract", f"{S}/moov.mp4", "-o",
         f"{S}/o.npz"), "nonzero", "not a video OpenCV can decode", prepare=_moov_missing),
    Case("gallery add of a folder", ("gallery", "add", G, f"{S}/clips", "--gloss", "x"),
         "nonzero", "folder", owner="lead", prepare=_mkdir("clips")),
    # damaged galleries: never shown as empty, never a file lost (the lead's half)
    Case("0-byte gallery.sqlite, list", ("gallery", "list", G), "nonzero", DAMAGED,
         owner="lead", prepare=_db_empty),
    Case("unreadable gallery.sqlite, list", ("gallery", "list", G), "nonzero", DAMAGED,
         owner="lead", prepare=_db_garbage),
    Case("0-byte gallery.sqlite, search", ("search", f"{S}/q.npz", "--gallery", G),
         "nonzero", DAMAGED, owner="lead",
         prepare=lambda env: (_db_empty(env), _npz("q.npz")(env))),
    Case("deleted gallery.sqlite, build from empty", ("gallery", "build", G, "--from",
         f"{S}/empty"), "nonzero", DAMAGED, owner="lead", prepare=_db_deleted),
    Case("media/ missing, list (then back)", ("gallery", "list", G), "nonzero", DAMAGED,
         owner="lead", prepare=_media_away, restore=_media_back),
    Case("one entry folder away and back, list", ("gallery", "list", G), "0", "missing files",
         owner="lead", prepare=_one_entry_away, restore=_one_entry_back),
    Case("gallery list during a gallery add", ("gallery", "add", G, str(MIT_CLIP), "--gloss",
         "during"), "0", "", owner="lead", during=("gallery", "list", G)),
]  # fmt: skip


# --- running -------------------------------------------------------------------------------


def _cli(args: tuple[str, ...], env: Env, extra_env: dict[str, str]) -> list[str]:
    fill = {"gallery": str(env.gallery), "scratch": str(env.scratch)}
    return [sys.executable, "-m", "signlookup", *(a.format(**fill) for a in args)]


def _environ(env: Env, extra: dict[str, str]) -> dict[str, str]:
    out = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
    out.update({k: v.format(scratch=env.scratch) for k, v in extra.items()})
    return out


def _media_hashes(gallery: Path, under_media_only: bool) -> dict[str, str]:
    """{relative path: sha256} of media files (under media/, or anywhere in the gallery)."""
    root = gallery / "media" if under_media_only else gallery
    if not root.is_dir():
        return {}
    out = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.name.startswith("gallery.sqlite"):
            out[str(path.relative_to(gallery))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _entry_count(gallery: Path, env: Env) -> int | None:
    result = subprocess.run(
        _cli(("gallery", "list", str(gallery), "--json"), env, {}),
        capture_output=True, text=True, env=_environ(env, {}), timeout=600,
    )  # fmt: skip
    try:
        return len(json.loads(result.stdout)["entries"])
    except (ValueError, KeyError):
        return None


def build_base(workdir: Path) -> Path:
    """The scratch gallery every case copies: built with the real CLI from real clips."""
    base = workdir / "base_gallery"
    clips = [c for c in (MIT_CLIP, *LIBRAS) if c.is_file()]
    if not clips:
        shutil.copytree(DEMO_GALLERY, base)
        return base
    videos = workdir / "base_videos"
    videos.mkdir()
    for clip in clips:
        shutil.copy(clip, videos / clip.name)
    env = Env(workdir, base)
    result = subprocess.run(
        _cli(("gallery", "build", str(base), "--from", str(videos)), env, {}),
        capture_output=True, text=True, env=_environ(env, {}), timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"could not build the scratch gallery: {result.stderr.strip()}")
    return base


def run_case(case: Case, base: Path, workdir: Path, index: int) -> dict:
    scratch = workdir / f"case{index:02d}"
    scratch.mkdir()
    env = Env(scratch, scratch / "gallery")
    shutil.copytree(base, env.gallery)
    entries_before = len(list((env.gallery / "media").iterdir()))
    before = _media_hashes(env.gallery, under_media_only=True)
    if case.prepare is not None:
        case.prepare(env)
    environ = _environ(env, case.env)
    started = time.perf_counter()
    proc = subprocess.Popen(
        _cli(case.args, env, case.env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=environ,
    )  # fmt: skip
    during_err = ""
    if case.during:
        time.sleep(4.0)  # the first command is loading or extracting by now
        side = subprocess.run(
            _cli(case.during, env, case.env), capture_output=True, text=True, env=environ,
            timeout=600,
        )  # fmt: skip
        during_err = side.stderr.strip().splitlines()[0] if side.stderr.strip() else ""
    _out, err = proc.communicate(timeout=900)
    seconds = time.perf_counter() - started
    if case.restore is not None:
        case.restore(env)
    after_media = _media_hashes(env.gallery, under_media_only=True)
    anywhere = set(_media_hashes(env.gallery, under_media_only=False).values())
    lost = [p for p, digest in before.items() if digest not in anywhere]
    lines = [line for line in err.splitlines() if line.strip()]
    message = lines[0] if lines else ""
    exit_ok = (proc.returncode == 0) == (case.expect_exit == "0")
    message_ok = (case.expect in message) if case.expect else not lines
    traceback = "Traceback" in err
    entries_after = _entry_count(env.gallery, env) if case.owner == "lead" else None
    ok = exit_ok and message_ok and not traceback and not lost
    if entries_after is not None and case.expect_exit == "0":
        ok = ok and entries_after >= entries_before
    return {
        "case": case.name,
        "owner": case.owner,
        "exit": proc.returncode,
        "expected_exit": case.expect_exit,
        "ok": ok,
        "traceback": traceback,
        "stderr_lines": len(lines),
        "media_before": len(before),
        "media_after": len(after_media),
        "media_lost": len(lost),
        "entries_before": entries_before,
        "entries_after": entries_after,
        "seconds": round(seconds, 1),
        "message": message,
        "during_message": during_err,
    }


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'case':<40} {'owner':<5} {'exit':>4} {'ok':<3} {'tb?':<3} {'media':>9} {'s':>5}  message"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        media = f"{r['media_before']}->{r['media_after']}"
        if r["media_lost"]:
            media += f" LOST {r['media_lost']}"
        entries = (
            "" if r["entries_after"] is None else f"{r['entries_before']}->{r['entries_after']}"
        )
        print(
            f"{r['case'][:40]:<40} {r['owner']:<5} {r['exit']:>4} {'yes' if r['ok'] else 'NO':<3} "
            f"{'yes' if r['traceback'] else 'no':<3} {media:>9} {entries:>7} {r['seconds']:>5.1f}  "
            f"{r['message'][:110]}"
        )
    failed = [r for r in rows if not r["ok"]]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} cases as expected", end="")
    print(f"; not yet: {', '.join(r['case'] for r in failed)}" if failed else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--json", action="store_true", help="print one JSON list of rows")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    cases = [c for c in CASES if args.only.lower() in c.name.lower()]
    if not cases:
        print(f"no case matches {args.only!r}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="signlookup-faults-"))
    try:
        base = build_base(workdir)
        rows = []
        for i, case in enumerate(cases):
            if not args.json:
                print(f"[{i + 1}/{len(cases)}] {case.name}", file=sys.stderr, flush=True)
            rows.append(run_case(case, base, workdir, i))
    finally:
        if args.keep:
            print(f"scratch kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print_table(rows)
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
